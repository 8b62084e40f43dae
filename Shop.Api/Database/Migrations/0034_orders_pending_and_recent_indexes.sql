-- For the business dashboard's sampler (Shop.Api/Insights), every 30 s per replica:
-- pending orders are few at any time, so a partial index keeps their count an index-only scan at
-- any volume; orders are inserted in created_at order, so a BRIN index (a few pages for millions
-- of rows, next to nothing per insert) finds the last hour's orders for "top products".
CREATE INDEX orders_pending_idx ON orders (created_at) WHERE status = 'pending';
CREATE INDEX orders_created_brin ON orders USING brin (created_at);
