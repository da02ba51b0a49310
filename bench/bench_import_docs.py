"""Document import speed and field accuracy (a benchmark, not a test).

Run: .venv/bin/python bench/bench_import_docs.py

Speed targets: a 30-page PDF plan parses in under 3 s; a 100-recommendation DOCX in under
1 s. Both files are generated here with the fixture renderers (ruled table, banners,
long update text, rows split over page breaks). Times are the median of five runs of the
importer's parse (no normalisation), on this machine, wall-clock and CPU, each printed with
the load average before and after: other work shares the two cores, and when the load is
above 2 the wall time says more about that work than about the importer.

End to end: every PDF of the demo corpus (data/demo/*.pdf) is imported with
dhrlearn.review.import_file (parse, normalise, tag, store) into a new DuckDB file in a
temporary folder; the total wall and CPU time is printed.

Accuracy: every fixture with hand-written truth is parsed and normalised, and each field is
scored as right/total (recommendations found, number, level, owning agency, first words of
the text, normalised status and target date text of each action).
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from dhrlearn.importers import docx as docx_importer  # noqa: E402
from dhrlearn.importers import parse_path  # noqa: E402
from dhrlearn.importers import pdf as pdf_importer  # noqa: E402
from dhrlearn.normalise.plan import normalise_plan  # noqa: E402
from tests.fixtures import make_fixtures as mf  # noqa: E402
from tests.fixtures.seed_plan import ACCURACY_FIELDS, SEED_TRUTH, score_plan  # noqa: E402
from tests.test_import_docx import SEVERAL_ACTIONS_TRUTH, SUB_PARTS_TRUTH  # noqa: E402
from tests.test_import_pdf import CONTINUED_TRUTH  # noqa: E402
from tests.test_import_xlsx import MULTI_CASE_TRUTH, RAG_TRUTH  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def big_plan_rows(recommendations: int) -> list[tuple]:
    agencies = ["Police", "Integrated Care Board", "Housing", "Probation Service", "Adult Social Care",
                "Children's Services", "Cranstoun", "Women's Aid"]
    sentence = ("The agency reported progress at the quarterly review: training sessions were held, the audit "
                "of case files was completed and the findings were shared with the partnership board. ")
    rows: list[tuple] = [("banner", "Overview Report Recommendations")]
    for n in range(1, recommendations + 1):
        if n == recommendations // 3:
            rows.append(("banner", "Single Agency Recommendations"))
        if n >= recommendations // 3 and n % 6 == 0:
            rows.append(("banner", agencies[n % len(agencies)]))
        rows.append(("row", [
            f"Recommendation {n}", f"Agencies should strengthen their response to domestic abuse ({n}).",
            agencies[n % len(agencies)], f"Action for recommendation {n}", f"{['Mar', 'Jun', 'Sep', 'Dec'][n % 4]} 2024",
            (sentence * (2 + n % 3)).strip() + " " + ["Complete", "Ongoing", "Not started", "Delayed"][n % 4],
            ["Complete", "In progress", "Not started", "Delayed"][n % 4],
        ]))
    return rows


def load() -> float:
    return os.getloadavg()[0]


def median_time(fn, runs: int = 5) -> tuple[float, float]:
    """Median wall-clock and CPU seconds. CPU time is the fairer figure when other work shares
    the machine's two cores; wall time is what a person waits on an idle machine."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def speed() -> list[tuple[str, str, float, float, int]]:
    title = ["Benchmark Community Safety Partnership", "DHR 2024/99 action plan", "Updated 01/04/2024"]
    pdf_data = mf.pdf_bytes(title, mf.CONTINUED_HEADER, [8, 26, 14, 18, 10, 48, 10], big_plan_rows(100),
                            page_header="DHR 2024/99", font_size=9)
    with pdfplumber.open(__import__("io").BytesIO(pdf_data)) as pdf:
        pages = len(pdf.pages)
    docx_data = mf.docx_bytes([("p", t) for t in title] + [("table", mf.CONTINUED_HEADER, big_plan_rows(100))])
    pdf_recs = len(pdf_importer.parse(pdf_data, "bench.pdf")[0].recommendations)
    docx_recs = len(docx_importer.parse(docx_data, "bench.docx")[0].recommendations)
    cases = [(f"PDF, {pages} pages", "< 3 s", lambda: pdf_importer.parse(pdf_data, "bench.pdf"), 3.0, pdf_recs),
             ("DOCX, 100 recommendations", "< 1 s", lambda: docx_importer.parse(docx_data, "bench.docx"), 1.0,
              docx_recs)]
    out = []
    for label, target, fn, limit, recs in cases:
        before = load()
        times = median_time(fn)
        out.append((label, target, times, limit, recs, (before, load())))
    return out


