-- Saved views of the orders list (issue 13): per staff member, a name and the list's filters
-- (`OrderFilter` as JSON). A staff member's names are unique; saving a name again replaces it.
CREATE TABLE saved_views (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    filter TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (staff_id, name)
);
