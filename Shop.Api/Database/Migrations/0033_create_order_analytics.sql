-- Paid orders and revenue per minute and currency, kept up to date by the worker's analytics
-- consumer (idempotently: processed_messages is written in the same transaction).
CREATE TABLE order_analytics_minutes (
    minute        timestamptz   NOT NULL,               -- date_trunc('minute', paid at)
    currency      char(3)       NOT NULL,
    orders        int           NOT NULL,
    revenue       numeric(14,2) NOT NULL,
    PRIMARY KEY (minute, currency)
);
