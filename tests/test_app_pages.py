"""Every dashboard page in AppTest against the hand-checkable fixture database (tests/app_fixture.py)."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dhrlearn.filters import Filters
from dhrlearn.store import db
import app_fixture
from conftest import ROOT

PAGES = ("overview", "agencies", "since_last_meeting", "cases", "themes", "search", "reports", "import", "data_quality")


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = tmp_path_factory.mktemp("app") / "app.duckdb"
    app_fixture.build(str(path))
    return path


@pytest.fixture
def app(database, monkeypatch):
    monkeypatch.setenv("DHR_DB", str(database))

    def open_page(page: str, **query) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params.update({"as_of": app_fixture.AS_OF.isoformat(), **query})
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def expected(database, name: str, **filters) -> dict:
    """The named query's first row, run directly on the fixture database."""
    con = db.connect(database)  # the app in this process holds it read-write: same settings
    try:
        return db.query(con, name, **Filters(as_of=app_fixture.AS_OF, **filters).params()).iloc[0].to_dict()
    finally:
        con.close()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_a_title_and_the_demo_notice(app, page):
    at = app(page)
    assert at.title[0].value
    assert any("Demo data" in w.value for w in at.warning)


def test_overview_kpis_equal_the_kpis_query(app, database):
    want = expected(database, "kpis")
    shown = metrics(app("overview"))
    assert shown["Cases"] == str(int(want["cases"])) == "3"
    assert shown["Actions"] == str(int(want["actions"])) == "7"
    assert shown["Overdue"] == str(int(want["overdue"])) == "2"
    assert shown["Complete"] == f"{want['pct_actions_complete']:.1f}%" == "57.1%"  # 4 of 7, as the query gives it
    assert shown["Oldest overdue"] == f"{int(want['oldest_overdue_days']):,} days" == "242 days"


def test_a_partnership_in_the_url_filters_the_overview(app, database):
    shown = metrics(app("overview", partnership="North CSP"))
    want = expected(database, "kpis", partnerships=("North CSP",))
    assert (shown["Cases"], shown["Actions"], shown["Overdue"]) == ("1", "3", "1")
    assert shown["Actions"] == str(int(want["actions"]))


def test_a_widget_filter_changes_the_figures(app):
    at = app("overview")
    at.multiselect(key="partnership").select("North CSP").run()
    assert metrics(at)["Cases"] == "1"
    at.date_input(key="as_of").set_value(app_fixture.AS_OF.replace(year=2022)).run()
    # On 30/06/2022 only the early North version is in force: 2 actions, none overdue yet.
    assert (metrics(at)["Actions"], metrics(at)["Overdue"]) == ("2", "0")


def test_every_chart_has_a_title_and_axis_titles(app):
    at = app("overview")
    for chart in at.get("plotly_chart"):
        layout = json.loads(chart.proto.spec)["layout"]
        assert layout["title"]["text"]
        assert layout["xaxis"]["title"]["text"] and layout["yaxis"]["title"]["text"]


def test_agencies_lists_overdue_actions_oldest_first_without_staff_names(app):
    charts_tab = app("agencies")
    assert metrics(charts_tab)["Overdue actions"] == "2"
    assert "Overdue actions by agency, by how long overdue" in chart_titles(charts_tab)
    at = app("agencies", tab="Overdue list")
    assert (metrics(at)["Overdue actions"], metrics(at)["Oldest overdue"]) == ("2", "242 days")
    table = at.dataframe[-1].value
    assert list(table["Case"]) == ["DHR 2022/02", "DHR 2021/01"]  # 242 days before 150 days
    assert "named_lead" not in table.columns and "update_text" not in table.columns
    assert {b.label for b in at.get("download_button")} >= {"Download XLSX", "Download CSV"}


def test_cases_shows_the_plan_with_provenance_and_the_changes_between_versions(app):
    at = app("cases")
    at.selectbox(key="case").select("DHR 2021/01 · North CSP").run()
    plan = at.dataframe[0].value
    assert len(plan) == 3 and plan["Source"].str.contains("fixture").all()
    assert "Update" not in plan.columns  # update logs stay hidden until asked for
    assert metrics(at)["Overdue"] == "1"
    changes = at.dataframe[1].value
    assert dict(zip(changes["Action text"], changes["Change"])) == {
        "Train every officer": "completed", "Agree a dual diagnosis pathway": "new"}
    assert list(changes["Why"]) == ["", ""]  # only a slipped action says why, and no cell reads "None"


