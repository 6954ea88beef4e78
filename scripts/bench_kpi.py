#!/usr/bin/env python3
"""Dashboard KPI queries through the HTTP API, timed beside the same aggregates in DuckDB
over Parquet files of the same data, with an exact agreement check. DuckDB answers each query
twice: from the raw answers and customer events, and from the roll-ups the store keeps (the
same tables the API reads), both exported from the database the API serves.

Run by scripts/bench-kpi, which builds the binary, provides DuckDB and a PostgreSQL server.
For each store given with --store NAME=URL (an empty database):

1. sets the organisation time zone, loads `touchpoints demo --scale N` (timed);
2. exports answers and customer events as CSV, and the roll-up tables straight from the
   database, and converts them to Parquet (not timed);
3. starts `touchpoints serve`, creates an account and a read token with the CLI;
4. times a reference probe (SHA-256 over 64 MiB), then each query through HTTP and in DuckDB
   over both Parquet sets (warm-up, then --reps runs each), then the dashboard page itself
   with its default panels, as the account logged in (--page-reps visits), then the probe
   again;
5. checks that every group's n, counts per score and value agree exactly (floats with ==),
   and that the customer base, gains, losses and revenue per quarter agree, for both
   DuckDB baselines.

Exits 1 on any disagreement. Prints a Markdown table per store.
"""

import argparse
import csv
import datetime as dt
import hashlib
import http.client
import json
import math
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from zoneinfo import ZoneInfo

import duckdb

TIME_ZONE = "Europe/Berlin"
WARM_UP = 3


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(binary, database, *args, capture=True):
    env = dict(os.environ, TOUCHPOINTS_DATABASE=database)
    result = subprocess.run(
        [binary, *args], env=env, text=True, capture_output=capture, check=False
    )
    if result.returncode != 0:
        raise SystemExit(
            f"touchpoints {' '.join(args)} failed ({result.returncode}):\n{result.stderr}"
        )
    return result.stdout


def percentile(samples, share):
    ordered = sorted(samples)
    # Nearest rank: the smallest sample with at least `share` of the samples at or below it.
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def timed(function, reps, shares=(0.5, 0.95)):
    for _ in range(WARM_UP):
        function()
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000.0)
    return tuple(percentile(samples, share) for share in shares)


PROBE_MIB = 64


