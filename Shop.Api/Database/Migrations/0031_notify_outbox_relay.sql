-- Wakes the outbox relays as soon as a transaction that wrote outbox messages commits (NOTIFY is
-- delivered at commit, never for a rollback). Per statement, not per row: a checkout writing
-- several messages sends one notification; Postgres also folds identical notifications of one
-- transaction into one. The relays still poll every second, so a lost notification only delays.
CREATE FUNCTION notify_outbox_relay() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_messages', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_messages_notify
    AFTER INSERT ON outbox_messages
    FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox_relay();
