-- Products of the catalog. Ids are UUIDv7 made by the API: time-ordered, so inserts append
-- to the primary key index instead of splitting pages all over it.
CREATE TABLE products (
    id          uuid          PRIMARY KEY,
    name        text          NOT NULL,
    description text,
    price       numeric(12,2) NOT NULL CHECK (price > 0),
    currency    char(3)       NOT NULL DEFAULT 'EUR',
    stock       int           NOT NULL CHECK (stock >= 0),
    created_at  timestamptz   NOT NULL DEFAULT now(),
    updated_at  timestamptz   NOT NULL DEFAULT now(),
    deleted_at  timestamptz   NULL,
    metadata    jsonb         NOT NULL DEFAULT '{}'
);

-- Serves "newest first" listings of live products without sorting the table.
CREATE INDEX products_newest_idx ON products (created_at DESC, id DESC) WHERE deleted_at IS NULL;
