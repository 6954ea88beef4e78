-- Surveys at touchpoints, their answers, customer events, and the roll-ups the dashboard reads.
-- Instants are microseconds since the Unix epoch (UTC). Days are the organisation's calendar
-- days as integers yyyymmdd, months their first day (yyyymm01); the organisation's time zone
-- is a setting, and changing it rebuilds the roll-ups.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE surveys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    slug          TEXT NOT NULL UNIQUE,
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    metric        TEXT NOT NULL CHECK (metric IN ('nps', 'csat', 'ces')),
    channel       TEXT REFERENCES channels (key),
    question_de   TEXT NOT NULL,
    question_en   TEXT NOT NULL,
    follow_up_de  TEXT NOT NULL,
    follow_up_en  TEXT NOT NULL,
    active        INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE INDEX surveys_touchpoint ON surveys (touchpoint_id);

-- Answers are kept when their survey goes; a touchpoint with answers cannot be deleted (the
-- store refuses first and names the count), only retired.
CREATE TABLE responses (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id   TEXT UNIQUE,
    survey_id     INTEGER REFERENCES surveys (id) ON DELETE SET NULL,
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id),
    metric        TEXT NOT NULL CHECK (metric IN ('nps', 'csat', 'ces')),
    score         INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment       TEXT NOT NULL,
    answered_at   INTEGER NOT NULL,
    channel       TEXT NOT NULL,
    customer_ref  TEXT
);

CREATE INDEX responses_answered ON responses (answered_at, id);
CREATE INDEX responses_touchpoint ON responses (touchpoint_id, answered_at);
CREATE INDEX responses_customer ON responses (customer_ref) WHERE customer_ref IS NOT NULL;

-- Answers per score (c0 … c10), per metric, day, touchpoint and channel: mergeable counts,
-- maintained in the transaction that stores the answers.
CREATE TABLE response_days (
    metric        TEXT NOT NULL,
    day           INTEGER NOT NULL,
    touchpoint_id INTEGER NOT NULL,
    channel       TEXT NOT NULL,
    c0 INTEGER NOT NULL, c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
    c4 INTEGER NOT NULL, c5 INTEGER NOT NULL, c6 INTEGER NOT NULL, c7 INTEGER NOT NULL,
    c8 INTEGER NOT NULL, c9 INTEGER NOT NULL, c10 INTEGER NOT NULL,
    PRIMARY KEY (metric, day, touchpoint_id, channel)
) WITHOUT ROWID;

-- The same per month, so that a view of years reads a few thousand rows.
CREATE TABLE response_months (
    metric        TEXT NOT NULL,
    day           INTEGER NOT NULL,
    touchpoint_id INTEGER NOT NULL,
    channel       TEXT NOT NULL,
    c0 INTEGER NOT NULL, c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
    c4 INTEGER NOT NULL, c5 INTEGER NOT NULL, c6 INTEGER NOT NULL, c7 INTEGER NOT NULL,
    c8 INTEGER NOT NULL, c9 INTEGER NOT NULL, c10 INTEGER NOT NULL,
    PRIMARY KEY (metric, day, touchpoint_id, channel)
) WITHOUT ROWID;

CREATE TABLE customer_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id  TEXT UNIQUE,
    customer_ref TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('activity', 'purchase', 'churn')),
    at           INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL
);

CREATE INDEX customer_events_customer ON customer_events (customer_ref, at);

-- Per day: customers who joined or came back, customers lost, revenue and purchases.
CREATE TABLE customer_days (
    day           INTEGER PRIMARY KEY,
    gained        INTEGER NOT NULL,
    lost          INTEGER NOT NULL,
    revenue_cents INTEGER NOT NULL,
    purchases     INTEGER NOT NULL
);
