-- Provider fetches in the order they started (the same change as sqlite/0015).
-- Each refresh takes a ticket before it asks the provider for an order, and the mirror keeps
-- the ticket of the fetch it stores (`orders.fetch_ticket`). A fetch that lands after one
-- that started later is older news and is not stored over it, whichever proxy made them:
-- the tickets come from one sequence.
ALTER TABLE orders ADD COLUMN fetch_ticket BIGINT NOT NULL DEFAULT 0;
CREATE SEQUENCE fetch_tickets;
