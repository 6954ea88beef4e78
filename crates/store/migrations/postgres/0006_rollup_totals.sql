-- Answer counts per score by metric and day (and month) over every touchpoint and channel:
-- the tiles and trends of a dashboard read one row per period from here instead of merging
-- every touchpoint's and channel's row. Filled from the per-place roll-ups once; kept in the
-- same transaction as the answers from then on.

CREATE TABLE response_day_totals (
    metric TEXT NOT NULL,
    day    INTEGER NOT NULL,
    c0 BIGINT NOT NULL, c1 BIGINT NOT NULL, c2 BIGINT NOT NULL, c3 BIGINT NOT NULL,
    c4 BIGINT NOT NULL, c5 BIGINT NOT NULL, c6 BIGINT NOT NULL, c7 BIGINT NOT NULL,
    c8 BIGINT NOT NULL, c9 BIGINT NOT NULL, c10 BIGINT NOT NULL,
    PRIMARY KEY (metric, day)
);

CREATE TABLE response_month_totals (
    metric TEXT NOT NULL,
    day    INTEGER NOT NULL,
    c0 BIGINT NOT NULL, c1 BIGINT NOT NULL, c2 BIGINT NOT NULL, c3 BIGINT NOT NULL,
    c4 BIGINT NOT NULL, c5 BIGINT NOT NULL, c6 BIGINT NOT NULL, c7 BIGINT NOT NULL,
    c8 BIGINT NOT NULL, c9 BIGINT NOT NULL, c10 BIGINT NOT NULL,
    PRIMARY KEY (metric, day)
);

INSERT INTO response_day_totals
SELECT metric, day, SUM(c0), SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(c5), SUM(c6), SUM(c7),
       SUM(c8), SUM(c9), SUM(c10)
FROM response_days GROUP BY metric, day;

INSERT INTO response_month_totals
SELECT metric, day, SUM(c0), SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(c5), SUM(c6), SUM(c7),
       SUM(c8), SUM(c9), SUM(c10)
FROM response_months GROUP BY metric, day;
