-- Answer counts per score by metric and week (keyed by its Monday, as day numbers are), per
-- touchpoint and channel and over all of them: a weekly view reads one row per week and place
-- instead of seven. Filled from the day roll-ups once; kept in the same transaction as the
-- answers from then on.

CREATE TABLE response_weeks (
    metric        TEXT NOT NULL,
    day           INTEGER NOT NULL,
    touchpoint_id BIGINT NOT NULL,
    channel       TEXT NOT NULL,
    c0 BIGINT NOT NULL, c1 BIGINT NOT NULL, c2 BIGINT NOT NULL, c3 BIGINT NOT NULL,
    c4 BIGINT NOT NULL, c5 BIGINT NOT NULL, c6 BIGINT NOT NULL, c7 BIGINT NOT NULL,
    c8 BIGINT NOT NULL, c9 BIGINT NOT NULL, c10 BIGINT NOT NULL,
    PRIMARY KEY (metric, day, touchpoint_id, channel)
);

CREATE TABLE response_week_totals (
    metric TEXT NOT NULL,
    day    INTEGER NOT NULL,
    c0 BIGINT NOT NULL, c1 BIGINT NOT NULL, c2 BIGINT NOT NULL, c3 BIGINT NOT NULL,
    c4 BIGINT NOT NULL, c5 BIGINT NOT NULL, c6 BIGINT NOT NULL, c7 BIGINT NOT NULL,
    c8 BIGINT NOT NULL, c9 BIGINT NOT NULL, c10 BIGINT NOT NULL,
    PRIMARY KEY (metric, day)
);

INSERT INTO response_weeks
SELECT metric, week, touchpoint_id, channel, SUM(c0), SUM(c1), SUM(c2), SUM(c3), SUM(c4),
       SUM(c5), SUM(c6), SUM(c7), SUM(c8), SUM(c9), SUM(c10)
FROM (SELECT
          CAST(to_char(date_trunc('week', make_date(day / 10000, day / 100 % 100, day % 100)), 'YYYYMMDD') AS INTEGER) AS week,
          *
      FROM response_days) AS days
GROUP BY metric, week, touchpoint_id, channel;

INSERT INTO response_week_totals
SELECT metric, day, SUM(c0), SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(c5), SUM(c6), SUM(c7),
       SUM(c8), SUM(c9), SUM(c10)
FROM response_weeks GROUP BY metric, day;
