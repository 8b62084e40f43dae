-- Products belong to at most one category and may carry an image URL of their own.
ALTER TABLE products
    ADD COLUMN category_id uuid NULL REFERENCES categories (id),
    ADD COLUMN image_url   text NULL;

-- Trigram indexes make "name contains q" (ILIKE '%q%') an index lookup instead of a scan.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Every catalog list is "newest first" (created_at DESC, id DESC) with keyset pagination;
-- each index below serves one filter AND that order, so a deep page costs what page 1 costs.

-- category filter; not partial, so it also serves the foreign key (deleted products included).
CREATE INDEX products_category_newest_idx ON products (category_id, created_at DESC, id DESC);

-- text search on the name (GIN trigram; the planner combines it with the order via a sort of
-- the matching rows, or walks products_newest_idx when the term matches many rows).
CREATE INDEX products_name_trgm_idx ON products USING gin (name gin_trgm_ops) WHERE deleted_at IS NULL;

-- price range.
CREATE INDEX products_price_idx ON products (price, created_at DESC, id DESC) WHERE deleted_at IS NULL;
