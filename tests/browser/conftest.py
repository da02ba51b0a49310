"""A real dashboard server on its own temporary database, and Debian's Chromium driven by Playwright.

The server is `streamlit run app.py` on a free port with DHR_DB pointing at a database built from
tests/app_fixture.py; screenshots go to tests/artifacts/ (not committed).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
ARTIFACTS = TESTS / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]
TIMEOUT_MS = 90_000
sys.path.insert(0, str(TESTS))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the dashboard server stopped: {server.stdout.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the dashboard did not answer at {url} within {timeout:.0f} s")


@pytest.fixture(scope="session")
def server(tmp_path_factory, browser):
    import app_fixture

    database = tmp_path_factory.mktemp("browser") / "dashboard.duckdb"
    app_fixture.build(str(database))
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "DHR_DB": str(database)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        _warm_up(browser, url)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _warm_up(browser, url: str) -> None:
    """Open the first page once before any test: the server's first run imports pandas, plotly
    and the queries, which on a loaded machine can take longer than a test's own waits allow."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(f"{url}/?as_of=2023-06-30")
        wait_until_drawn(tab, timeout_ms=180000)
    finally:
        context.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    # Playwright's 30 s default is too short on a loaded 2-core machine (CI), where a page load
    # waits behind the server's previous script runs and chart renders.
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


# Streamlit marks its root element with the script's state: "initial" until the first run
# starts, "running" during a run, "notRunning" after. Waiting on that (not on the absence of the
# running indicator, which is also absent before the first run has begun) is what makes a page
# "drawn"; charts then need their SVG, except those in hidden tabs, which draw when shown.
DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null
        && app.dataset.testScriptState === 'notRunning'
        && app.dataset.testConnectionState === 'CONNECTED'
        && !document.querySelector('[data-testid="stSkeleton"]')
        && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
               .filter(e => e.offsetParent !== null)
               .every(e => e.querySelector('.main-svg'));
}"""


def wait_until_drawn(tab, timeout_ms: int = TIMEOUT_MS) -> None:
    """The script has run to the end and every visible chart is drawn, twice in a row a quarter
    of a second apart (a bound widget can ask for one more run right after the first)."""
    tab.wait_for_function(DRAWN, timeout=timeout_ms, polling=100)
    tab.wait_for_timeout(250)
    tab.wait_for_function(DRAWN, timeout=timeout_ms, polling=100)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
