-- Answer counts per score by metric and day (and month) over every touchpoint and channel:
-- the tiles and trends of a dashboard read one row per period from here instead of merging
-- every touchpoint's and channel's row. Filled from the per-place roll-ups once; kept in the
-- same transaction as the answers from then on.

CREATE TABLE response_day_totals (
    metric TEXT NOT NULL,
    day    INTEGER NOT NULL,
    c0 INTEGER NOT NULL, c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
    c4 INTEGER NOT NULL, c5 INTEGER NOT NULL, c6 INTEGER NOT NULL, c7 INTEGER NOT NULL,
    c8 INTEGER NOT NULL, c9 INTEGER NOT NULL, c10 INTEGER NOT NULL,
    PRIMARY KEY (metric, day)
) WITHOUT ROWID;

CREATE TABLE response_month_totals (
    metric TEXT NOT NULL,
    day    INTEGER NOT NULL,
    c0 INTEGER NOT NULL, c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
    c4 INTEGER NOT NULL, c5 INTEGER NOT NULL, c6 INTEGER NOT NULL, c7 INTEGER NOT NULL,
    c8 INTEGER NOT NULL, c9 INTEGER NOT NULL, c10 INTEGER NOT NULL,
    PRIMARY KEY (metric, day)
) WITHOUT ROWID;

INSERT INTO response_day_totals
SELECT metric, day, SUM(c0), SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(c5), SUM(c6), SUM(c7),
       SUM(c8), SUM(c9), SUM(c10)
FROM response_days GROUP BY metric, day;

INSERT INTO response_month_totals
SELECT metric, day, SUM(c0), SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(c5), SUM(c6), SUM(c7),
       SUM(c8), SUM(c9), SUM(c10)
FROM response_months GROUP BY metric, day;