def test_themes_shows_toxic_trio_and_highlighted_evidence(app):
    # Only the open tab runs; the address bar names it (?tab=...).
    assert metrics(app("themes", tab="Toxic trio"))["Cases with the toxic trio"] == "1 of 3"
    uptake = app("themes", tab="Training uptake")
    assert "Poor or falling uptake" in json.dumps([json.loads(c.proto.spec) for c in uptake.get("plotly_chart")])
    at = app("themes", tab="Evidence")
    at.selectbox(key="evidence_theme").select("training").run()
    marked = [m.value for m in at.markdown if "<mark>" in m.value]
    assert any("<mark><strong>training</strong></mark>" in m for m in marked)


def test_themes_runs_only_the_open_tab(app):
    at = app("themes")
    assert chart_titles(at)[0] == "Themes: share of cases whose plans raise each"
    assert "Cases with the toxic trio" not in metrics(at)  # the toxic-trio tab's figures are not computed


def test_themes_says_how_far_to_trust_each_theme_s_share(app):
    from dhrlearn.themes import tagging_accuracy

    at = app("themes")
    table = next(d.value for d in at.dataframe if "Reading" in d.value.columns)
    measured = tagging_accuracy().set_index("theme")
    assert len(table) == len(measured) == 20  # every topic theme, found in these plans or not
    training = table.set_index("Theme").loc["Training & learning"]
    assert training["% of cases here"] == 33.3  # 1 of the fixture's 3 cases
    assert (training["Labels found"], training["Reading"]) == (
        100 * measured.loc["training", "recall"], measured.loc["training", "reading"])
    assert table["% of cases here"].notna().tolist() == [True] * 4 + [False] * 16  # themes in these plans first


def test_search_marks_the_words_found(app):
    at = app("search", q="clare's law")
    assert any("1 passages" in m.value or "**1 passages**" in m.value for m in at.markdown)
    assert any("<mark><strong>Clare&#x27;s Law</strong></mark>" in m.value for m in at.markdown)


def test_data_quality_counts_and_maps_an_unknown_agency(app, tmp_path, monkeypatch):
    import dhrlearn.normalise.agencies as agencies
    monkeypatch.setattr(agencies, "LOCAL_ALIASES_FILE", str(tmp_path / "aliases.csv"))
    at = app("data_quality")
    shown = metrics(at)
    assert (shown["Unknown agency names"], shown["Actions without a target date"], shown["Unplaced text"]) == \
        ("1", "1", "1")
    at.selectbox(key="alias_agency").select("West Mercia Police")
    submit = next(b for b in at.button if b.label == "Map this name")
    submit.click().run()  # the form's submit button, sending the form's values with it
    assert metrics(at)["Unknown agency names"] == "0"
    assert "H&W H&C Trust" in (tmp_path / "aliases.csv").read_text()


def test_data_quality_offers_a_retag_when_the_theme_rules_changed(app, database, tmp_path, monkeypatch):
    copy = tmp_path / "stale.duckdb"
    copy.write_bytes(database.read_bytes())
    monkeypatch.setenv("DHR_DB", str(copy))
    stale = lambda page: any("theme rules" in w.value for w in page.warning)  # noqa: E731
    assert stale(app("themes"))  # the fixture's theme rows were written by hand: no rules recorded
    at = app("data_quality")
    assert stale(at)
    at.button(key="retag").click().run()
    assert not stale(at)
    assert not stale(app("themes"))


def test_a_retag_with_a_broken_model_file_says_so_and_changes_nothing(app, database, tmp_path, monkeypatch):
    from dhrlearn import theme_model, themes
    copy = tmp_path / "stale.duckdb"
    copy.write_bytes(database.read_bytes())
    monkeypatch.setenv("DHR_DB", str(copy))
    broken = tmp_path / "theme_model.npz"
    broken.write_bytes(theme_model.MODEL_FILE.read_bytes()[:100])  # a copy cut short
    monkeypatch.setattr(theme_model, "MODEL_FILE", broken)
    themes.reload_taxonomy()
    try:
        at = app("data_quality")
        at.button(key="retag").click().run()
        assert not at.exception
        assert any("Not re-tagged; nothing was changed" in e.value and "train_theme_model.py" in e.value
                   for e in at.error)
        assert any("theme rules" in w.value for w in at.warning)  # still stale
    finally:
        monkeypatch.undo()
        themes.reload_taxonomy()


