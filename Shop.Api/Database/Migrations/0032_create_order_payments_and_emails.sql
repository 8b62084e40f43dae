-- What the worker did for an order, one row per order: the charge the provider made (or its
-- decline), and the confirmation mail. Primary keys on order_id make a second effect impossible
-- even if the idempotency record were bypassed.
CREATE TABLE order_payments (
    order_id      uuid          PRIMARY KEY REFERENCES orders (id),
    outcome       text          NOT NULL CHECK (outcome IN ('paid', 'declined')),
    charge_id     text          NULL,
    amount        numeric(12,2) NOT NULL,
    currency      char(3)       NOT NULL,
    reason        text          NULL,
    at            timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE order_emails (
    order_id      uuid          PRIMARY KEY REFERENCES orders (id),
    kind          text          NOT NULL,               -- 'order-confirmation'
    recipient     text          NOT NULL,
    message_id    text          NOT NULL,               -- the mail's Message-ID header, deterministic per order
    sent_at       timestamptz   NOT NULL DEFAULT now()
);
