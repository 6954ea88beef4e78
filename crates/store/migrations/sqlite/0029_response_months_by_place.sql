-- A breakdown by touchpoint or channel sums a window's months per touchpoint and channel.
-- With the place before the month in the key, each place's months lie together in the key's
-- order and are summed as they are read, without sorting the window's rows first. Trends
-- read the month totals, which keep the month first.

CREATE TABLE response_months_by_place (
    metric        TEXT NOT NULL,
    day           INTEGER NOT NULL,
    touchpoint_id INTEGER NOT NULL,
    channel       TEXT NOT NULL,
    c0 INTEGER NOT NULL, c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
    c4 INTEGER NOT NULL, c5 INTEGER NOT NULL, c6 INTEGER NOT NULL, c7 INTEGER NOT NULL,
    c8 INTEGER NOT NULL, c9 INTEGER NOT NULL, c10 INTEGER NOT NULL,
    PRIMARY KEY (metric, touchpoint_id, channel, day)
) WITHOUT ROWID;

INSERT INTO response_months_by_place
SELECT metric, day, touchpoint_id, channel, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10
FROM response_months;

DROP TABLE response_months;
ALTER TABLE response_months_by_place RENAME TO response_months;