def test_import_previews_reports_bad_files_and_commits(app, database, tmp_path, monkeypatch):
    copy = tmp_path / "import.duckdb"
    copy.write_bytes(database.read_bytes())
    monkeypatch.setenv("DHR_DB", str(copy))
    at = app("import")
    seed = (ROOT / "tests/fixtures/tabular/seed_home_office.csv").read_bytes()
    at.file_uploader[0].set_value([("seed.csv", seed, "text/csv"), ("old.doc", b"x", "application/msword"),
                                   ("empty.csv", b"", "text/csv")]).run()
    errors = " ".join(e.value for e in at.error)
    assert "old.doc" in errors and ".docx" in errors and "empty.csv" in errors
    assert any("Found **1** case(s), **12** recommendations" in m.value for m in at.markdown)
    at.button(key="commit").click().run()
    assert any("seed.csv: imported 1 case(s)" in s.value for s in at.success)
    history = at.dataframe[-1].value
    assert history.iloc[0]["file_name"] == "seed.csv" and history.iloc[0]["outcome"] == "imported"
    # The same bytes again change nothing, and say so.
    at.file_uploader[0].set_value(("seed.csv", seed, "text/csv")).run()
    assert any("already imported" in i.value for i in at.info)


def test_since_last_meeting_defaults_to_the_quarter_before_the_as_of_date(app):
    # 30/03/2023 -> 30/06/2023: North's plan of 31/03/2023 replaced that of 30/06/2022 in between, so
    # "Train every officer" completed (in progress -> complete) and the dual diagnosis action is new;
    # South's plan (15/01/2023) and the demo plan did not change.
    at = app("since_last_meeting")
    assert (at.date_input(key="from").value.isoformat(), at.date_input(key="to").value.isoformat()) == \
        ("2023-03-30", "2023-06-30")
    assert {k: metrics(at)[k] for k in ("Completed", "Slipped", "New")} == {"Completed": "1", "Slipped": "0", "New": "1"}
    completed, new = (t.value for t in at.dataframe)
    assert list(completed["Action text"]) == ["Train every officer"]
    assert (completed.iloc[0]["Status before"], completed.iloc[0]["Status after"]) == ("◐ In progress", "✔ Complete")
    assert list(new["Action text"]) == ["Agree a dual diagnosis pathway"]
    assert not {"update_text", "Update", "named_lead"} & (set(completed.columns) | set(new.columns))
    assert {b.label for b in at.get("download_button")} >= {"Download XLSX", "Download CSV"}


def test_since_last_meeting_takes_its_dates_and_filters_from_the_url(app):
    # 01/07/2022 -> 31/01/2023: North's early plan both times, its "Train every officer" (target
    # 31/12/2022, still in progress) slipped; South's plan (15/01/2023) arrived, so its 3 actions are new.
    at = app("since_last_meeting", **{"from": "2022-07-01", "to": "2023-01-31"})
    assert {k: metrics(at)[k] for k in ("Completed", "Slipped", "New")} == {"Completed": "0", "Slipped": "1", "New": "3"}
    slipped, new = (t.value for t in at.dataframe)
    assert list(slipped["Action text"]) == ["Train every officer"] and slipped.iloc[0]["Why"] == "target date passed"
    assert sorted(new["Action text"]) == ["Audit MARAC referrals", "Refresh the escalation policy",
                                          "Set up a referral pathway"]
    north = app("since_last_meeting", partnership="North CSP", **{"from": "2022-07-01", "to": "2023-01-31"})
    assert {k: metrics(north)[k] for k in ("Completed", "Slipped", "New")} == \
        {"Completed": "0", "Slipped": "1", "New": "0"}


def test_since_last_meeting_refuses_dates_the_wrong_way_round(app):
    at = app("since_last_meeting", **{"from": "2023-06-30", "to": "2023-01-31"})
    assert any("before the 'to' date" in e.value for e in at.error) and not at.metric[3:]
