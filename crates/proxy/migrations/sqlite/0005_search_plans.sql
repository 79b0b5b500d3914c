-- Search plans that do not grow with the mirror (see src/search.rs):
-- * a prefix arm reads its index alone and gets (created_at, id) from it to sort by;
-- * a newest-first walk checks the search columns in the index before touching the table.
DROP INDEX orders_by_number;
DROP INDEX orders_by_email;
DROP INDEX orders_by_given;
DROP INDEX orders_by_family;
DROP INDEX orders_by_created;
CREATE INDEX orders_by_number ON orders (search_number, created_at, id);
CREATE INDEX orders_by_email ON orders (search_email, created_at, id);
CREATE INDEX orders_by_given ON orders (search_given, created_at, id);
CREATE INDEX orders_by_family ON orders (search_family, created_at, id);
CREATE INDEX orders_by_created ON orders
    (created_at, id, search_number, search_email, search_given, search_family);
