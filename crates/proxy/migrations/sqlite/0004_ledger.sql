-- The action ledger: every money-moving or order-changing staff action, recorded before the
-- provider is called and again with the outcome, so an intent is carried out exactly once.
CREATE TABLE actions (
    intent_id   TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    actor       TEXT NOT NULL,     -- the staff member's email
    request     TEXT NOT NULL,     -- what Kassa asked (JSON), to recognise a reused intent id
    state       TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
    outcome     TEXT,              -- the answer given (JSON: status and body)
    created_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX actions_by_order ON actions (order_id, created_at);
