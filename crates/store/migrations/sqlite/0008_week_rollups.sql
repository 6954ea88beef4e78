-- Answer counts per score by metric and week (keyed by its Monday, as day numbers are), per
-- touchpoint and channel and over all of them: a weekly view reads one row per week and place
-- instead of seven. Filled from the day roll-ups once; kept in the same transaction as the
-- answers from then on.

CREATE TABLE response_weeks (
    metric        TEXT NOT NULL,
    day           INTEGER NOT NULL,
    touchpoint_id INTEGER NOT NULL,
    channel       TEXT NOT NULL,
    c0 INTEGER NOT NULL, c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
    c4 INTEGER NOT NULL, c5 INTEGER NOT NULL, c6 INTEGER NOT NULL, c7 INTEGER NOT NULL,
    c8 INTEGER NOT NULL, c9 INTEGER NOT NULL, c10 INTEGER NOT NULL,
    PRIMARY KEY (metric, day, touchpoint_id, channel)
) WITHOUT ROWID;

CREATE TABLE response_week_totals (
    metric TEXT NOT NULL,
    day    INTEGER NOT NULL,
    c0 INTEGER NOT NULL, c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
    c4 INTEGER NOT NULL, c5 INTEGER NOT NULL, c6 INTEGER NOT NULL, c7 INTEGER NOT NULL,
    c8 INTEGER NOT NULL, c9 INTEGER NOT NULL, c10 INTEGER NOT NULL,
    PRIMARY KEY (metric, day)
) WITHOUT ROWID;

INSERT INTO response_weeks
SELECT metric, week, touchpoint_id, channel, SUM(c0), SUM(c1), SUM(c2), SUM(c3), SUM(c4),
       SUM(c5), SUM(c6), SUM(c7), SUM(c8), SUM(c9), SUM(c10)
FROM (SELECT
          CAST(strftime('%Y%m%d', date(printf('%04d-%02d-%02d', day / 10000, day / 100 % 100, day % 100), 'weekday 0', '-6 days')) AS INTEGER) AS week,
          *
      FROM response_days) AS days
GROUP BY metric, week, touchpoint_id, channel;

INSERT INTO response_week_totals
SELECT metric, day, SUM(c0), SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(c5), SUM(c6), SUM(c7),
       SUM(c8), SUM(c9), SUM(c10)
FROM response_weeks GROUP BY metric, day;
