#!/usr/bin/env python3
"""Dashboard KPI queries through the HTTP API, timed beside the same aggregates in DuckDB
over Parquet files of the same answers and events, with an exact agreement check.

Run by scripts/bench-kpi, which builds the binary, provides DuckDB and a PostgreSQL server.
For each store given with --store NAME=URL (an empty database):

1. sets the organisation time zone, loads `touchpoints demo --scale N` (timed);
2. exports answers and customer events as CSV and converts them to Parquet (not timed);
3. starts `touchpoints serve`, creates a read token with the CLI;
4. times each query through HTTP and in DuckDB (warm-up, then --reps runs each);
5. checks that every group's n, counts per score and value agree exactly (floats with ==),
   and that the customer base, gains, losses and revenue per quarter agree.

Exits 1 on any disagreement. Prints a Markdown table per store.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import re
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


def timed(function, reps):
    for _ in range(WARM_UP):
        function()
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000.0)
    return percentile(samples, 0.5), percentile(samples, 0.95)


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


# --- one store -------------------------------------------------------------------------


class Api:
    def __init__(self, port, token):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path, params):
        url = f"{path}?{urllib.parse.urlencode(params)}"
        self.connection.request("GET", url, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"GET {url}: {response.status} {body[:500]!r}")
        return body


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
        measured = re.findall(r"loaded in ([0-9.]+) s \(([0-9]+) rows/s\)", output)
        if measured:
            result["insert_seconds"] = float(measured[-1][0])
            result["insert_rows_per_second"] = int(measured[-1][1])

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
        run(binary, database, "user", "add", user, "--role", "admin")
        token = run(binary, database, "token", "create", "--user", user,
                    "--name", "Benchmark", "--scope", "read").strip()
        api = Api(port, token)
        today = dt.datetime.now(ZoneInfo(zone)).date()
        result["rows"] = []
        problems = []
        for label, path, params, kind in queries(today):
            request = {k: v for k, v in params.items() if k not in ("start", "end")}
            request["from"], request["until"] = str(params["start"]), str(params["end"])
            report = json.loads(api.get(path, request))
            start, end = dt.date.fromisoformat(report["from"]), dt.date.fromisoformat(report["until"])
            if kind == "customers":
                sql = customers_sql(events, zone, start, end)
            else:
                group = {
                    "breakdown": {"touchpoint": "CAST(touchpoint AS VARCHAR)",
                                  "channel": "channel"}[params["by"]],
                    "trend": f"CAST(date_trunc('{params['granularity']}', day) AS DATE)",
                }[kind]
                sql = answers_sql(responses, zone, params["metric"], group, start, end)
            api_p50, api_p95 = timed(lambda: api.get(path, request), args.reps)
            duck_p50, duck_p95 = timed(lambda: con.execute(sql).fetchall(), args.reps)
            duck = con.execute(sql).fetchall()
            if kind == "customers":
                api_groups = {
                    p["start"]: (p["customers_at_start"], p["gained"], p["lost"],
                                 p["customers_at_end"], p["revenue_cents"], p["purchases"])
                    for p in report["periods"]
                }
                duck_groups = {str(r[0]): tuple(r[1:]) for r in duck}
                # A quarter without any event has no row in DuckDB; it is then all zero
                # changes on the base carried over.
                for key, values in api_groups.items():
                    if key not in duck_groups and values[1:3] + values[4:] == (0, 0, 0, 0):
                        duck_groups[key] = values
            else:
                rows = report["breakdown"] if kind == "breakdown" else report["trend"]
                api_groups = answer_groups(
                    (r["key"], r["current"]) if kind == "breakdown" else (r["start"], r)
                    for r in rows
                )
                duck_groups = {str(r[0]): (r[1], list(r[2:13]), r[13]) for r in duck}
                total = sum(v[0] for v in duck_groups.values())
                api_total = report["total"]["current"]["n"]
                if total != api_total:
                    problems.append(f"{label}: total n: API {api_total} DuckDB {total}")
            found = compare(label, api_groups, duck_groups)
            problems += found
            result["rows"].append({
                "query": label, "window": f"{start} – {end}", "groups": len(api_groups),
                "n": sum(v[0] for v in api_groups.values()) if kind != "customers" else None,
                "api": (api_p50, api_p95), "duckdb": (duck_p50, duck_p95),
                "agrees": not found,
            })
            log(f"[{name}] {label}: API p50 {api_p50:.2f} ms p95 {api_p95:.2f} ms, "
                f"DuckDB p50 {duck_p50:.2f} ms p95 {duck_p95:.2f} ms, "
                f"{len(api_groups)} groups {'agree' if not found else 'DISAGREE'}")
        result["problems"] = problems
    finally:
        server.terminate()
        server.wait(timeout=30)
    return result


def table(result, rows, zone):
    lines = [
        f"### {result['store']}: N = {rows:,} answers and {rows:,} customer events "
        f"(plus the demo history), time zone {zone}",
        "",
        f"Load (`demo --scale {rows}`): {result['load_seconds']:.1f} s, "
        f"{result['rows_per_second']:,.0f} rows/s"
        + (f" (inserts alone {result['insert_seconds']:.1f} s, "
           f"{result['insert_rows_per_second']:,} rows/s)" if "insert_seconds" in result else "")
        + f"; stored {result['answers']:,} answers, {result['events']:,} events.",
        "",
        "| query | groups | API p50 / p95 (ms) | DuckDB p50 / p95 (ms) "
        "| DuckDB p50 / API p50 | agreement |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for r in result["rows"]:
        (a50, a95), (d50, d95) = r["api"], r["duckdb"]
        lines.append(
            f"| {r['query']} | {r['groups']} | {a50:.2f} / {a95:.2f} | {d50:.1f} / {d95:.1f} "
            f"| {d50 / a50:.0f}× | {'✓' if r['agrees'] else '✗'} |"
        )
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
    parser.add_argument("--work", required=True)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()

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
        print(f"target missed ({store}): {query}: p95 ≥ 50 ms or less than 10× DuckDB",
              file=sys.stderr)
    print("every group agrees exactly between the API and DuckDB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
