"""The store: schema and migrations, all-or-nothing commits, duplicates, plan versions, the file lock."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import pandas as pd
import pytest

from dhrlearn import config
from dhrlearn.model import AgencyRef, CaseMeta, ParsedAction, ParsedPlan, ParsedRecommendation, Provenance
from dhrlearn.store import db
from dhrlearn.store.commit import commit_plans


def make_plan(sha="a" * 64, as_of=dt.date(2023, 1, 12), statuses=("complete", "off_track"), text="Share learning"):
    recs = []
    for i, status in enumerate(statuses, start=1):
        prov = Provenance("plan.xlsx", "Sheet1", f"row {i + 3}")
        action = ParsedAction(
            text=f"Action {i}", lead_agency_raw="WMP", named_lead="J. Placeholder",
            target_date_raw="Jan 2023", target_date=dt.date(2023, 1, 31), target_precision="month",
            status_raw=status.title(), status=status, status_word=status, provenance=prov,
            lead_agencies=[AgencyRef("WMP", "West Mercia Police", "Police", True)],
        )
        recs.append(ParsedRecommendation(
            number_raw=f"Recommendation No {i}", number=str(i), sort_key=f"{i:04d}", text=f"{text} {i}",
            level="overview", actions=[action], provenance=prov,
            owning_agencies=[AgencyRef("All agencies", "All agencies", "Other", True)],
        ))
    plan = ParsedPlan("plan.xlsx", sha, "xlsx", "test-1", CaseMeta("Case No. 16", "South Worcestershire CSP"),
                      as_of, recs)
    plan.warn(Provenance("plan.xlsx", "Sheet1", "row 4"), "agency", "unknown agency 'Foo'")
    return plan


@pytest.fixture
def con():
    connection = db.connect(":memory:")
    yield connection
    connection.close()


def count(con, table):
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_fresh_database_is_at_latest_version_and_migrate_is_idempotent(con):
    latest = max([1] + [n for n, _ in db.migrations()])
    assert db.schema_version(con) == latest
    assert db.migrate(con) == latest
    assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == latest


def test_migration_upgrades_an_old_database_in_place(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    db.connect(path).close()
    extra = tmp_path / "migrations"
    extra.mkdir()
    (extra / "999_add_note.sql").write_text("ALTER TABLE dhr_case ADD COLUMN note VARCHAR;")
    monkeypatch.setattr(db, "MIGRATIONS_DIR", extra)
    con = db.connect(path)
    assert db.schema_version(con) == 999
    assert "note" in [r[0] for r in con.execute("DESCRIBE dhr_case").fetchall()]


def test_commit_stores_every_row_with_provenance(con):
    result = commit_plans(con, [make_plan()], "plan.xlsx")
    assert (result.outcome, result.cases, result.recommendations, result.actions, result.warnings) == (
        "imported", 1, 2, 2, 1)
    assert count(con, "dhr_case") == 1 and count(con, "recommendation") == 2 and count(con, "action") == 2
    rows = con.execute(
        "SELECT status, target_date, src_file, src_location, src_rows FROM action ORDER BY seq, action_id"
    ).fetchall()
    assert rows[0] == ("complete", dt.date(2023, 1, 31), "plan.xlsx", "Sheet1", "row 4")
    links = con.execute("SELECT role, agency, known FROM agency_link ORDER BY role").fetchall()
    assert ("lead", "West Mercia Police", True) in links and ("owner", "All agencies", True) in links
    assert con.execute("SELECT outcome FROM import_log").fetchall() == [("imported",)]


def test_same_bytes_twice_is_a_no_op_that_says_so(con):
    commit_plans(con, [make_plan()], "plan.xlsx")
    again = commit_plans(con, [make_plan()], "plan-copy.xlsx")
    assert again.outcome == "duplicate"
    assert "already imported" in again.message and "plan.xlsx" in again.message
    assert count(con, "plan_version") == 1 and count(con, "action") == 2


def test_newer_plan_for_same_case_adds_a_version_and_keeps_the_old(con):
    commit_plans(con, [make_plan()], "plan.xlsx")
    newer = make_plan(sha="b" * 64, as_of=dt.date(2023, 6, 1), statuses=("complete", "complete"))
    newer.case.year, newer.case.region = 2021, "West Midlands"
    commit_plans(con, [newer], "plan-june.xlsx")
    assert count(con, "dhr_case") == 1
    # the later plan fills what the case did not know yet, and overwrites nothing
    assert con.execute("SELECT year, region, area FROM dhr_case").fetchone() == (2021, "West Midlands", None)
    versions = con.execute("SELECT as_of_date FROM plan_version ORDER BY as_of_date").fetchall()
    assert versions == [(dt.date(2023, 1, 12),), (dt.date(2023, 6, 1),)]
    assert count(con, "action") == 4


def test_a_failing_file_changes_nothing(con):
    commit_plans(con, [make_plan()], "plan.xlsx")
    bad = make_plan(sha="c" * 64)
    bad.recommendations[1].text = None  # violates NOT NULL after the first rows went in
    with pytest.raises(Exception):
        commit_plans(con, [bad], "bad.xlsx")
    assert count(con, "plan_version") == 1 and count(con, "recommendation") == 2
    log = con.execute("SELECT file_name, outcome FROM import_log ORDER BY import_id").fetchall()
    assert log == [("plan.xlsx", "imported"), ("bad.xlsx", "failed")]


def test_named_query_binds_only_its_parameters(con):
    commit_plans(con, [make_plan()], "plan.xlsx")
    frame = db.query(con, "stored_cases", as_of=dt.date.today(), unrelated=[1])
    assert frame.to_dict("records")[0]["reference"] == "Case No. 16"
    with pytest.raises(ValueError):
        db.query(con, "../secrets")


def test_second_process_gets_one_clear_sentence_when_the_file_is_held(tmp_path):
    path = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"from dhrlearn.store import db; c = db.connect({str(path)!r}); print('ready', flush=True); "
         "import time; time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        run = subprocess.run([sys.executable, "-m", "dhrlearn", "--db", str(path), "list"],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 3
        assert "Traceback" not in run.stderr
        assert f"process {holder.pid}" in run.stderr and "in use" in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
    finally:
        holder.kill()
        holder.wait()


TYPES = """
    SELECT * FROM (VALUES
        (1, 10, 100::BIGINT, true, true, DATE '2023-01-31', TIMESTAMP '2023-01-31 10:00', 0.5, 'a', NULL, ['x']),
        (2, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, []),
        (3, 30, 300::BIGINT, true, false, DATE '2024-02-29', TIMESTAMP '2024-02-29 09:30', 1.25, 'c', NULL, NULL)
    ) t(id, maybe_int, maybe_bigint, flag, maybe_flag, target, stamped, share, label, no_label, words)
"""


@pytest.mark.parametrize("where", ["", "WHERE id = 1", "WHERE false"])
def test_query_frames_have_the_dtypes_and_values_duckdb_gives(con, where):
    """db.frame (by way of Arrow, faster for text) gives exactly what DuckDB's own .df() gives: NULLs in
    integer and boolean columns as nullable types, dates as datetime64, a column without text as objects."""
    sql = f"SELECT * FROM ({TYPES}) {where}"
    expected = con.sql(sql).df()
    pd.testing.assert_frame_equal(db.frame(con.sql(sql).to_arrow_table()), expected)


def test_every_named_query_gives_the_frame_duckdb_gives():
    from conftest import ROOT
    from fixture_db import standard_fixture
    sys.path.insert(0, str(ROOT / "bench"))
    from run import declared_params, query_params

    connection, _ = standard_fixture()
    names = sorted(p.stem for p in config.QUERIES_DIR.glob("*.sql"))
    values = query_params(connection, names)
    for name in names:
        sql = db.query_text(name)
        params = {k: v for k, v in values.items() if k in declared_params(sql)}
        expected = connection.execute(sql, params).df()
        pd.testing.assert_frame_equal(db.query(connection, name, **params), expected, obj=name)
