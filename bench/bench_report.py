"""Benchmark: the full report pack (DOCX and PDF) for a 60-case corpus; the target is under 15 s.

    .venv/bin/python bench/bench_report.py [--db data/dhr.duckdb] [--cases 60]

Uses the given database (default data/dhr.duckdb) when it holds at least --cases cases; otherwise
generates a corpus of that many fictional cases, writes their plan files and imports them through
the real pipeline into a temporary database (not timed). Times, in this process:
- the first pack (DOCX + PDF from one run of the queries), which includes starting the chart
  renderer as the command line does;
- each format alone, once the renderer is running (as in the dashboard).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dhrlearn import config  # noqa: E402
from dhrlearn.export.report import (  # noqa: E402
    ReportOptions, build_report, build_reports, chart_images, gather)
from dhrlearn.export.report_docx import render_docx  # noqa: E402
from dhrlearn.export.report_pdf import render_pdf  # noqa: E402
from dhrlearn.store import db  # noqa: E402

TARGET_SECONDS = 15


def case_count(path: Path) -> int:
    if not path.exists():
        return 0
    con = db.connect(path, read_only=True)
    try:
        return len(db.query(con, "stored_cases"))
    finally:
        con.close()


def generated_database(n_cases: int, workdir: Path) -> Path:
    from dhrlearn.demo import build_database
    from dhrlearn.demo.generator import generate
    from dhrlearn.demo.writers import write_corpus

    files = workdir / "plans"
    files.mkdir()
    write_corpus(generate(n_cases=n_cases), files)
    target = workdir / "bench.duckdb"
    counts = build_database(target, source_dir=files)
    print(f"generated {n_cases} cases: {counts['files']} files, {counts['actions']} actions "
          f"imported in {counts['seconds']:.0f} s (not timed)")
    return target


def timed(label: str, func):
    started = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds:6.2f} s")
    return result, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(config.DEFAULT_DB))
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--from", dest="date_from", default="2025-04-01")
    parser.add_argument("--to", dest="date_to", default="2026-03-31")
    parser.add_argument("--keep", help="keep a generated corpus database at this path, for the next run")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db)
        if case_count(path) < args.cases:
            print(f"{path} holds {case_count(path)} cases; generating a {args.cases}-case corpus")
            path = generated_database(args.cases, Path(tmp))
            if args.keep:
                path = Path(shutil.copy(path, args.keep))
        con = db.connect(path, read_only=True)
        options = ReportOptions(dt.date.fromisoformat(args.date_from), dt.date.fromisoformat(args.date_to))
        data = gather(con, options)
        print(f"database {path}: {case_count(path)} cases stored, {data.kpis['cases']:.0f} in force at "
              f"{options.date_to}, {data.kpis['actions']:.0f} actions, {len(data.sections)} charts, "
              f"{len(data.overdue_actions)} overdue actions listed")

        pack, first = timed("full pack, DOCX + PDF (renderer cold)", lambda: build_reports(con, options))
        timed("DOCX alone (renderer warm)", lambda: build_report(con, options, "docx"))
        timed("PDF alone (renderer warm)", lambda: build_report(con, options, "pdf"))
        print("steps, renderer warm:")
        data, _ = timed("  queries and charts (gather)", lambda: gather(con, options))
        images, _ = timed(f"  {len(data.sections)} chart PNGs at 300 dpi", lambda: chart_images(data))
        timed("  DOCX from figures and images", lambda: render_docx(data, images))
        timed("  PDF from figures and images", lambda: render_pdf(data, images))
        print(f"sizes: DOCX {len(pack['docx']) // 1024} KB, PDF {len(pack['pdf']) // 1024} KB")
        con.close()
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    verdict = "within" if first < TARGET_SECONDS else "OVER"
    print(f"full pack {first:.1f} s: {verdict} the {TARGET_SECONDS} s target")
    return 0 if first < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
