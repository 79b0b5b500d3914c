-- Payment and fulfilment apart (issue 13): what `kassa_model::states` reads from an order's
-- view, kept for the list. Written at each upsert; rows from before stay NULL until their next
-- refresh (open orders are refreshed periodically), and the list shows their status instead.
ALTER TABLE orders ADD COLUMN payment_state TEXT;
ALTER TABLE orders ADD COLUMN fulfilment_state TEXT;
