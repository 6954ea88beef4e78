-- The key of a setting is never NULL. PostgreSQL made these key columns NOT NULL from the
-- start, as every key column; SQLite's migration of the same number adds what it lacked.
-- Said here again so that both backends number their migrations alike.

ALTER TABLE settings ALTER COLUMN key SET NOT NULL;
ALTER TABLE queue_settings ALTER COLUMN key SET NOT NULL;
