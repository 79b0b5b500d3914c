-- Lower-cased copies of what staff search by, so prefix searches use an index.
ALTER TABLE orders ADD COLUMN search_number TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN search_email TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN search_given TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN search_family TEXT NOT NULL DEFAULT '';
UPDATE orders SET
    search_number = lower(order_number),
    search_email = lower(customer_email),
    search_given = lower(coalesce(json_extract(body, '$.billingAddress.givenName'), '')),
    search_family = lower(coalesce(json_extract(body, '$.billingAddress.familyName'), ''));
CREATE INDEX orders_by_number ON orders (search_number);
CREATE INDEX orders_by_email ON orders (search_email);
CREATE INDEX orders_by_given ON orders (search_given);
CREATE INDEX orders_by_family ON orders (search_family);
CREATE INDEX orders_by_status ON orders (status, created_at, id);
