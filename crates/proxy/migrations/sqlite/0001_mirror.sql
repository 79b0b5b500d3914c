-- The mirror: every order the proxy created or heard of, as the provider last described it,
-- plus the columns the console lists and searches by.
CREATE TABLE orders (
    id             TEXT PRIMARY KEY,          -- the provider's id (ord_...)
    provider       TEXT NOT NULL,             -- 'mollie'
    return_ref     TEXT UNIQUE,               -- the token in the customer's return URL
    order_number   TEXT NOT NULL,
    status         TEXT NOT NULL,
    currency       TEXT NOT NULL,
    amount_minor   INTEGER NOT NULL,
    customer_name  TEXT NOT NULL,
    customer_email TEXT NOT NULL,
    created_at     TEXT NOT NULL,             -- provider's createdAt (RFC 3339)
    updated_at     TEXT NOT NULL,             -- when the mirror last changed
    body           TEXT NOT NULL              -- the provider's order JSON
);
CREATE INDEX orders_by_created ON orders (created_at, id);

-- The order's timeline: creation, webhooks received, status changes.
CREATE TABLE order_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id TEXT NOT NULL REFERENCES orders (id),
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL,
    detail   TEXT NOT NULL
);
CREATE INDEX order_events_by_order ON order_events (order_id, id);
