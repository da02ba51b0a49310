"""tag_plan_version and retag_all on a small database built by direct INSERTs."""
import argparse

import pytest

from dhrlearn.store.db import connect, migrate, query
from dhrlearn.store.facts import refresh_facts
from dhrlearn.themes import retag_all, rules_changed, run_cli, tag_plan_version

DASH = "West Mercia Police should ensure officers complete a DASH risk assessment at every domestic incident."
DASH_AGAIN = "Avon and Somerset Police should ensure officers complete a DASH risk assessment at every domestic incident."


def add_case(con, case_id, reference):
    con.execute("INSERT INTO dhr_case (case_id, reference, partnership, year) VALUES (?, ?, 'South CSP', 2022)",
                [case_id, reference])


def add_version(con, pv, case_id, as_of):
    con.execute(
        "INSERT INTO plan_version (plan_version_id, case_id, as_of_date, source_file, sha256, format, "
        "importer_version) VALUES (?, ?, ?, 'plan.csv', ?, 'csv', 'test')", [pv, case_id, as_of, f"sha{pv}"])


def add_rec(con, rec_id, pv, case_id, text):
    con.execute("INSERT INTO recommendation (recommendation_id, plan_version_id, case_id, text, src_file) "
                "VALUES (?, ?, ?, ?, 'plan.csv')", [rec_id, pv, case_id, text])


def add_action(con, action_id, rec_id, pv, case_id, text, update):
    con.execute(
        "INSERT INTO action (action_id, recommendation_id, plan_version_id, case_id, seq, text, "
        "target_precision, status, update_text, src_file) VALUES (?, ?, ?, ?, 1, ?, 'none', 'unknown', ?, 'plan.csv')",
        [action_id, rec_id, pv, case_id, text, update])


@pytest.fixture
def con():
    con = connect(":memory:")
    add_case(con, 1, "Case 1")
    add_case(con, 2, "Case 2")
    add_version(con, 10, 1, "2022-06-01")
    add_rec(con, 100, 10, 1, "Review the dual diagnosis protocol between the CMHT and Cranstoun.")
    add_action(con, 1000, 100, 10, 1, "Deliver a 7-minute briefing", "Poor take up; the staff sessions will be re-run in May.")
    add_rec(con, 101, 10, 1, DASH)
    add_action(con, 1001, 101, 10, 1, None, None)
    add_version(con, 11, 1, "2023-01-31")  # the same case, a later plan version
    add_rec(con, 110, 11, 1, DASH)
    add_version(con, 20, 2, "2022-09-01")
    add_rec(con, 200, 20, 2, DASH_AGAIN)
    add_action(con, 2000, 200, 20, 2, "Officers trained via L&D", "85% of officers trained. Complete")
    yield con
    con.close()


def rows(con, sql):
    return con.execute(sql).fetchall()


def test_tag_plan_version_stores_themes_with_their_words_and_field(con):
    assert tag_plan_version(con, 10) == (
        rows(con, "SELECT count(*) FROM theme_match")[0][0], rows(con, "SELECT count(*) FROM uptake_evidence")[0][0])
    got = rows(con, "SELECT recommendation_id, action_id, field, theme, matched FROM theme_match "
                    "WHERE axis = 'topic' ORDER BY 1, 2 NULLS FIRST, 3, 4")
    assert got == [
        (100, None, "recommendation", "mental_health", "dual diagnosis; CMHT"),
        (100, None, "recommendation", "policy_procedure", "protocol"),
        (100, None, "recommendation", "substance_misuse", "dual diagnosis; Cranstoun"),
        (100, 1000, "action", "training", "7-minute briefing"),
        # No rule finds training in "Poor take up; the staff sessions will be re-run": the theme model does
        # (probability 0.93), and its evidence is the words that weighed most for it.
        (100, 1000, "update", "training", "staff; sessions; poor"),
        (101, None, "recommendation", "risk_assessment", "DASH; risk assessment"),
    ]
    assert rows(con, "SELECT DISTINCT plan_version_id, case_id FROM theme_match") == [(10, 1)]
    assert rows(con, "SELECT action_id, polarity, phrase, snippet FROM uptake_evidence ORDER BY polarity") == [
        (1000, "negative", "Poor take up", "Poor take up"),
        (1000, "planned", "will be re-run", "the staff sessions will be re-run in May."),
    ]


def test_tag_plan_version_again_replaces_rather_than_doubles(con):
    tag_plan_version(con, 10)
    first = rows(con, "SELECT count(*) FROM theme_match")[0][0]
    tag_plan_version(con, 10)
    tag_plan_version(con, 20)
    assert rows(con, "SELECT count(*) FROM theme_match WHERE plan_version_id = 10")[0][0] == first
    assert rows(con, "SELECT count(*) FROM theme_match WHERE plan_version_id = 20")[0][0] > 0


