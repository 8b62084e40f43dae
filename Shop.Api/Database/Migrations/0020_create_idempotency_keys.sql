-- Idempotency keys (Stripe semantics, IETF Idempotency-Key draft): the first request with a key
-- claims it; its response is stored and replayed for retries with the same key and body.
-- Scoped per customer: two customers may pick the same key without seeing each other's orders.
CREATE TABLE idempotency_keys (
    customer_id      uuid        NOT NULL,
    key              text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash     bytea       NOT NULL,            -- SHA-256 of method, path and body
    locked_at        timestamptz NULL,                -- set while the first request runs
    response_status  int         NULL,                -- NULL until the first request finished
    response_headers jsonb       NULL,                -- the headers worth replaying (Location, Content-Type)
    response_body    bytea       NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz NULL,
    expires_at       timestamptz NOT NULL,
    PRIMARY KEY (customer_id, key)
);

-- The cleanup job deletes expired keys oldest first without scanning the table.
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
