-- The action plan: actions that optimise, launch or retire touchpoints, each with its goal
-- and measurable target, owner and team, effort, dates and status; the touchpoints and the
-- documented findings it concerns, its budget per quarter, and the history of its status.
-- Instants are microseconds since the Unix epoch (UTC); days are civil dates as text
-- YYYY-MM-DD (as contents' valid_from), which sorts as the days do; money is in cents (EUR),
-- bounded as every amount of the product is (10^12).

CREATE TABLE actions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL CHECK (kind IN ('optimise', 'launch', 'retire')),
    title         TEXT NOT NULL,
    goal          TEXT NOT NULL,
    -- The target: the metric reaches the value within so many days of the start; all three
    -- or none.
    target_metric TEXT CHECK (target_metric IN
                      ('nps', 'csat', 'ces', 'response_p90_hours', 'open_contradictions')),
    target_value  REAL,
    target_days   INTEGER CHECK (target_days BETWEEN 1 AND 3650),
    -- A staff account by user name. An erased account leaves the action without an owner.
    owner         TEXT REFERENCES users (username) ON DELETE SET NULL,
    team          TEXT NOT NULL,
    person_days   REAL NOT NULL CHECK (person_days BETWEEN 0 AND 10000),
    start_on      TEXT,
    due_on        TEXT,
    status        TEXT NOT NULL
                      CHECK (status IN ('idea', 'planned', 'in_progress', 'done', 'dropped')),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK ((target_metric IS NULL) = (target_value IS NULL)
           AND (target_metric IS NULL) = (target_days IS NULL)),
    CHECK (start_on IS NULL OR due_on IS NULL OR due_on >= start_on)
);

CREATE INDEX actions_owner ON actions (owner);

-- A deleted touchpoint or finding leaves the actions that named it; they keep the rest.
CREATE TABLE action_touchpoints (
    action_id     INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    PRIMARY KEY (action_id, touchpoint_id)
);

CREATE INDEX action_touchpoints_touchpoint ON action_touchpoints (touchpoint_id);

CREATE TABLE action_findings (
    action_id  INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    PRIMARY KEY (action_id, finding_id)
);

CREATE INDEX action_findings_finding ON action_findings (finding_id);

-- Quarters as 2027-Q1, which sorts as the quarters do.
CREATE TABLE action_budgets (
    action_id     INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    quarter       TEXT NOT NULL CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
    planned_cents INTEGER NOT NULL CHECK (planned_cents BETWEEN 0 AND 1000000000000),
    spent_cents   INTEGER NOT NULL CHECK (spent_cents BETWEEN 0 AND 1000000000000),
    PRIMARY KEY (action_id, quarter)
);

-- Every change of an action's status, its creation (from NULL) included.
CREATE TABLE action_status_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id   INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    from_status TEXT CHECK (from_status IN ('idea', 'planned', 'in_progress', 'done', 'dropped')),
    to_status   TEXT NOT NULL
                    CHECK (to_status IN ('idea', 'planned', 'in_progress', 'done', 'dropped')),
    actor       TEXT NOT NULL,
    at          INTEGER NOT NULL,
    note        TEXT NOT NULL
);

CREATE INDEX action_status_history_action ON action_status_history (action_id, id);

-- Who used a touchpoint lately (the reach of an action, the customers a retirement
-- concerns) is read from a touchpoint's requests in a window, and its open requests from
-- the few that are not resolved.
CREATE INDEX requests_touchpoint ON requests (touchpoint_id, received_at);
CREATE INDEX requests_open_touchpoint ON requests (touchpoint_id) WHERE status <> 'resolved';
