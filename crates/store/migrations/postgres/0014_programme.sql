-- The 30-day programme of the action plan: one round after another, the highest the current
-- one, each from its start day (text YYYY-MM-DD), with who started it and when (microseconds
-- since the Unix epoch, UTC); the tasks it carried over from the round before, unfinished
-- there; and the tasks ticked by hand in it. Task keys are the core's (`TaskKey`). Staff
-- are named by user name, kept under a pseudonym when the account is erased.

CREATE TABLE programmes (
    round      BIGINT NOT NULL PRIMARY KEY CHECK (round >= 1),
    start_on   TEXT NOT NULL,
    started_by TEXT NOT NULL,
    started_at BIGINT NOT NULL
);

CREATE TABLE programme_carried (
    round    BIGINT NOT NULL REFERENCES programmes (round) ON DELETE CASCADE,
    task_key TEXT NOT NULL,
    PRIMARY KEY (round, task_key)
);

CREATE TABLE programme_ticks (
    round    BIGINT NOT NULL REFERENCES programmes (round) ON DELETE CASCADE,
    task_key TEXT NOT NULL,
    done_at  BIGINT NOT NULL,
    done_by  TEXT NOT NULL,
    PRIMARY KEY (round, task_key)
);
