-- Provider fetches in the order they started (the same change as postgres/0015).
-- Each refresh takes a ticket before it asks the provider for an order, and the mirror keeps
-- the ticket of the fetch it stores (`orders.fetch_ticket`). A fetch that lands after one
-- that started later is older news and is not stored over it.
-- On SQLite (one proxy) a ticket is the time in microseconds, never below the highest stored
-- (hence the index: one lookup when the proxy starts), so a clock set back does not make
-- every later fetch look old.
ALTER TABLE orders ADD COLUMN fetch_ticket INTEGER NOT NULL DEFAULT 0;
CREATE INDEX orders_fetch_ticket ON orders (fetch_ticket);
