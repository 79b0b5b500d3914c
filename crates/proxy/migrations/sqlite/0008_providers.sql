-- Klarna orders beside Mollie's (issue 10). The table already had `provider`; ids stay unique
-- across providers (Mollie's `ord_…`, Klarna's UUIDs), so `id` remains the key. New columns
-- come from Kassa's view of an order, whatever the provider:
-- * `expires_at` as the provider wrote it (lists show it), `expires_unix` the same instant in
--   Unix seconds (providers write times differently, so only numbers compare);
-- * `uncaptured_minor`: authorized and not yet captured, released or removed (what expiry
--   would lose). Mollie rows get it at their next refresh (the periodic refresh reaches
--   every order that is not final); until then they are not on the expiry radar.
ALTER TABLE orders ADD COLUMN expires_at TEXT;
ALTER TABLE orders ADD COLUMN expires_unix INTEGER;
ALTER TABLE orders ADD COLUMN uncaptured_minor INTEGER NOT NULL DEFAULT 0;
UPDATE orders SET
    expires_at = json_extract(body, '$.expiresAt'),
    expires_unix = CAST(strftime('%s', json_extract(body, '$.expiresAt')) AS INTEGER)
WHERE provider = 'mollie' AND json_extract(body, '$.expiresAt') IS NOT NULL;
-- The expiry radar (GET /api/orders/expiring): only orders holding uncaptured money, soonest
-- first; small whatever the size of the mirror.
CREATE INDEX orders_by_expiry ON orders (expires_unix, id) WHERE uncaptured_minor > 0;
