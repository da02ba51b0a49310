"""The dashboard in a real browser: every page, filters through the URL and a widget, a download,
an upload committed on the Import page; a screenshot of each page in tests/artifacts/."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest
from conftest import ROOT, TIMEOUT_MS, wait_until_drawn
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
AS_OF = "as_of=2023-06-30"
PAGES = {"": "Overview", "agencies": "Agencies", "since_last_meeting": "Since last meeting", "cases": "Cases", "themes": "Themes",
         "search": "Search", "reports": "Reports", "import": "Import", "data_quality": "Data quality"}


def metric_value(tab, label: str):
    box = tab.locator('[data-testid="stMetric"]').filter(
        has=tab.locator('[data-testid="stMetricLabel"]', has_text=re.compile(f"^{re.escape(label)}$")))
    return box.locator('[data-testid="stMetricValue"]')


def metric(tab, label: str) -> str:
    return metric_value(tab, label).inner_text()


def expect_metric(tab, label: str, value: str) -> None:
    """After a click the old page stays on screen until the new run draws: wait for the figure."""
    expect(metric_value(tab, label)).to_have_text(value, timeout=TIMEOUT_MS)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_opens_without_error(server, page, artifacts, path):
    page.set_viewport_size({"width": 1400, "height": 3200})  # Streamlit scrolls inside the page: a tall window shows it all
    page.goto(f"{server}/{path}?{AS_OF}")
    wait_until_drawn(page)
    assert page.locator("h1").first.inner_text() == PAGES[path]
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Demo data.").count() == 1
    assert page.locator('[role="dialog"]').count() == 0  # e.g. "Page not found"
    page.screenshot(path=artifacts / f"{path or 'overview'}.png", full_page=True)


def test_a_filter_in_the_url_is_applied_and_kept(server, page):
    page.goto(f"{server}/?{AS_OF}&partnership=North+CSP")
    wait_until_drawn(page)
    assert metric(page, "Cases") == "1" and metric(page, "Overdue") == "1"
    page.get_by_role("link", name="Agencies").click()  # the filters follow to the next page
    expect(page.locator("h1").first).to_have_text("Agencies", timeout=TIMEOUT_MS)
    wait_until_drawn(page)
    assert "partnership=North" in page.url
    expect_metric(page, "Overdue actions", "1")


def test_a_filter_chosen_in_the_sidebar_changes_figures_and_url(server, page):
    page.goto(f"{server}/?{AS_OF}")
    wait_until_drawn(page)
    assert metric(page, "Cases") == "3"
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Partnership").locator("input").click()
    page.get_by_role("option", name="North CSP").click()
    page.keyboard.press("Escape")
    expect_metric(page, "Cases", "1")
    wait_until_drawn(page)
    assert "partnership=North" in page.url


def test_the_overdue_list_downloads_as_xlsx(server, page, artifacts):
    page.goto(f"{server}/agencies?{AS_OF}")
    wait_until_drawn(page)
    page.get_by_role("tab", name="Overdue list").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download XLSX").click()
    path = artifacts / download.value.suggested_filename
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Case" and [r[0] for r in rows[1:]] == ["DHR 2022/02", "DHR 2021/01"]


@pytest.mark.parametrize("kind, starts", [("PNG", b"\x89PNG\r\n\x1a\n"), ("SVG", b"<svg")])
def test_a_chart_downloads_as_an_image(server, page, artifacts, kind, starts):
    page.goto(f"{server}/?{AS_OF}")
    wait_until_drawn(page)
    with page.expect_download(timeout=120000) as download:  # drawn on the server by kaleido and chromium
        page.get_by_role("button", name=f"{kind} image").first.click()
    body = open(download.value.path(), "rb").read()
    assert download.value.suggested_filename == f"status_breakdown.{kind.lower()}"
    if kind == "SVG":
        body = body[body.index(b"<svg"):]  # after any XML declaration
        assert b"Actions by status" in body  # the title is drawn into the image
    assert body.startswith(starts) and len(body) > 5000


def test_since_last_meeting_from_a_link_lists_and_downloads_the_changes(server, page, artifacts):
    page.goto(f"{server}/since_last_meeting?{AS_OF}&from=2022-07-01&to=2023-01-31")
    wait_until_drawn(page)
    assert (metric(page, "Completed"), metric(page, "Slipped"), metric(page, "New")) == ("0", "1", "3")
    page.screenshot(path=artifacts / "since_last_meeting_link.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download XLSX").click()
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert book.sheetnames == ["Completed", "Slipped", "New", "All changes"]
    slipped = list(book["Slipped"].iter_rows(values_only=True))
    assert slipped[1][slipped[0].index("Action text")] == "Train every officer"
    assert not any("update" in str(h).lower() for h in slipped[0])


def test_an_uploaded_plan_is_previewed_and_committed(server, page, artifacts):
    # Last: it adds a case to the server's database.
    page.goto(f"{server}/import?{AS_OF}")
    wait_until_drawn(page)
    seed = ROOT / "tests/fixtures/tabular/seed_home_office.csv"
    page.locator('input[type="file"]').set_input_files([str(seed)])
    page.get_by_text("Found 1 case(s), 12 recommendations").wait_for(timeout=TIMEOUT_MS)
    wait_until_drawn(page)
    page.screenshot(path=artifacts / "import_preview.png", full_page=True)
    page.get_by_role("button", name="Commit 1 file(s)").click()
    # The same message is in the import history table below: look for it in the success box.
    page.get_by_test_id("stAlertContentSuccess").get_by_text("seed_home_office.csv: imported 1 case(s)").wait_for(
        timeout=TIMEOUT_MS)
    wait_until_drawn(page)
    page.screenshot(path=artifacts / "import_committed.png", full_page=True)
