-- Kassa's schema on PostgreSQL: what migrations/sqlite/0001…0013 built, in one step (there
-- were no PostgreSQL installations before it). Later changes come as a migration in each
-- folder under the same number. See the SQLite files for why each column and index is there.
--
-- Differences on purpose:
-- * Keys, times and the search columns are `COLLATE "C"`: byte order, as SQLite compares, so
--   a search prefix is the range [prefix, prefix || U+10FFFF) on any server locale, and the
--   list's keyset (created_at, id) sorts as it does on SQLite.
-- * Staff emails are unique and looked up case-insensitively through `lower(email)`
--   (SQLite's column is `COLLATE NOCASE`).
-- * Integers are BIGINT (Rust's i64), flags BOOLEAN.

CREATE TABLE orders (
    id                TEXT COLLATE "C" PRIMARY KEY,
    provider          TEXT COLLATE "C" NOT NULL,
    return_ref        TEXT UNIQUE,
    order_number      TEXT NOT NULL,
    status            TEXT COLLATE "C" NOT NULL,
    currency          TEXT NOT NULL,
    amount_minor      BIGINT NOT NULL,
    customer_name     TEXT NOT NULL,
    customer_email    TEXT NOT NULL,
    created_at        TEXT COLLATE "C" NOT NULL,
    updated_at        TEXT COLLATE "C" NOT NULL,
    body              TEXT NOT NULL,
    search_number     TEXT COLLATE "C" NOT NULL DEFAULT '',
    search_email      TEXT COLLATE "C" NOT NULL DEFAULT '',
    search_name       TEXT COLLATE "C" NOT NULL DEFAULT '',
    search_family     TEXT COLLATE "C" NOT NULL DEFAULT '',
    expires_at        TEXT,
    expires_unix      BIGINT,
    uncaptured_minor  BIGINT NOT NULL DEFAULT 0,
    next_refresh_unix BIGINT,
    refresh_step      BIGINT NOT NULL DEFAULT 0,
    payment_state     TEXT,
    fulfilment_state  TEXT
);
CREATE INDEX orders_by_status ON orders (status, created_at, id);
CREATE INDEX orders_by_created ON orders
    (created_at, id, search_number, search_email, search_name, search_family);
CREATE INDEX orders_by_number ON orders (search_number, created_at, id, provider);
CREATE INDEX orders_by_email ON orders (search_email, created_at, id, provider);
CREATE INDEX orders_by_name ON orders (search_name, created_at, id, provider);
CREATE INDEX orders_by_family ON orders (search_family, created_at, id, provider);
CREATE INDEX orders_by_provider_status ON orders (provider, status, created_at, id);
CREATE INDEX orders_by_expiry ON orders (expires_unix, id) WHERE uncaptured_minor > 0;
CREATE INDEX orders_by_next_refresh ON orders (next_refresh_unix, id)
WHERE next_refresh_unix IS NOT NULL;

CREATE TABLE order_events (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id TEXT COLLATE "C" NOT NULL REFERENCES orders (id),
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL,
    detail   TEXT NOT NULL
);
CREATE INDEX order_events_by_order ON order_events (order_id, id);

CREATE TABLE staff (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('operator', 'viewer')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX staff_by_email ON staff (lower(email));

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id   BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE actions (
    intent_id     TEXT PRIMARY KEY,
    order_id      TEXT NOT NULL,
    kind          TEXT NOT NULL,
    actor         TEXT NOT NULL,
    request       TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
    outcome       TEXT,
    created_at    TEXT COLLATE "C" NOT NULL,
    finished_at   TEXT,
    provider_call TEXT
);
CREATE INDEX actions_by_order ON actions (order_id, created_at);

CREATE TABLE pay_links (
    reference           TEXT PRIMARY KEY,
    provider            TEXT NOT NULL,
    origin              TEXT NOT NULL,
    created_by          TEXT,
    session_id          TEXT NOT NULL,
    client_token        TEXT NOT NULL,
    categories          TEXT NOT NULL,
    cart                TEXT NOT NULL,
    intent              TEXT NOT NULL,
    order_number        TEXT NOT NULL,
    locale              TEXT NOT NULL,
    currency            TEXT NOT NULL,
    amount_minor        BIGINT NOT NULL,
    lines               TEXT NOT NULL,
    return_ref          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    expires_at          TEXT NOT NULL,
    expires_unix        BIGINT NOT NULL,
    authorization_token TEXT,
    order_id            TEXT,
    fraud_pending       BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE customer_tokens (
    token_id                 TEXT PRIMARY KEY,
    provider                 TEXT NOT NULL,
    customer_email           TEXT NOT NULL,
    order_id                 TEXT NOT NULL,
    payment_method_reference TEXT,
    created_at               TEXT NOT NULL
);
CREATE INDEX customer_tokens_by_email ON customer_tokens (customer_email);

CREATE TABLE saved_views (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id   BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    filter     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (staff_id, name)
);
