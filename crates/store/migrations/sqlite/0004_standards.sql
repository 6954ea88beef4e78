-- Service standards, the stories that illustrate them, and the recorded interactions they are
-- judged by. Instants are microseconds since the Unix epoch (UTC); measure is the JSON of the
-- core's `Measure`, NULL for a standard that is not measured.

CREATE TABLE standards (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    title         TEXT NOT NULL,
    text          TEXT NOT NULL,
    mandatory     INTEGER NOT NULL CHECK (mandatory IN (0, 1)),
    touchpoint_id INTEGER REFERENCES touchpoints (id) ON DELETE CASCADE,
    channel       TEXT REFERENCES channels (key) ON DELETE CASCADE,
    measure       TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE INDEX standards_touchpoint ON standards (touchpoint_id);
CREATE INDEX standards_channel ON standards (channel);

CREATE TABLE stories (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    text          TEXT NOT NULL,
    example       TEXT NOT NULL CHECK (example IN ('good', 'bad')),
    standard_id   INTEGER REFERENCES standards (id) ON DELETE SET NULL,
    created_by    TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE INDEX stories_touchpoint ON stories (touchpoint_id);
CREATE INDEX stories_standard ON stories (standard_id);
CREATE INDEX stories_created ON stories (created_at, id);

CREATE TABLE interactions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id       TEXT UNIQUE,
    touchpoint_id     INTEGER REFERENCES touchpoints (id) ON DELETE SET NULL,
    channel           TEXT NOT NULL,
    customer_name     TEXT,
    received_at       INTEGER NOT NULL,
    first_response_at INTEGER,
    resolved_at       INTEGER,
    reply             TEXT NOT NULL
);

CREATE INDEX interactions_received ON interactions (received_at, id);
CREATE INDEX interactions_touchpoint ON interactions (touchpoint_id);
