-- The touchpoint inventory: catalog lists, touchpoints, their labels and history.
-- Instants are microseconds since the Unix epoch (UTC). Keys for comparisons without case
-- (name_key, sort_key, owner_key, value_key, search_text) are computed by the application, because
-- SQLite's lower() folds ASCII only. AUTOINCREMENT keeps SQLite from giving a deleted row's
-- id to a new one, which would mix the history of two touchpoints.

CREATE TABLE channels (
    key      TEXT PRIMARY KEY NOT NULL,
    label_de TEXT NOT NULL,
    label_en TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('physical', 'digital', 'communication')),
    position INTEGER NOT NULL
);

CREATE TABLE phases (
    key      TEXT PRIMARY KEY NOT NULL,
    label_de TEXT NOT NULL,
    label_en TEXT NOT NULL,
    stage    TEXT NOT NULL CHECK (stage IN ('before_purchase', 'during_purchase', 'after_purchase')),
    position INTEGER NOT NULL
);

CREATE TABLE touchpoints (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    name                  TEXT NOT NULL,
    name_key              TEXT NOT NULL UNIQUE,
    sort_key              TEXT NOT NULL,
    description           TEXT NOT NULL,
    channel               TEXT NOT NULL REFERENCES channels (key) ON DELETE RESTRICT,
    kind                  TEXT NOT NULL CHECK (kind IN ('physical', 'digital', 'communication')),
    phase                 TEXT NOT NULL REFERENCES phases (key) ON DELETE RESTRICT,
    owner                 TEXT NOT NULL,
    owner_key             TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('planned', 'active', 'retired')),
    importance_experience INTEGER NOT NULL CHECK (importance_experience BETWEEN 1 AND 5),
    importance_loyalty    INTEGER NOT NULL CHECK (importance_loyalty BETWEEN 1 AND 5),
    importance_referral   INTEGER NOT NULL CHECK (importance_referral BETWEEN 1 AND 5),
    brand_fit             INTEGER NOT NULL CHECK (brand_fit BETWEEN 1 AND 5),
    notes                 TEXT NOT NULL,
    search_text           TEXT NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);

CREATE INDEX touchpoints_sort ON touchpoints (sort_key, name_key);
CREATE INDEX touchpoints_channel ON touchpoints (channel);
CREATE INDEX touchpoints_phase ON touchpoints (phase);
CREATE INDEX touchpoints_status ON touchpoints (status);
CREATE INDEX touchpoints_owner ON touchpoints (owner_key);

-- Target groups ('group') and regions ('region') of a touchpoint, in their given order.
CREATE TABLE touchpoint_labels (
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('group', 'region')),
    position      INTEGER NOT NULL,
    value         TEXT NOT NULL,
    value_key     TEXT NOT NULL,
    PRIMARY KEY (touchpoint_id, kind, position)
);

CREATE INDEX touchpoint_labels_value ON touchpoint_labels (kind, value_key);

-- Kept when a touchpoint is deleted, hence no foreign key.
CREATE TABLE touchpoint_history (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    touchpoint_id INTEGER NOT NULL,
    at            INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    changes       TEXT NOT NULL
);

CREATE INDEX touchpoint_history_touchpoint ON touchpoint_history (touchpoint_id, id);
