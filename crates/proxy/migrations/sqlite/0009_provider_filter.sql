-- The provider filter (issue 10) at the cost of the same filter without it, measured by the
-- search bench with one order in three Klarna's (docs/performance.md):
-- * Provider and status together walk their own index newest first and stop at a page. On
--   `orders_by_status` the walk read every order in the status to find the provider's: "Klarna,
--   paid" (Klarna orders are never paid) read all 67k paid orders of a 1M mirror, 0.6 s, to
--   answer nothing. src/search.rs lets only that listing use the index (`provider = ?`;
--   elsewhere `+provider`): Kassa never runs ANALYZE, and without statistics SQLite takes an
--   equality for a few rows, so it would walk this index for a provider alone and sort all of
--   that provider's orders.
-- * A prefix search with a provider reads `provider` from the prefix index: the few-matches
--   plan read every match's row to check it (up to 1000 rows; "klarna, steenhu" 4.2 ms at 1M
--   against 0.7 ms at 10k).
CREATE INDEX orders_by_provider_status ON orders (provider, status, created_at, id);
DROP INDEX orders_by_number;
DROP INDEX orders_by_email;
DROP INDEX orders_by_name;
DROP INDEX orders_by_family;
CREATE INDEX orders_by_number ON orders (search_number, created_at, id, provider);
CREATE INDEX orders_by_email ON orders (search_email, created_at, id, provider);
CREATE INDEX orders_by_name ON orders (search_name, created_at, id, provider);
CREATE INDEX orders_by_family ON orders (search_family, created_at, id, provider);
