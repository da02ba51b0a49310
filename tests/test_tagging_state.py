"""Stored theme figures say when they were made with other rules than the files hold today, and the
set-up command brings an existing database up to date."""
import argparse
from pathlib import Path

import pytest

from dhrlearn import demo, review, themes
from dhrlearn.store import db
from fixture_db import add_case, add_plan_version, add_recommendation, make_db

SEED_CSV = Path(__file__).parent / "fixtures" / "tabular" / "seed_home_office.csv"


@pytest.fixture
def edited_rules(tmp_path, monkeypatch):
    """Point the tagger at a copy of the theme rules; return a function that edits the copy."""
    copy = tmp_path / "themes.csv"
    copy.write_bytes(themes.THEMES_FILE.read_bytes())
    monkeypatch.setattr(themes, "THEMES_FILE", copy)
    themes.reload_taxonomy()
    yield lambda: copy.write_text(copy.read_text() + "topic,training,,match,learning circles?\n")
    themes.reload_taxonomy()


def test_a_new_database_records_the_rules_its_first_plans_were_tagged_with(tmp_path, edited_rules):
    con = db.connect(tmp_path / "new.duckdb")
    assert not themes.rules_changed(con)  # nothing stored, nothing stale
    review.import_file(con, SEED_CSV)
    assert con.execute("SELECT rules_sha FROM tagging_state").fetchall() == [(themes.rules_fingerprint(),)]
    assert not themes.rules_changed(con)

    edited_rules()
    assert themes.rules_changed(con)
    themes.reload_taxonomy()
    themes.retag_all(con)
    assert not themes.rules_changed(con)


def test_plans_tagged_before_rules_were_recorded_count_as_stale():
    con = make_db()
    add_recommendation(con, add_plan_version(con, add_case(con, "DHR 1")), "1", "Train staff")
    assert themes.rules_changed(con)


def test_setup_retags_an_existing_database_whose_rules_changed(tmp_path, edited_rules, capsys):
    path = tmp_path / "existing.duckdb"
    con = db.connect(path)
    review.import_file(con, SEED_CSV)
    con.close()
    args = argparse.Namespace(db=str(path), if_missing=True)

    assert demo.run_cli(args) == 0
    assert "re-tagging" not in capsys.readouterr().out  # rules unchanged: left as it is

    edited_rules()
    assert demo.run_cli(args) == 0
    assert "re-tagging" in capsys.readouterr().out
    con = db.connect(path)
    assert not themes.rules_changed(con)
    assert con.execute("SELECT count(*) FROM theme_match").fetchone()[0] > 0


def test_a_change_to_how_texts_are_read_counts_as_new_rules(monkeypatch):
    """A code change to matching (MATCHING_VERSION raised) makes stored tags stale like an edited file."""
    before = themes.rules_fingerprint()
    monkeypatch.setattr(themes, "MATCHING_VERSION", themes.MATCHING_VERSION + "+1")
    assert themes.rules_fingerprint() != before
