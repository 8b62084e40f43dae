-- Transactional outbox: a message is written in the same transaction as the change it announces,
-- and a relay publishes it to RabbitMQ afterwards. So a committed order always gets its
-- OrderPlaced, and a rolled-back one never does.
CREATE TABLE outbox_messages (
    id            uuid        PRIMARY KEY,           -- also the AMQP message-id consumers de-duplicate on
    routing_key   text        NOT NULL,
    message_type  text        NOT NULL,
    payload       jsonb       NOT NULL,
    traceparent   text        NULL,                  -- W3C trace context of the writing request
    tracestate    text        NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz NULL,
    attempts      int         NOT NULL DEFAULT 0,
    last_error    text        NULL
);

-- The relay's only query: the oldest unsent messages. Partial, so it stays as small as the backlog.
CREATE INDEX outbox_messages_pending_idx ON outbox_messages (created_at, id) WHERE sent_at IS NULL;
