-- Shoppers and admins. Emails are compared case-insensitively, so uniqueness is on lower(email).
CREATE TABLE users (
    id            uuid        PRIMARY KEY,
    email         text        NOT NULL,
    display_name  text        NOT NULL,
    password_hash text        NOT NULL,
    role          text        NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz NULL,
    metadata      jsonb       NOT NULL DEFAULT '{}'
);

-- Sign-in looks users up by email; also enforces one account per address.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
