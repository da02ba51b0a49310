"""Since the last meeting page: each list shows its first rows and says how many there are in all."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import app_fixture
from conftest import ROOT
from ui import components


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = tmp_path_factory.mktemp("since") / "app.duckdb"
    app_fixture.build(str(path))
    return path


def test_a_long_list_shows_its_first_rows_and_counts_them_all(database, monkeypatch):
    # 01/07/2022 -> 31/01/2023: South's plan arrived, so its 3 actions are new (see test_app_pages).
    monkeypatch.setenv("DHR_DB", str(database))
    monkeypatch.setattr(components, "TABLE_ROWS", 2)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"as_of": app_fixture.AS_OF.isoformat(), "from": "2022-07-01", "to": "2023-01-31"})
    at.switch_page("pages/since_last_meeting.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["New"] == "3"
    assert [t.label for t in at.tabs] == ["Completed (0)", "Slipped (1)", "New (3)"]
    slipped, new = (t.value for t in at.dataframe)
    assert len(slipped) == 1 and len(new) == 2
    assert any("The first 2 of 3" in c.value for c in at.caption)
    assert {b.label for b in at.get("download_button")} >= {"Download XLSX", "Download CSV"}
