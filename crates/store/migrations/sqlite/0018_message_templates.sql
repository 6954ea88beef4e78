-- Templates of messages to customers (reply templates), in Jinja syntax over the customer's
-- data; checked by the application before they are saved.

CREATE TABLE message_templates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    language   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX message_templates_name ON message_templates (name_key, language, id);
