"""The dashboard's speed on a large database: each page's server-side run, and the first page in a browser.

    .venv/bin/python bench/bench_dashboard.py --db /tmp/benchdb/bench_10000.duckdb [--as-of 2026-11-26]
        [--runs 3] [--no-browser]

Works on a copy of the database (the dashboard may migrate what it opens). For each page of the
navigation (ui.frame.pages), in Streamlit's AppTest, the median of --runs runs of:
- cold: every cached query result dropped first (the first visit after a server start or an
  import: the sidebar's filter options are queried too);
- first visit: cached results dropped, then another page opened (untimed) so the sidebar's options
  are cached, as they are once anyone has opened any page; then this page, its own queries cold;
- warm: the same page run again at once (a click on the page, a revisit within the cache's life).
Then a real server (`streamlit run app.py`) and Debian's Chromium: the time from asking for the
first page to its title and every visible chart being drawn, on a cold server and again in a new
browser context. Targets (10,000 cases): every page < 1 s, first page visible < 3 s.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

TARGET_PAGE_S, TARGET_FIRST_PAGE_S = 1.0, 3.0
SKIP: set[str] = set()


def page_files() -> list[str]:
    """Every page in the navigation, as its file under pages/."""
    import re

    return re.findall(r'st\.Page\(\s*"(pages/\w+\.py)"', (ROOT / "ui" / "frame.py").read_text())


def time_pages(as_of: dt.date, runs: int) -> list[tuple[str, float, float, float, str]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def opened(page: str, primed: bool) -> tuple[float, AppTest]:
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.query_params["as_of"] = as_of.isoformat()
        if primed:
            at.switch_page("pages/reports.py").run()  # the sidebar and nothing else
        t0 = time.perf_counter()
        at.switch_page(page).run()
        return time.perf_counter() - t0, at

    rows = []
    for page in page_files():
        if Path(page).stem in SKIP:
            continue
        cold = statistics.median(opened(page, primed=False)[0] for _ in range(runs))
        first = [opened(page, primed=True) for _ in range(runs)]
        at = first[-1][1]
        t0 = time.perf_counter()
        at.run()
        warm = time.perf_counter() - t0
        errors = "; ".join(str(e.value)[:80] for e in at.exception)
        rows.append((page, cold, statistics.median(s for s, _ in first), warm, errors))
    return rows


def time_first_page(db: Path, as_of: dt.date) -> tuple[float, float]:
    """Seconds from asking for the first page to its title and charts drawn: cold server, then again."""
    from conftest import CHROMIUM, CHROMIUM_FLAGS, _free_port, _wait_healthy, wait_until_drawn
    from playwright.sync_api import sync_playwright

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "DHR_DB": str(db)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/?as_of={as_of.isoformat()}"
    try:
        _wait_healthy(url.split("/?")[0], server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            seconds = []
            for _ in range(2):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                tab = context.new_page()
                t0 = time.perf_counter()
                tab.goto(url)
                wait_until_drawn(tab, timeout_ms=120000)
                # wait_until_drawn's own pause (a quarter second) is not the page's time
                seconds.append(time.perf_counter() - t0 - 0.25)
                context.close()
            browser.close()
        return seconds[0], seconds[1]
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a database, e.g. from bench/run.py --keep DIR")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 11, 26))
    parser.add_argument("--runs", type=int, default=3, help="cold runs per page (median reported)")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--skip", default="", help="pages to leave out, comma-separated (e.g. since_last_meeting)")
    args = parser.parse_args()
    SKIP.update(filter(None, args.skip.split(",")))

    work = Path(tempfile.mkdtemp(prefix="dhr-bench-dashboard-"))
    db = work / "dashboard.duckdb"
    shutil.copy(args.db, db)
    os.environ["DHR_DB"] = str(db)
    try:
        print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores)")
        print(f"{'page':32} {'cold s':>7} {'first s':>7} {'warm s':>7}  target < {TARGET_PAGE_S:.0f} s")
        for page, cold, first, warm, errors in time_pages(args.as_of, args.runs):
            flag = "" if first < TARGET_PAGE_S else "  SLOW"
            print(f"{page:32} {cold:7.2f} {first:7.2f} {warm:7.2f}{flag}{'  ERROR ' + errors if errors else ''}",
                  flush=True)
        if not args.no_browser:
            cold, again = time_first_page(db, args.as_of)
            print(f"first page visible in the browser: {cold:.2f} s on a cold server, {again:.2f} s again"
                  f"  (target < {TARGET_FIRST_PAGE_S:.0f} s)")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