def test_retag_all_rebuilds_everything_and_groups_latest_versions_only(con):
    con.execute("INSERT INTO theme_match VALUES (1, 10, 100, NULL, 'topic', 'stale', 'recommendation', 'x', 'rules')")
    counts = retag_all(con)
    assert rows(con, "SELECT count(*) FROM theme_match WHERE theme = 'stale'")[0][0] == 0
    assert rows(con, "SELECT DISTINCT plan_version_id FROM theme_match ORDER BY 1") == [(10,), (11,), (20,)]
    # Case 1's latest version (11) holds the DASH recommendation 110; version 10's copy (101) is history.
    assert rows(con, "SELECT recommendation_id, case_id FROM recurring_member ORDER BY 1") == [(110, 1), (200, 2)]
    assert counts == {"theme_match": rows(con, "SELECT count(*) FROM theme_match")[0][0],
                      "uptake_evidence": 3, "recurring_member": 2, "recurring_groups": 1}


@pytest.mark.parametrize("failing", ["_tag_rows", "refresh_recurring_facts"])
def test_a_retag_failing_part_way_leaves_the_stored_tags_as_they_were(con, monkeypatch, failing):
    """Batches are staged and swapped in at the end: a failure while tagging (after the first batch was
    staged) or while swapping changes nothing a reader sees, and leaves no staging table behind."""
    import dhrlearn.themes as themes

    retag_all(con)
    before = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
              for t in ("theme_match", "uptake_evidence", "recurring_member", "action_theme_fact")}
    assert all(before.values())
    con.execute("DELETE FROM recommendation WHERE recommendation_id = 110")  # a retag would now differ
    calls = []
    real = getattr(themes, failing)

    def fail_part_way(*args, **kwargs):
        calls.append(1)
        if len(calls) == (2 if failing == "_tag_rows" else 1):
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(themes, "RETAG_BATCH", 1)
    monkeypatch.setattr(themes, failing, fail_part_way)
    with pytest.raises(RuntimeError, match="disk full"):
        retag_all(con)
    assert {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in before} == before
    assert rows(con, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'staged_%'") == [(0,)]


def test_retag_command_prints_counts(tmp_path, capsys):
    path = tmp_path / "dhr.duckdb"
    con = connect(path)
    add_case(con, 1, "Case 1")
    add_version(con, 10, 1, "2022-06-01")
    add_rec(con, 100, 10, 1, "Raise public awareness through social media")
    con.close()
    assert run_cli(argparse.Namespace(db=str(path))) == 0
    assert "Re-tagged: 2 theme matches, 0 uptake evidence rows, 0 recurring groups" in capsys.readouterr().out
    con = connect(path)
    assert rows(con, "SELECT theme FROM theme_match WHERE axis = 'topic' ORDER BY 1") == [("public_awareness",)]
    con.close()


def test_retag_all_in_batches_stores_the_same_rows(con, monkeypatch):
    import dhrlearn.themes as themes

    retag_all(con)
    whole = con.execute("SELECT * FROM theme_match ORDER BY ALL").fetchall()
    monkeypatch.setattr(themes, "RETAG_BATCH", 1)  # one plan version at a time
    retag_all(con)
    assert con.execute("SELECT * FROM theme_match ORDER BY ALL").fetchall() == whole and whole


def test_each_stored_theme_says_whether_a_rule_or_the_theme_model_found_it(con):
    tag_plan_version(con, 10)
    refresh_facts(con)  # the plans' spans, which the query's plan in force reads (an import keeps them)
    assert rows(con, "SELECT field, source FROM theme_match WHERE action_id = 1000 AND theme = 'training' "
                     "ORDER BY field") == [("action", "rules"), ("update", "model")]
    evidence = query(con, "theme_evidence", case_id=1, theme="training", as_of="2022-12-31")
    assert dict(zip(evidence["field"], evidence["source"])) == {"action": "rules", "update": "model"}


def test_tags_stored_before_their_source_was_kept_are_stale_until_re_tagged(con):
    retag_all(con)
    assert not rules_changed(con)
    con.execute("ALTER TABLE theme_match DROP COLUMN source")  # the database as version 9 left it
    con.execute("DELETE FROM schema_version WHERE version >= 10")
    migrate(con)
    assert rows(con, "SELECT count(*), count(source) FROM theme_match")[0][1] == 0
    assert rules_changed(con)
    retag_all(con)
    assert not rules_changed(con) and rows(con, "SELECT count(*) = count(source) FROM theme_match") == [(True,)]
