-- Checkout's stock take, near the end of its one write batch (only the order's lines, the
-- idempotency record and the COMMIT follow): the order is priced from an unlocked read and
-- written first, so a hot product's row is locked only for the end of that batch, not across a
-- round trip and the app's work. A line is taken only at the price and currency the order was
-- priced at. When any line cannot be taken this raises, because plain SQL cannot abort a batch:
-- the error skips the rest of it (the COMMIT too) and the app rolls back the order written
-- before; SQLSTATE SA409 tells it to look at the products again.
CREATE FUNCTION checkout_take_stock(ids uuid[], quantities int[], prices numeric[], order_currency char(3))
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    taken int;
BEGIN
    -- The CTE locks the rows in id order (the lock sits above the sort), so two multi-line
    -- checkouts never wait on each other in a cycle; an UPDATE alone locks in whatever order its
    -- plan visits the rows. FOR NO KEY UPDATE is the lock the UPDATE takes anyway; FOR UPDATE
    -- would also block order_lines' foreign key checks on the product, for nothing. READ
    -- COMMITTED re-checks the conditions on a row's latest version once its lock is granted
    -- (CHECK (stock >= 0) on products stays the last line of defence).
    WITH locked AS MATERIALIZED (
        SELECT id FROM products WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE
    )
    UPDATE products p
    SET stock = p.stock - r.quantity, updated_at = now()
    FROM locked l
    JOIN unnest(ids, quantities, prices) AS r(id, quantity, price) ON r.id = l.id
    WHERE p.id = l.id AND p.deleted_at IS NULL AND p.stock >= r.quantity
        AND p.price = r.price AND p.currency = order_currency;
    GET DIAGNOSTICS taken = ROW_COUNT;
    IF taken < cardinality(ids) THEN
        RAISE EXCEPTION 'checkout: % of % lines could not be taken', cardinality(ids) - taken, cardinality(ids)
            USING ERRCODE = 'SA409';
    END IF;
END;
$$;
