-- Categories of the catalog. The slug is the stable, URL-safe name clients filter on.
CREATE TABLE categories (
    id          uuid        PRIMARY KEY,
    slug        text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A fixed starting set (ids are UUIDv7 made once for this migration); admins manage products,
-- categories change with releases.
INSERT INTO categories (id, slug, name) VALUES
    ('0193a1c0-0000-7000-8000-000000000001', 'kitchen',     'Kitchen'),
    ('0193a1c0-0000-7000-8000-000000000002', 'garden',      'Garden'),
    ('0193a1c0-0000-7000-8000-000000000003', 'books',       'Books'),
    ('0193a1c0-0000-7000-8000-000000000004', 'toys',        'Toys'),
    ('0193a1c0-0000-7000-8000-000000000005', 'electronics', 'Electronics'),
    ('0193a1c0-0000-7000-8000-000000000006', 'clothing',    'Clothing');
