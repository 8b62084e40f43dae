-- Idempotent consumers: a consumer records each message id it handled in the same transaction as
-- the effect, so a redelivered or duplicated message finds its row and does nothing twice.
-- message_id is text: it is the AMQP message-id, which a foreign producer may not make a UUID.
CREATE TABLE processed_messages (
    consumer      text        NOT NULL,
    message_id    text        NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
