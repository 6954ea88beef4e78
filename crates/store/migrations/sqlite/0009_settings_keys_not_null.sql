-- The key of a setting is never NULL. SQLite let the TEXT PRIMARY KEY of these two tables
-- hold NULL, a quirk it keeps for rowid tables, where PostgreSQL makes every key column NOT
-- NULL; SQLite cannot add NOT NULL to a column, so both tables are built anew. A row without
-- a key could never be read by its key and is left behind.

CREATE TABLE settings_new (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
INSERT INTO settings_new (key, value) SELECT key, value FROM settings WHERE key IS NOT NULL;
DROP TABLE settings;
ALTER TABLE settings_new RENAME TO settings;

CREATE TABLE queue_settings_new (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);
INSERT INTO queue_settings_new (key, value, updated_at, updated_by)
    SELECT key, value, updated_at, updated_by FROM queue_settings WHERE key IS NOT NULL;
DROP TABLE queue_settings;
ALTER TABLE queue_settings_new RENAME TO queue_settings;
