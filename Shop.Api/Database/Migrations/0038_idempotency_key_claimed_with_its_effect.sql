-- An endpoint that writes its effect in one transaction (checkout) claims its Idempotency-Key in
-- that same transaction, already completed with the response it is about to give: the key and
-- the order commit together or not at all, and the separate claim (an insert and a commit of its
-- own before the order's, then an update of that row) is saved. Plain SQL cannot abort a batch,
-- so this raises:
--   SA423  a request with this key is running right now (its transaction holds the key's
--          advisory lock): the app answers 409 at once, as for a claimed key, instead of waiting
--          on that request's uncommitted row;
--   SA422  the key is held by a request that finished (or, through another endpoint, runs) since
--          the app looked: the app looks again and replays, or answers 422 or 409.
-- The advisory lock's 64-bit key is a hash of customer and key: a collision of two live keys
-- only turns one request into a 409 its client retries. An expired key, or one a dead process
-- left in flight (same request only), is taken over, as the middleware's own claim does.
CREATE FUNCTION idempotency_claim_completed(
    p_customer_id uuid, p_key text, p_request_hash bytea, p_lifetime interval, p_abandoned_after interval,
    p_status int, p_headers jsonb, p_body bytea)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtextextended(p_customer_id::text || '/' || p_key, 0)) THEN
        RAISE EXCEPTION 'idempotency key % is in flight', p_key USING ERRCODE = 'SA423';
    END IF;
    INSERT INTO idempotency_keys AS k (customer_id, key, request_hash, locked_at, response_status,
                                       response_headers, response_body, completed_at, expires_at)
    VALUES (p_customer_id, p_key, p_request_hash, NULL, p_status, p_headers, p_body, now(), now() + p_lifetime)
    ON CONFLICT (customer_id, key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, locked_at = NULL, created_at = now(),
            response_status = EXCLUDED.response_status, response_headers = EXCLUDED.response_headers,
            response_body = EXCLUDED.response_body, completed_at = now(), expires_at = EXCLUDED.expires_at
        WHERE k.expires_at < now()
           OR (k.response_status IS NULL AND k.locked_at < now() - p_abandoned_after
               AND k.request_hash = EXCLUDED.request_hash);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'idempotency key % is taken', p_key USING ERRCODE = 'SA422';
    END IF;
END $$;
