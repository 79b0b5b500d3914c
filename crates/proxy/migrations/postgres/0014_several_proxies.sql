-- Several proxies on one database (issue 14); the same change as sqlite/0014.
-- * `orders.version` grows with every write to an order or its timeline. A proxy's upsert
--   writes only over the version it read (another proxy's write in between makes it read
--   again), and a proxy keeps an order's view cached only while the version is the one the
--   view was made from.
-- * `actions.lease_until`, `lease_owner`: until when (Unix seconds) and by which proxy a
--   pending intent is being carried out. Another proxy resumes it only after that, so one
--   intent sent to two proxies at once makes one provider call, and one left behind by a
--   proxy that died is finished by another.
ALTER TABLE orders ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE actions ADD COLUMN lease_until BIGINT;
ALTER TABLE actions ADD COLUMN lease_owner TEXT;
