-- Outbound webhooks. An admin subscribes a URL to events; an event is written in the
-- transaction of what caused it, once, with a delivery per subscription that wants it. A
-- delivery is `queued` until `next_attempt_at`, `sending` while a server holds it (until
-- `next_attempt_at`, when another may take it over), then `delivered`, or `failed` after its
-- last try (`last_error`, `last_status` say why). The secret signs each delivery: the
-- receiver holds the same value to check it, so it is stored as it is, and never logged.

CREATE TABLE webhook_subscriptions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    url           TEXT NOT NULL,
    events        TEXT NOT NULL,
    active        INTEGER NOT NULL CHECK (active IN (0, 1)),
    allow_http    INTEGER NOT NULL CHECK (allow_http IN (0, 1)),
    allow_private INTEGER NOT NULL CHECK (allow_private IN (0, 1)),
    secret        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    created_by    TEXT NOT NULL
);

-- An event's data holds ids and figures only, never text a customer wrote.
CREATE TABLE webhook_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_id        INTEGER NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT NOT NULL,
    last_status     INTEGER,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
