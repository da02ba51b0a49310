"""Every named query's latency on a benchmark database, with default and two typical filter sets.

    .venv/bin/python bench/run.py --sizes 10000 --no-pages --keep /tmp/dhr-bench   # builds the database
    .venv/bin/python bench/bench_queries.py /tmp/dhr-bench/bench_10000.duckdb [NAME ...] [--queries DIR] [--json OUT]
    .venv/bin/python bench/bench_queries.py NEW.duckdb --baseline OLD.duckdb --baseline-queries OLD_QUERIES_DIR

Opens databases read-only, so it never migrates them: to time older SQL, give a copy of the
database at that schema version and an older copy of queries/ as the baseline; the two are then run
in turn (old, new, old, new, ...) so that changing load on the machine hits both alike. For each query and filter set:
one warm-up run, then the median of --runs runs, wall time and this process's CPU time (DuckDB's
threads included), and a hash of the result (CSV text) so two runs can be checked to give the same
answers. The machine's load average is printed at the start and end: other work slows wall time
more than CPU time.

Filter sets: `default` (Filters() as of 26/11/2026, nothing narrowed); `typical` (the five
partnerships whose plans changed most in the quarter up to then, case years 2017-2024, the mental-health
theme); `agency` (the third most named agency, years 2017-2024). Queries that take no shared filter run once, as `default`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dhrlearn.filters import Filters  # noqa: E402
from dhrlearn.store.db import run_sql  # noqa: E402
from run import AS_OF, declared_params, query_params  # noqa: E402

TARGET_MS = 50
FILTERS = ("partnerships", "year_from", "year_to", "agencies", "agency_types", "levels", "themes")


def filter_sets(con) -> dict[str, dict]:
    base = query_params(con, [])
    # The five partnerships whose plans changed most in the quarter Since last meeting opens with, so that
    # its typical list is not empty (the first five by name had no change there at 10,000 cases).
    partnerships = tuple(p for (p,) in con.execute(
        "SELECT c.partnership FROM plan_span s JOIN dhr_case c USING (case_id) "
        "WHERE s.version_date > $date_from AND s.version_date <= $date_to "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 5", {"date_from": base["date_from"], "date_to": base["date_to"]}
    ).fetchall())
    agency = con.execute("SELECT agency FROM agency_link WHERE agency IS NOT NULL "
                         "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1 OFFSET 2").fetchone()
    typical = Filters(as_of=AS_OF, partnerships=partnerships, year_from=2017, year_to=2024,
                      themes=("mental_health",))
    by_agency = Filters(as_of=AS_OF, agencies=(agency[0],) if agency else (), year_from=2017, year_to=2024)
    return {"default": base, "typical": {**base, **typical.params()}, "agency": {**base, **by_agency.params()}}


def run(con, sql: str, params: dict):
    used = set(re.findall(r"\$([a-z_][a-z0-9_]*)", sql))
    return run_sql(con, sql, {k: v for k, v in params.items() if k in used})


def time_queries(runs: int, *candidates: tuple) -> list[dict]:
    """Each (con, sql, params) candidate: a warm-up, then `runs` timed runs taken in turn."""
    frames = [run(con, sql, params) for con, sql, params in candidates]  # warm-up
    wall = [[] for _ in candidates]
    cpu = [[] for _ in candidates]
    for _ in range(runs):
        for i, (con, sql, params) in enumerate(candidates):
            t0, c0 = time.perf_counter(), time.process_time()
            run(con, sql, params)
            wall[i].append(time.perf_counter() - t0)
            cpu[i].append(time.process_time() - c0)
    return [{"ms": 1000 * statistics.median(w), "cpu_ms": 1000 * statistics.median(c), "rows": len(f),
             "hash": hashlib.md5(f.to_csv(index=False).encode()).hexdigest()}
            for w, c, f in zip(wall, cpu, frames)]


def line(name: str, label: str, figures: dict, before: dict | None) -> str:
    text = f"{name:34s} {label:8s} {figures['ms']:8.1f} ms  cpu {figures['cpu_ms']:8.1f} ms  rows {figures['rows']:>6}"
    if before:
        same = "same result" if before["hash"] == figures["hash"] else "RESULT DIFFERS"
        text += f"  (baseline {before['ms']:.1f} ms, cpu {before['cpu_ms']:.1f} ms; {same})"
    return text + ("" if figures["ms"] < TARGET_MS else "  over target")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", type=Path)
    parser.add_argument("names", nargs="*", help="queries to time (default: all)")
    parser.add_argument("--queries", type=Path, default=ROOT / "queries", help="folder of the .sql files")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--baseline", type=Path, help="an older database to time in turn with this one")
    parser.add_argument("--baseline-queries", type=Path, help="the .sql files to run on --baseline")
    args = parser.parse_args()

    con = duckdb.connect(str(args.db), read_only=True)
    old = duckdb.connect(str(args.baseline), read_only=True) if args.baseline else None
    old_dir = args.baseline_queries or args.queries
    sets = filter_sets(con)
    out = {"load_start": os.getloadavg(), "db": str(args.db), "queries": str(args.queries), "results": {}}
    print(f"load average at start: {' / '.join(f'{x:.1f}' for x in out['load_start'])}")
    names = args.names or sorted(p.stem for p in args.queries.glob("*.sql"))
    for name in names:
        sql = (args.queries / f"{name}.sql").read_text()
        filtered = any(p in FILTERS for p in declared_params(sql))
        for label, params in sets.items():
            if old is not None:
                before, figures = time_queries(args.runs, (old, (old_dir / f"{name}.sql").read_text(), params),
                                               (con, sql, params))
                out.setdefault("baseline", {})[f"{name}|{label}"] = before
            else:
                before, (figures,) = None, time_queries(args.runs, (con, sql, params))
            out["results"][f"{name}|{label}"] = figures
            print(line(name, label, figures, before), flush=True)
            if not filtered:
                break
    out["load_end"] = os.getloadavg()
    print(f"load average at end: {' / '.join(f'{x:.1f}' for x in out['load_end'])}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