def probe(runs=3):
    """A fixed CPU-bound reference, to tell a slow machine from a slow program: SHA-256 over
    64 MiB, best of `runs`, in ms. The same probe is in crates/core/benches/consistency.rs."""
    pattern = bytes(range(251))
    size = PROBE_MIB * 1024 * 1024
    data = (pattern * (size // len(pattern) + 1))[:size]
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        hashlib.sha256(data).digest()
        best = min(best, (time.perf_counter() - start) * 1000.0)
    return best


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- windows ---------------------------------------------------------------------------


def month_start(day, months_back=0):
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def quarter_start(day, quarters_back=0):
    index = day.year * 4 + (day.month - 1) // 3 - quarters_back
    return dt.date(index // 4, (index % 4) * 3 + 1, 1)


def week_start(day, weeks_back=0):
    return day - dt.timedelta(days=day.weekday() + 7 * weeks_back)


def queries(today):
    """The dashboard queries: (label, path, parameters, kind, metric, by, granularity)."""
    return [
        (
            "(a) NPS by touchpoint, last 12 months",
            "/api/v1/kpis",
            dict(metric="nps", granularity="month", by="touchpoint",
                 start=month_start(today, 12), end=month_start(today)),
            "breakdown",
        ),
        (
            "(b) NPS trend by month, 24 months",
            "/api/v1/kpis",
            dict(metric="nps", granularity="month", by="touchpoint",
                 start=month_start(today, 24), end=month_start(today)),
            "trend",
        ),
        (
            "(c) CSAT by channel, last quarter",
            "/api/v1/kpis",
            dict(metric="csat", granularity="quarter", by="channel",
                 start=quarter_start(today, 1), end=quarter_start(today)),
            "breakdown",
        ),
        (
            "(d) CES trend by week, 13 weeks",
            "/api/v1/kpis",
            dict(metric="ces", granularity="week", by="touchpoint",
                 start=week_start(today, 13), end=week_start(today)),
            "trend",
        ),
        (
            "(e) customers, retention and revenue by quarter, 8 quarters",
            "/api/v1/kpis/customers",
            dict(granularity="quarter", start=quarter_start(today, 8), end=quarter_start(today)),
            "customers",
        ),
    ]


# --- DuckDB ----------------------------------------------------------------------------


def local_day(column, zone):
    if zone == "UTC":
        return f"CAST({column} AS DATE)"
    return f"CAST(({column} AT TIME ZONE '{zone}') AS DATE)"


def value_sql(metric):
    # The definitions, with DOUBLE arithmetic in the order the core evaluates them.
    if metric == "nps":
        return ("100.0::DOUBLE * (count(*) FILTER (WHERE score >= 9)::DOUBLE"
                " - count(*) FILTER (WHERE score <= 6)::DOUBLE) / count(*)::DOUBLE")
    if metric == "csat":
        return "100.0::DOUBLE * count(*) FILTER (WHERE score >= 4)::DOUBLE / count(*)::DOUBLE"
    return "sum(score)::DOUBLE / count(*)::DOUBLE"


def answers_sql(parquet, zone, metric, group, start, end):
    counts = ", ".join(f"count(*) FILTER (WHERE score = {k})" for k in range(11))
    # The UTC pre-filter, a day wider than the window, lets DuckDB skip row groups.
    return f"""
        WITH a AS (
            SELECT touchpoint, channel, score, {local_day('answered_at', zone)} AS day
            FROM read_parquet('{parquet}')
            WHERE metric = '{metric}'
              AND answered_at >= TIMESTAMPTZ '{start - dt.timedelta(days=1)} 00:00:00+00'
              AND answered_at < TIMESTAMPTZ '{end + dt.timedelta(days=1)} 00:00:00+00'
        )
        SELECT {group} AS key, count(*) AS n, {counts}, {value_sql(metric)} AS value
        FROM a
        WHERE day >= DATE '{start}' AND day < DATE '{end}'
        GROUP BY 1 ORDER BY 1
    """


def customers_sql(parquet, zone, start, end):
    return f"""
        WITH e AS (
            SELECT customer_ref, kind, "at", amount_cents, {local_day('"at"', zone)} AS day,
                   CASE WHEN kind = 'churn' THEN 1 ELSE 0 END AS tie
            FROM read_parquet('{parquet}')
        ), s AS (
            -- Whether the customer was one before the event: their previous event was no
            -- churn. Ties on an instant: activity and purchases before a churn.
            SELECT *, lag(kind) OVER (PARTITION BY customer_ref ORDER BY "at", tie) AS prev
            FROM e
        ), q AS (
            SELECT CAST(date_trunc('quarter', day) AS DATE) AS start,
                   count(*) FILTER (WHERE kind <> 'churn' AND (prev IS NULL OR prev = 'churn'))
                       AS gained,
                   count(*) FILTER (WHERE kind = 'churn' AND prev IS NOT NULL AND prev <> 'churn')
                       AS lost,
                   coalesce(sum(amount_cents) FILTER (WHERE kind = 'purchase'), 0) AS revenue,
                   count(*) FILTER (WHERE kind = 'purchase') AS purchases
            FROM s GROUP BY 1
        ), c AS (
            SELECT *, coalesce(sum(gained - lost) OVER (ORDER BY start
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS at_start
            FROM q
        )
        SELECT start, at_start, gained, lost, at_start + gained - lost, revenue, purchases
        FROM c WHERE start >= DATE '{start}' AND start < DATE '{end}' ORDER BY start
    """


# --- DuckDB over the roll-ups ------------------------------------------------------------

COUNTS = [f"c{k}" for k in range(11)]
PLACE_ROLLUP = ["metric", "day", "touchpoint_id", "channel", *COUNTS]
TOTAL_ROLLUP = ["metric", "day", *COUNTS]
# The roll-up tables the store keeps in the transaction that stores answers and events
# (crates/store/migrations/*/0005, 0006, 0008); `day` is a local day number YYYYMMDD, the
# first day of the period for weeks (Monday) and months.
ROLLUPS = {
    "response_days": PLACE_ROLLUP,
    "response_weeks": PLACE_ROLLUP,
    "response_months": PLACE_ROLLUP,
    "response_day_totals": TOTAL_ROLLUP,
    "response_week_totals": TOTAL_ROLLUP,
    "response_month_totals": TOTAL_ROLLUP,
    "customer_days": ["day", "gained", "lost", "revenue_cents", "purchases"],
}


def rollup_table(granularity, kind):
    """The table the API reads (crates/app/src/reports.rs, `resolution`; the store's
    `tallies_by_place` for breakdowns, `tallies_by_bucket` for tiles and trends)."""
    resolution = {"day": "day", "week": "week"}.get(granularity, "month")
    return f"response_{resolution}s" if kind == "breakdown" else f"response_{resolution}_totals"


def dump_table(database, table, columns, path):
    """One table of the database the API serves, as CSV, read with the database's client."""
    select = f"SELECT {', '.join(columns)} FROM {table}"
    if database.startswith("sqlite:"):
        file = database.removeprefix("sqlite:").removeprefix("//").split("?", 1)[0]
        conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            with open(path, "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(columns)
                writer.writerows(conn.execute(select))
        finally:
            conn.close()
    else:
        subprocess.run(
            ["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", database,
             "-c", f"\\copy ({select}) TO '{path}' WITH (FORMAT csv, HEADER)"],
            check=True,
        )


def export_rollups(con, database, work):
    """Every roll-up table as a Parquet file, with `day` as a DATE; returns name -> path."""
    files = {}
    for table, columns in ROLLUPS.items():
        csv_path = os.path.join(work, f"{table}.csv")
        parquet = os.path.join(work, f"{table}.parquet")
        dump_table(database, table, columns, csv_path)
        types = ", ".join(
            f"'{c}': '{'VARCHAR' if c in ('metric', 'channel') else 'BIGINT'}'" for c in columns
        )
        select = ", ".join(
            "make_date(day // 10000, day // 100 % 100, day % 100) AS day" if c == "day" else c
            for c in columns
        )
        order = "metric, day" if "metric" in columns else "day"
        con.execute(f"""
            COPY (SELECT {select}
                  FROM read_csv('{csv_path}', header = true, columns = {{{types}}})
                  ORDER BY {order})
            TO '{parquet}' (FORMAT parquet)
        """)
        os.remove(csv_path)
        files[table] = parquet
    return files


def rollup_value_sql(metric):
    # The same definitions and DOUBLE arithmetic as value_sql, from the counts per score.
    n = "n::DOUBLE"
    if metric == "nps":
        return (f"100.0::DOUBLE * ((c9 + c10)::DOUBLE"
                f" - ({' + '.join(COUNTS[:7])})::DOUBLE) / {n}")
    if metric == "csat":
        return f"100.0::DOUBLE * ({' + '.join(COUNTS[4:])})::DOUBLE / {n}"
    return f"({' + '.join(f'{k} * c{k}' for k in range(1, 11))})::DOUBLE / {n}"


def rollups_sql(parquet, metric, group, start, end):
    sums = ", ".join(f"CAST(sum({c}) AS BIGINT) AS {c}" for c in COUNTS)
    return f"""
        WITH r AS (
            SELECT {group} AS key, {sums}
            FROM read_parquet('{parquet}')
            WHERE metric = '{metric}' AND day >= DATE '{start}' AND day < DATE '{end}'
            GROUP BY 1
        ), t AS (
            SELECT *, {' + '.join(COUNTS)} AS n FROM r
        )
        SELECT key, n, {', '.join(COUNTS)}, {rollup_value_sql(metric)} AS value
        FROM t ORDER BY 1
    """


def customers_rollup_sql(parquet, start, end):
    return f"""
        WITH q AS (
            SELECT CAST(date_trunc('quarter', day) AS DATE) AS start,
                   CAST(sum(gained) AS BIGINT) AS gained, CAST(sum(lost) AS BIGINT) AS lost,
                   CAST(sum(revenue_cents) AS BIGINT) AS revenue,
                   CAST(sum(purchases) AS BIGINT) AS purchases
            FROM read_parquet('{parquet}') GROUP BY 1
        ), c AS (
            SELECT *, coalesce(sum(gained - lost) OVER (ORDER BY start
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS at_start
            FROM q
        )
        SELECT start, at_start, gained, lost, at_start + gained - lost, revenue, purchases
        FROM c WHERE start >= DATE '{start}' AND start < DATE '{end}' ORDER BY start
    """


def to_parquet(con, csv, parquet, columns):
    types = ", ".join(f"'{name}': '{kind}'" for name, kind in columns)
    con.execute(f"""
        COPY (SELECT * FROM read_csv('{csv}', header = true, columns = {{{types}}}))
        TO '{parquet}' (FORMAT parquet)
    """)


# --- agreement -------------------------------------------------------------------------


def answer_groups(groups):
    """API groups with answers as key -> (n, counts, value)."""
    out = {}
    for key, value in groups:
        if value["n"] == 0:
            continue
        estimate = value.get("estimate")
        out[str(key)] = (value["n"], list(value["counts"]),
                         estimate["value"] if estimate else None)
    return out


def compare(label, api, duck):
    problems = []
    for key in sorted(set(api) | set(duck)):
        if api.get(key) != duck.get(key):
            problems.append(f"{label}: group {key}: API {api.get(key)} DuckDB {duck.get(key)}")
    return problems


def api_groups_of(kind, report):
    if kind == "customers":
        return {
            p["start"]: (p["customers_at_start"], p["gained"], p["lost"],
                         p["customers_at_end"], p["revenue_cents"], p["purchases"])
            for p in report["periods"]
        }
    rows = report["breakdown"] if kind == "breakdown" else report["trend"]
    return answer_groups(
        (r["key"], r["current"]) if kind == "breakdown" else (r["start"], r) for r in rows
    )


def agreement(label, kind, report, api_groups, duck):
    """The disagreements between the API's report and DuckDB's rows for one query."""
    problems = []
    if kind == "customers":
        duck_groups = {str(r[0]): tuple(r[1:]) for r in duck}
        # A quarter without any event has no row in DuckDB; it is then all zero changes on
        # the base carried over.
        for key, values in api_groups.items():
            if key not in duck_groups and values[1:3] + values[4:] == (0, 0, 0, 0):
                duck_groups[key] = values
    else:
        duck_groups = {str(r[0]): (r[1], list(r[2:13]), r[13]) for r in duck}
        total = sum(v[0] for v in duck_groups.values())
        api_total = report["total"]["current"]["n"]
        if total != api_total:
            problems.append(f"{label}: total n: API {api_total} DuckDB {total}")
    return problems + compare(label, api_groups, duck_groups)


def durability(database):
    """The durability the store ran with, as its settings name it."""
    if database.startswith("sqlite:"):
        relaxed = ("durability=relaxed" in database
                   or os.environ.get("TOUCHPOINTS_DURABILITY") == "relaxed")
        return ("SQLite synchronous=NORMAL (--durability relaxed), WAL" if relaxed
                else "SQLite synchronous=FULL (the default), WAL")
    settings = []
    for name in ("synchronous_commit", "fsync"):
        value = subprocess.run(
            ["psql", "-X", "-tA", database, "-c", f"SHOW {name}"],
            capture_output=True, text=True, check=False,
        ).stdout.strip() or "unknown"
        settings.append(f"{name}={value}")
    return "PostgreSQL " + ", ".join(settings)


# --- one store -------------------------------------------------------------------------


class Client:
    """One keep-alive connection to the server. The server closes a connection that sat idle
    for 10 seconds, as DuckDB's timings between two requests may at ten million answers: a
    request that finds it closed is sent again once, on a new connection."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def exchange(self, method, path, body=None, headers=None):
        try:
            return self.send(method, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.connection.close()
            return self.send(method, path, body, headers)

    def send(self, method, path, body, headers):
        self.connection.request(method, path, body=body, headers=headers or {})
        response = self.connection.getresponse()
        return response, response.read()


class Api(Client):
    def __init__(self, port, token):
        super().__init__(port)
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path, params):
        url = f"{path}?{urllib.parse.urlencode(params)}"
        response, body = self.exchange("GET", url, headers=self.headers)
        if response.status != 200:
            raise SystemExit(f"GET {url}: {response.status} {body[:500]!r}")
        return body


class Session(Client):
    """A browser's view of the server: logged in through the login form, with its cookies."""

    def __init__(self, port, user, password):
        super().__init__(port)
        self.cookies = {}
        page = self.request("GET", "/login").decode()
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page)
        if csrf is None:
            raise SystemExit("the login page holds no CSRF field")
        form = urllib.parse.urlencode({
            "_csrf": csrf.group(1), "next": "/dashboard", "username": user, "password": password,
        })
        self.request("POST", "/login", form, expect=303,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})

    def request(self, method, path, body=None, expect=200, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response, content = self.exchange(method, path, body, headers)
        if response.status != expect:
            raise SystemExit(f"{method} {path}: {response.status} {content[:500]!r}")
        for cookie in response.headers.get_all("Set-Cookie") or []:
            key, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[key] = value
        return content


def bench_store(args, name, database, zone):
    work = os.path.join(args.work, name)
    os.makedirs(work, exist_ok=True)
    binary = args.binary
    result = {"store": name}

    run(binary, database, "settings", "time-zone", zone)
    if args.loaded:
        # A database a run loaded before (copied, say): measure it as it is.
        log(f"[{name}] using the loaded database as it is")
        result["load_seconds"] = float("nan")
        result["rows_per_second"] = float("nan")
    else:
        log(f"[{name}] touchpoints demo --scale {args.rows}")
        start = time.perf_counter()
        output = run(binary, database, "demo", "--scale", str(args.rows))
        seconds = time.perf_counter() - start
        log(output.strip())
        result["load_seconds"] = seconds
        result["rows_per_second"] = 2 * args.rows / seconds
        # The last line is the scaled load; one before it may be the demo's own history.
        measured = re.findall(
            r"loaded in ([0-9.]+) s \(([0-9]+) rows/s\): "
            r"answers ([0-9]+) rows/s, customer events ([0-9]+) rows/s", output)
        if measured:
            result["insert_seconds"] = float(measured[-1][0])
            result["insert_rows_per_second"] = int(measured[-1][1])
            result["answers_per_second"] = int(measured[-1][2])
            result["events_per_second"] = int(measured[-1][3])

    log(f"[{name}] exporting and converting to Parquet")
    responses_csv = os.path.join(work, "responses.csv")
    events_csv = os.path.join(work, "events.csv")
    run(binary, database, "responses", "export", responses_csv)
    run(binary, database, "events", "export", events_csv)
    con = duckdb.connect()
    con.execute(f"SET threads = {os.cpu_count() or 1}")
    responses = os.path.join(work, "responses.parquet")
    events = os.path.join(work, "events.parquet")
    stamp = "TIMESTAMPTZ" if zone != "UTC" else "TIMESTAMP"
    to_parquet(con, responses_csv, responses, [
        ("touchpoint", "BIGINT"), ("metric", "VARCHAR"), ("score", "INTEGER"),
        ("comment", "VARCHAR"), ("answered_at", stamp), ("channel", "VARCHAR"),
        ("customer_ref", "VARCHAR"), ("external_id", "VARCHAR"), ("survey_id", "BIGINT"),
    ])
    # Amounts are decimals with a point; a refund's leading minus carries the spreadsheet
    # formula mark `'`.
    con.execute(f"""
        COPY (SELECT customer_ref, kind, "at",
                     CAST(round(CAST(replace(amount, '''', '') AS DECIMAL(18, 2)) * 100)
                          AS BIGINT) AS amount_cents
              FROM read_csv('{events_csv}', header = true, columns = {{
                  'customer_ref': 'VARCHAR', 'kind': 'VARCHAR', 'at': '{stamp}',
                  'amount': 'VARCHAR', 'external_id': 'VARCHAR'}}))
        TO '{events}' (FORMAT parquet)
    """)
    for csv in (responses_csv, events_csv):
        os.remove(csv)
    if zone == "UTC":
        con.execute("SET TimeZone = 'UTC'")
    rollups = export_rollups(con, database, work)
    result["rollup_rows"] = {
        table: con.execute(f"SELECT count(*) FROM '{path}'").fetchone()[0]
        for table, path in rollups.items()
    }
    result["durability"] = durability(database)
    result["answers"] = con.execute(f"SELECT count(*) FROM '{responses}'").fetchone()[0]
    result["events"] = con.execute(f"SELECT count(*) FROM '{events}'").fetchone()[0]

    server = subprocess.Popen(
        [binary, "serve", "--addr", "127.0.0.1:0"],
        env=dict(os.environ, TOUCHPOINTS_DATABASE=database, TOUCHPOINTS_LOG="warn"),
        stdout=subprocess.PIPE, text=True,
    )
    try:
        port = None
        for line in server.stdout:
            found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if found:
                port = int(found.group(1))
                break
        if port is None:
            raise SystemExit(f"[{name}] the server did not start")
        # One account per run, so that a database measured before can be measured again.
        user = f"bench-{os.getpid()}"
        added = run(binary, database, "user", "add", user, "--role", "admin")
        password = re.search(r"^password: (\S+)$", added, re.MULTILINE)
        if password is None:
            raise SystemExit(f"[{name}] `user add` printed no password:\n{added}")
        token = run(binary, database, "token", "create", "--user", user,
                    "--name", "Benchmark", "--scope", "read").strip()
        api = Api(port, token)
        today = dt.datetime.now(ZoneInfo(zone)).date()
        result["rows"] = []
        problems = []
        result["load_average"] = load_average()
        result["probe_before_ms"] = probe()
        log(f"[{name}] load average {result['load_average']}; reference probe (SHA-256 over "
            f"{PROBE_MIB} MiB, best of 3): {result['probe_before_ms']:.1f} ms")
        for label, path, params, kind in queries(today):
            request = {k: v for k, v in params.items() if k not in ("start", "end")}
            request["from"], request["until"] = str(params["start"]), str(params["end"])
            report = json.loads(api.get(path, request))
            start, end = dt.date.fromisoformat(report["from"]), dt.date.fromisoformat(report["until"])
            if kind == "customers":
                tables = ["customer_days"]
                sqls = {
                    "duckdb": customers_sql(events, zone, start, end),
                    "duckdb_rollups": customers_rollup_sql(rollups["customer_days"], start, end),
                }
            else:
                trend = f"CAST(date_trunc('{params['granularity']}', day) AS DATE)"
                raw_group, rollup_group = {
                    "breakdown": {
                        "touchpoint": ("CAST(touchpoint AS VARCHAR)",
                                       "CAST(touchpoint_id AS VARCHAR)"),
                        "channel": ("channel", "channel"),
                    }[params["by"]],
                    "trend": (trend, trend),
                }[kind]
                tables = [rollup_table(params["granularity"], kind)]
                sqls = {
                    "duckdb": answers_sql(responses, zone, params["metric"], raw_group,
                                          start, end),
                    "duckdb_rollups": rollups_sql(rollups[tables[0]], params["metric"],
                                                  rollup_group, start, end),
                }
            api_groups = api_groups_of(kind, report)
            row = {
                "query": label, "window": f"{start} – {end}", "groups": len(api_groups),
                "n": sum(v[0] for v in api_groups.values()) if kind != "customers" else None,
                "rollup_tables": tables,
                "api": timed(lambda: api.get(path, request), args.reps),
            }
            found = []
            for baseline, sql in sqls.items():
                row[baseline] = timed(lambda: con.execute(sql).fetchall(), args.reps)
                which = "raw answers" if baseline == "duckdb" else "roll-ups"
                found += agreement(f"{label} [DuckDB over {which}]", kind, report, api_groups,
                                   con.execute(sql).fetchall())
            problems += found
            row["agrees"] = not found
            result["rows"].append(row)
            (a50, a95), (d50, d95), (r50, r95) = (
                row["api"], row["duckdb"], row["duckdb_rollups"])
            log(f"[{name}] {label}: API p50 {a50:.2f} ms p95 {a95:.2f} ms, "
                f"DuckDB raw p50 {d50:.2f} ms p95 {d95:.2f} ms, "
                f"DuckDB roll-ups p50 {r50:.2f} ms p95 {r95:.2f} ms, "
                f"{len(api_groups)} groups {'agree' if not found else 'DISAGREE'}")
        session = Session(port, user, password.group(1))
        page = session.request("GET", "/dashboard")
        result["page"] = {
            "bytes": len(page),
            "visits": args.page_reps,
            "ms": timed(lambda: session.request("GET", "/dashboard"), args.page_reps,
                        (0.5, 0.95, 0.99)),
        }
        p50, p95, p99 = result["page"]["ms"]
        log(f"[{name}] dashboard page ({len(page):,} bytes): p50 {p50:.2f} ms, "
            f"p95 {p95:.2f} ms, p99 {p99:.2f} ms")
        result["probe_after_ms"] = probe()
        result["load_average_after"] = load_average()
        log(f"[{name}] load average {result['load_average_after']}; reference probe "
            f"{result['probe_after_ms']:.1f} ms")
        result["problems"] = problems
    finally:
        server.terminate()
        server.wait(timeout=30)
    return result


def ratio(x):
    if x >= 10:
        return f"{x:,.0f}×"
    return f"{x:.1f}×" if x >= 1 else f"{x:.2f}×"


def table(result, rows, zone):
    rollup_rows = result["rollup_rows"]
    lines = [
        f"### {result['store']}: N = {rows:,} answers and {rows:,} customer events "
        f"(plus the demo history), time zone {zone}",
        "",
        f"Durability: {result['durability']}.",
        (f"Load (`demo --scale {rows}`): {result['load_seconds']:.1f} s, "
         f"{result['rows_per_second']:,.0f} rows/s"
         if not math.isnan(result["load_seconds"])
         else "Loaded before this run (`--loaded`), not timed")
        + (f" (inserts alone {result['insert_seconds']:.1f} s, "
           f"{result['insert_rows_per_second']:,} rows/s: answers "
           f"{result['answers_per_second']:,} rows/s, customer events "
           f"{result['events_per_second']:,} rows/s)" if "insert_seconds" in result else "")
        + f"; stored {result['answers']:,} answers, {result['events']:,} events; roll-up rows: "
        + ", ".join(f"{table} {count:,}" for table, count in rollup_rows.items()) + ".",
        f"Reference probe (SHA-256 over {PROBE_MIB} MiB, best of 3): "
        f"{result['probe_before_ms']:.1f} ms before the timings, "
        f"{result['probe_after_ms']:.1f} ms after; load average "
        f"{result['load_average']} before, {result['load_average_after']} after.",
        "",
        "| query | groups | API p50 / p95 (ms) | DuckDB raw p50 / p95 (ms) | raw / API "
        "| DuckDB roll-ups p50 / p95 (ms) | roll-ups / API | agreement |",
        "|---|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in result["rows"]:
        (a50, a95), (d50, d95), (u50, u95) = r["api"], r["duckdb"], r["duckdb_rollups"]
        lines.append(
            f"| {r['query']} | {r['groups']} | {a50:.2f} / {a95:.2f} | {d50:.1f} / {d95:.1f} "
            f"| {ratio(d50 / a50)} | {u50:.2f} / {u95:.2f} | {ratio(u50 / a50)} "
            f"| {'✓' if r['agrees'] else '✗'} |"
        )
    page = result["page"]
    lines += [
        "",
        f"The dashboard page (`GET /dashboard` with its default panels, {page['bytes']:,} bytes "
        f"of HTML, {page['visits']} visits with a session): p50 / p95 / p99 "
        + " / ".join(f"{ms:.2f}" for ms in page["ms"]) + " ms.",
    ]
    lines += [
        "",
        "Ratios are DuckDB's p50 over the API's p50: above 1× the API is faster. Roll-ups "
        "read: " + "; ".join(
            f"{r['query'].split(' ')[0]} {', '.join(r['rollup_tables'])}" for r in result["rows"]
        ) + ".",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--store", action="append", required=True, help="NAME=DATABASE_URL")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument(
        "--loaded",
        action="store_true",
        help="the databases hold a load of --rows already: skip loading, measure only",
    )
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--page-reps", type=int, default=300,
                        help="visits of the dashboard page timed, for its 99th percentile")
    parser.add_argument("--work", required=True)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()

    log(f"load average {load_average()}; reference probe (SHA-256 over {PROBE_MIB} MiB, "
        f"best of 3): {probe():.1f} ms")
    zone = TIME_ZONE
    try:
        duckdb.sql(f"SELECT TIMESTAMPTZ '2026-03-29 01:30:00+00' AT TIME ZONE '{zone}'").fetchall()
    except duckdb.Error as error:
        log(f"DuckDB has no ICU extension ({error}); comparing in UTC on both sides instead")
        zone = "UTC"

    results = []
    for store in args.store:
        name, _, database = store.partition("=")
        results.append(bench_store(args, name, database, zone))

    print()
    for result in results:
        print(table(result, args.rows, zone))
        print()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2, default=str)
    problems = [p for r in results for p in r["problems"]]
    for problem in problems[:50]:
        print(f"MISMATCH {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} disagreement(s) between the API and DuckDB", file=sys.stderr)
        return 1
    slow = [
        (r["store"], row["query"]) for r in results for row in r["rows"]
        if row["api"][1] >= 50 or row["duckdb"][0] < 10 * row["api"][0]
    ]
    for store, query in slow:
        print(f"target missed ({store}): {query}: p95 ≥ 50 ms or less than 10× DuckDB over "
              "the raw answers", file=sys.stderr)
    for r in results:
        if r["page"]["ms"][2] >= 15:
            print(f"target missed ({r['store']}): the dashboard page's p99 ≥ 15 ms",
                  file=sys.stderr)
    print("every group agrees exactly between the API and both DuckDB baselines",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
