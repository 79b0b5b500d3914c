-- Klarna payments on Kassa's own pages (issue 11): the shop's Klarna step and staff's pay
-- links. A row holds the Klarna Payments session Kassa opened and the cart it priced, which
-- is the one the order is placed with; `authorization_token` is claimed by the first
-- authorization that places the order (a conditional UPDATE, so two at once cannot both
-- place one), `order_id` is set once Klarna has placed it.
CREATE TABLE pay_links (
    reference TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    -- `shop` or `staff`; `created_by` is the staff member's email for pay links.
    origin TEXT NOT NULL,
    created_by TEXT,
    session_id TEXT NOT NULL,
    client_token TEXT NOT NULL,
    -- JSON: the categories Klarna offered, as the browser gets them.
    categories TEXT NOT NULL,
    -- JSON: the session as Kassa opened it (Klarna's `session_create`).
    cart TEXT NOT NULL,
    intent TEXT NOT NULL,
    order_number TEXT NOT NULL,
    locale TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    -- JSON: what the customer's page lists (name, quantity, total).
    lines TEXT NOT NULL,
    return_ref TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    expires_unix INTEGER NOT NULL,
    authorization_token TEXT,
    order_id TEXT,
    fraud_pending INTEGER NOT NULL DEFAULT 0
);

-- Customer tokens from Klarna (`buy_and_tokenize`), kept against the customer's email. The
-- full token is a credential for charging the customer later: only Kassa's database holds it;
-- staff see its last characters in the order's timeline.
CREATE TABLE customer_tokens (
    token_id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    customer_email TEXT NOT NULL,
    order_id TEXT NOT NULL,
    payment_method_reference TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX customer_tokens_by_email ON customer_tokens (customer_email);
