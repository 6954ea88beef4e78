-- Customer profiles with their identifiers and merges, customer requests with their steps,
-- and the queue's rules: SLA policies, source-to-touchpoint mappings and settings. Instants
-- are microseconds since the Unix epoch (UTC); lists and maps are JSON text.

CREATE TABLE customers (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    name                 TEXT NOT NULL,
    salutation           TEXT NOT NULL,
    language             TEXT NOT NULL,
    preferred_channel    TEXT NOT NULL,
    segments             TEXT NOT NULL,
    attributes           TEXT NOT NULL,
    consent              TEXT NOT NULL,
    lifetime_value_cents INTEGER NOT NULL,
    merged_into          INTEGER REFERENCES customers (id),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);

CREATE INDEX customers_merged_into ON customers (merged_into);

-- value is the identifier's normal form (e-mail without case, phone in E.164, …).
CREATE TABLE customer_identifiers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (kind, value)
);

CREATE INDEX customer_identifiers_customer ON customer_identifiers (customer_id);

-- snapshot: the JSON of both profiles' fields before the merge and the ids of the
-- identifiers and requests that moved, so that an unmerge restores them exactly.
CREATE TABLE customer_merges (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    survivor_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    absorbed_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          INTEGER NOT NULL,
    snapshot    TEXT NOT NULL,
    undone_at   INTEGER,
    undone_by   TEXT
);

CREATE INDEX customer_merges_survivor ON customer_merges (survivor_id);
CREATE INDEX customer_merges_absorbed ON customer_merges (absorbed_id);

CREATE TABLE requests (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id        TEXT UNIQUE,
    channel            TEXT NOT NULL,
    touchpoint_id      INTEGER REFERENCES touchpoints (id) ON DELETE SET NULL,
    source             TEXT NOT NULL,
    customer_id        INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    customer_name      TEXT NOT NULL,
    subject            TEXT NOT NULL,
    body               TEXT NOT NULL,
    language           TEXT NOT NULL,
    priority           TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status             TEXT NOT NULL CHECK (status IN ('open', 'waiting', 'resolved')),
    assignee           TEXT,
    received_at        INTEGER NOT NULL,
    first_response_at  INTEGER,
    resolved_at        INTEGER,
    first_response_due INTEGER,
    resolution_due     INTEGER,
    next_due           INTEGER,
    pauses             TEXT NOT NULL,
    static_points      REAL NOT NULL,
    rank_key           INTEGER NOT NULL,
    earlier_contacts   INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

-- The queue: the next-best open request is the first entry of this index.
CREATE INDEX requests_queue ON requests (rank_key DESC, id) WHERE status <> 'resolved';
CREATE INDEX requests_queue_channel ON requests (channel, rank_key DESC, id)
    WHERE status <> 'resolved';
CREATE INDEX requests_queue_assignee ON requests (assignee, rank_key DESC, id)
    WHERE status <> 'resolved';
CREATE INDEX requests_due ON requests (next_due) WHERE status <> 'resolved';
CREATE INDEX requests_customer ON requests (customer_id, received_at);
CREATE INDEX requests_received ON requests (received_at);

CREATE TABLE request_messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    at         INTEGER NOT NULL
);

CREATE INDEX request_messages_request ON request_messages (request_id, id);

CREATE TABLE request_sources (
    channel       TEXT NOT NULL REFERENCES channels (key) ON DELETE CASCADE,
    source        TEXT NOT NULL,
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    PRIMARY KEY (channel, source)
);

CREATE TABLE sla_policies (
    channel                TEXT NOT NULL REFERENCES channels (key) ON DELETE CASCADE,
    priority               TEXT NOT NULL,
    first_response_minutes INTEGER NOT NULL,
    resolution_minutes     INTEGER NOT NULL,
    around_the_clock       INTEGER NOT NULL CHECK (around_the_clock IN (0, 1)),
    PRIMARY KEY (channel, priority)
);

-- calendar, weights, options: JSON documents.
CREATE TABLE queue_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);