def demo_import() -> tuple[int, float, float, tuple[float, float], list[str]]:
    """Import every demo PDF into a fresh database: files, wall s, CPU s, load before/after, failures."""
    from dhrlearn import review
    from dhrlearn.store import db

    files = sorted((ROOT / "data" / "demo").glob("*.pdf"))
    with tempfile.TemporaryDirectory() as folder:
        con = db.connect(Path(folder) / "bench.duckdb")
        try:
            before = load()
            start, start_cpu = time.perf_counter(), time.process_time()
            results = [review.import_file(con, path) for path in files]
            wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        finally:
            con.close()
    failed = [r.file for r in results if r.outcome != "imported"]
    return len(files), wall, cpu, (before, load()), failed


ACCURACY_CASES = [
    ("tabular/seed_home_office.csv", None, SEED_TRUTH),
    ("tabular/seed_home_office.xlsx", None, SEED_TRUTH),
    ("docx/seed_five_columns.docx", None, SEED_TRUTH),
    ("docx/seed_home_office.docx", None, SEED_TRUTH),
    ("pdf/seed_five_columns.pdf", None, SEED_TRUTH),
    ("pdf/seed_home_office.pdf", None, SEED_TRUTH),
    ("tabular/rag_tracker.xlsx", None, RAG_TRUTH),
    *[("tabular/multi_case_tracker.xlsx", case, truth) for case, truth in MULTI_CASE_TRUTH.items()],
    ("docx/several_actions.docx", None, SEVERAL_ACTIONS_TRUTH),
    ("docx/sub_parts.docx", None, SUB_PARTS_TRUTH),
    ("pdf/sub_parts_unruled.pdf", None, SUB_PARTS_TRUTH),
    ("pdf/continued_pages.pdf", None, CONTINUED_TRUTH),
]


def accuracy() -> list[tuple[str, dict]]:
    out = []
    for path, case, truth in ACCURACY_CASES:
        plans = parse_path(FIXTURES / path)
        plan = next(p for p in plans if case is None or p.case.reference == case)
        label = path + (f" [{case}]" if case else "")
        out.append((label, score_plan(normalise_plan(plan), truth)))
    return out


def main() -> None:
    print(f"Speed (median of 5 parses; {os.cpu_count()} cores; load = 1-minute load average before -> after)")
    print(f"{'file':32} {'recs':>5} {'target':>8} {'wall':>8} {'cpu':>8} {'load':>12}  result")
    for label, target, (wall, cpu), limit, recs, (before, after) in speed():
        print(f"{label:32} {recs:>5} {target:>8} {wall:>7.2f}s {cpu:>7.2f}s {before:>5.1f} -> {after:<4.1f}  "
              f"{'ok' if min(wall, cpu) < limit else 'SLOW'}")
    print()
    files, wall, cpu, (before, after), failed = demo_import()
    print(f"End to end: {files} demo PDFs imported into a new DuckDB in {wall:.2f} s wall, {cpu:.2f} s CPU "
          f"(load {before:.1f} -> {after:.1f}); {len(failed)} failed{': ' + ', '.join(failed) if failed else ''}")
    print()
    print("Field accuracy (right/total)")
    header = f"{'fixture':46}" + "".join(f"{f:>9}" for f in ACCURACY_FIELDS)
    print(header)
    totals = {f: [0, 0] for f in ACCURACY_FIELDS}
    for label, scores in accuracy():
        print(f"{label:46}" + "".join(f"{f'{r}/{t}':>9}" for r, t in scores.values()))
        for f, (r, t) in scores.items():
            totals[f][0] += r
            totals[f][1] += t
    print(f"{'all':46}" + "".join(f"{f'{r}/{t}':>9}" for r, t in totals.values()))


if __name__ == "__main__":
    main()
