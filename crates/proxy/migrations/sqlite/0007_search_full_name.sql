-- Search by full name ("piet jansen"): the given-name search column becomes the whole name
-- as the list shows it (given, then family). It still starts with the given name, so a
-- given-name prefix finds what it found before.
DROP INDEX orders_by_given;
DROP INDEX orders_by_created;
ALTER TABLE orders DROP COLUMN search_given;
ALTER TABLE orders ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
UPDATE orders SET search_name = lower(customer_name);
CREATE INDEX orders_by_name ON orders (search_name, created_at, id);
CREATE INDEX orders_by_created ON orders
    (created_at, id, search_number, search_email, search_name, search_family);
