-- Written by Shop.Worker for each ProductCreated event, read by GET /api/v1/catalog/activity.
-- event_id as primary key makes a redelivered event a no-op (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE catalog_activity (
    event_id     uuid        PRIMARY KEY,
    product_id   uuid        NOT NULL,
    product_name text        NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    processed_by text        NOT NULL
);

CREATE INDEX catalog_activity_recent_idx ON catalog_activity (recorded_at DESC);
