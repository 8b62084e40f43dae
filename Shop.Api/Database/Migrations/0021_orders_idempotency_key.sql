-- The checkout's Idempotency-Key, stored with the order it created. The idempotency middleware
-- replays responses, but if a process dies between committing an order and recording its
-- response, a retry runs checkout again; this unique index is the backstop that turns that
-- second run into "return the order that already exists" instead of a second order.
ALTER TABLE orders ADD COLUMN idempotency_key text NULL;

CREATE UNIQUE INDEX orders_customer_idempotency_key ON orders (customer_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
