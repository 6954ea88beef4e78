-- The consistency checker's data: the guideline (one JSON document), the content library,
-- and the documented findings with their status. Instants are microseconds since the Unix
-- epoch (UTC); title_key is computed by the application, like the keys of 0001.

CREATE TABLE guideline (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    document   TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE contents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    title         TEXT NOT NULL,
    title_key     TEXT NOT NULL,
    channel       TEXT REFERENCES channels (key) ON DELETE SET NULL,
    touchpoint_id INTEGER REFERENCES touchpoints (id) ON DELETE SET NULL,
    url           TEXT NOT NULL,
    language      TEXT NOT NULL,
    body          TEXT NOT NULL,
    valid_from    TEXT,
    valid_until   TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE INDEX contents_title ON contents (title_key, id);
CREATE INDEX contents_channel ON contents (channel);
CREATE INDEX contents_touchpoint ON contents (touchpoint_id);

-- A finding is identified across runs by its fingerprint; places is a JSON list.
CREATE TABLE findings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    fingerprint TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    rule        TEXT NOT NULL,
    message     TEXT NOT NULL,
    places      TEXT NOT NULL,
    suggestion  TEXT,
    status      TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'fixed')),
    status_by   TEXT,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    current     INTEGER NOT NULL CHECK (current IN (0, 1))
);

CREATE INDEX findings_order ON findings (current, kind, rule, id);
