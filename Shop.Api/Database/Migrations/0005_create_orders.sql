-- Orders and their lines. Lines copy the product's name and price as ordered, so history stays
-- right after a product is renamed, repriced or soft-deleted.
CREATE TABLE orders (
    id           uuid          PRIMARY KEY,
    customer_id  uuid          NOT NULL REFERENCES users (id),
    status       text          NOT NULL CHECK (status IN ('pending', 'paid', 'payment_failed')),
    total        numeric(12,2) NOT NULL CHECK (total >= 0),
    currency     char(3)       NOT NULL,
    created_at   timestamptz   NOT NULL DEFAULT now(),
    updated_at   timestamptz   NOT NULL DEFAULT now(),
    deleted_at   timestamptz   NULL,
    metadata     jsonb         NOT NULL DEFAULT '{}'
);

-- A customer's history, newest first, read with keyset pagination: (customer_id, created_at, id)
-- serves both the WHERE and the ORDER BY, so page 10,000 costs what page 1 costs.
CREATE INDEX orders_customer_newest_idx ON orders (customer_id, created_at DESC, id DESC);

CREATE TABLE order_lines (
    order_id      uuid          NOT NULL REFERENCES orders (id),
    line_no       int           NOT NULL,
    product_id    uuid          NOT NULL REFERENCES products (id),
    product_name  text          NOT NULL,
    unit_price    numeric(12,2) NOT NULL CHECK (unit_price >= 0),
    quantity      int           NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, line_no)
);

-- Foreign keys get indexes: deleting or locking a product must not scan every line.
CREATE INDEX order_lines_product_idx ON order_lines (product_id);

-- The order's timeline: every status it has been in, and when.
CREATE TABLE order_status_changes (
    order_id  uuid        NOT NULL REFERENCES orders (id),
    status    text        NOT NULL,
    at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    reason    text        NULL,
    PRIMARY KEY (order_id, at, status)
);
