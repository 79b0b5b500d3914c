-- Each order's own refresh schedule (issue 13). An order that is not final is due again soon
-- after it was created and then on a backoff (1, 2, 5, 15, 60 minutes, then every
-- KASSA_REFRESH_MINUTES), so one whose customer never came back shows as pending or expired
-- within minutes, without a webhook and without anyone pressing Refresh.
-- * `next_refresh_unix`: when it is due, in Unix seconds; NULL once it is final.
-- * `refresh_step`: how far along the backoff it is (0 after creation or a status change).
-- The refresh loop claims due rows with a conditional UPDATE of `next_refresh_unix`, so two
-- loops (two proxies on one database) never refresh one order twice.
ALTER TABLE orders ADD COLUMN next_refresh_unix INTEGER;
ALTER TABLE orders ADD COLUMN refresh_step INTEGER NOT NULL DEFAULT 0;
-- Orders mirrored before: those not final are due now, at the end of their backoff (they
-- are not new); the loop takes them a batch at a time.
UPDATE orders SET next_refresh_unix = CAST(strftime('%s', 'now') AS INTEGER), refresh_step = 5
WHERE status NOT IN ('completed', 'canceled', 'expired');
-- Due orders, oldest due first; final orders are not in it.
CREATE INDEX orders_by_next_refresh ON orders (next_refresh_unix, id)
WHERE next_refresh_unix IS NOT NULL;
