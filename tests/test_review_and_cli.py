"""The review step (preview -> corrections -> commit) and the command line, on the real seed plan."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from dhrlearn import review
from dhrlearn.store import db

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_1c8ffb99130fe5a6.txt"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def seed_bytes():
    if not SEED.exists():
        pytest.skip("the shared seed plan is not beside the project")
    return SEED.read_bytes()


def cli(*args, db_path):
    return subprocess.run([sys.executable, "-m", "dhrlearn", "--db", str(db_path), *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_preview_of_the_seed_matches_its_ground_truth(seed_bytes):
    preview = review.preview_bytes(seed_bytes, "case16.txt")
    assert preview.ok and preview.summary()["recommendations"] == 12
    actions = preview.actions_frame()
    assert list(actions["level"]).count("overview") == 4
    status = dict(zip(actions["number"], actions["status"]))
    assert status.pop("8") == "off_track"
    assert set(status.values()) == {"complete"}
    assert {"case", "where", "field", "message"} <= set(preview.warnings_frame().columns)


def test_corrections_are_renormalised_and_committed(seed_bytes):
    preview = review.preview_bytes(seed_bytes, "case16.txt")
    edited = preview.actions_frame()
    row = edited.index[edited["number"] == "8"][0]
    edited.loc[row, "status_raw"] = "Completed"
    edited.loc[row, "target_date_raw"] = "31/03/2023"
    review.apply_corrections(preview, edited)
    con = db.connect(":memory:")
    result = review.commit(con, preview)
    assert result.outcome == "imported" and result.actions == 12
    stored = con.execute(
        """SELECT a.status, a.target_date, a.status_raw FROM action a
           JOIN recommendation r USING (recommendation_id) WHERE r.number = '8'"""
    ).fetchone()
    assert stored == ("complete", dt.date(2023, 3, 31), "Completed")


def test_a_status_or_target_written_but_unread_puts_its_row_first_for_correcting():
    """An empty field has nothing to correct and is left out of a row's confidence; one written in a way
    nothing could read ranks the row lowest, so the review shows it first."""
    csv = ("Case,Recommendation,Action,Target date,Status\n"
           "DHR 7,1. Train staff,Deliver training,31/03/2025,Complete\n"
           "DHR 7,2. Share information,Agree protocol,31/03/2025,\n"
           "DHR 7,3. Review policy,Rewrite policy,31/03/2025,Chased\n"
           "DHR 7,4. Audit,Audit files,when funding allows,Complete\n").encode()
    actions = review.preview_bytes(csv, "unread.csv").actions_frame().set_index("action")["confidence"]
    assert actions["Deliver training"] == actions["Agree protocol"] == 1.0
    assert actions["Rewrite policy"] == actions["Audit files"] == 0.01


def test_overrides_name_the_case_when_the_file_does_not(seed_bytes):
    preview = review.preview_bytes(seed_bytes, "case16.txt",
                                   {"partnership": "Testshire CSP", "case_reference": "DHR 99", "is_demo": True})
    plan = preview.plans[0]
    assert (plan.case.partnership, plan.case.reference, plan.case.is_demo) == ("Testshire CSP", "DHR 99", True)


@pytest.mark.parametrize("name, data, expected", [
    ("empty.csv", b"", "empty"),
    ("plan.doc", b"\xd0\xcf\x11\xe0 old word", "not supported"),
    ("junk.txt", bytes(range(256)) * 8, "junk.txt"),
])
def test_a_bad_file_gets_a_clear_error_and_changes_nothing(name, data, expected):
    con = db.connect(":memory:")
    preview = review.preview_bytes(data, name)
    assert not preview.ok and expected in preview.error
    result = review.commit(con, preview)
    assert result.outcome == "failed"
    assert con.execute("SELECT count(*) FROM plan_version").fetchone()[0] == 0
    assert con.execute("SELECT outcome FROM import_log").fetchall() == [("failed",)]


def test_a_fault_of_ours_on_one_file_is_that_file_s_error_not_a_crash(monkeypatch):
    """A file that trips a bug in reading it names itself, stores nothing, and leaves the other files alone."""
    def broken(plan):
        raise IndexError("no such group")
    monkeypatch.setattr(review, "normalise_plan", broken)
    good = "DHR reference: DHR 7\nRecommendation,Action,Status\nTrain staff,Deliver training,Complete\n".encode()
    previews = review.preview_files([("odd.csv", good)])
    assert previews[0].error.startswith("odd.csv: could not be read (IndexError: no such group)")
    con = db.connect(":memory:")
    assert review.commit(con, previews[0]).outcome == "failed"
    assert con.execute("SELECT count(*) FROM plan_version").fetchone()[0] == 0


def test_cli_imports_then_says_a_second_import_is_a_no_op(tmp_path, seed_bytes):
    plan = tmp_path / "case16.txt"
    plan.write_bytes(seed_bytes)
    first = cli("import", str(plan), db_path=tmp_path / "t.duckdb")
    assert first.returncode == 0, first.stderr
    assert "1 case(s), 12 recommendations, 12 actions" in first.stdout
    assert "Recurring recommendations regrouped: 0 groups" in first.stdout  # one case: nothing recurs yet
    second = cli("import", str(plan), db_path=tmp_path / "t.duckdb")
    assert second.returncode == 0 and "already imported" in second.stdout
    assert "regrouped" not in second.stdout
    listing = cli("list", db_path=tmp_path / "t.duckdb")
    assert "Case No. 16" in listing.stdout and "2023-01-12" in listing.stdout
    con = db.connect(tmp_path / "t.duckdb", read_only=True)
    assert con.execute("SELECT count(*) FROM dhrd_incident").fetchone()[0] > 600  # national figures ready


def test_cli_dry_run_prints_the_preview_and_stores_nothing(tmp_path, seed_bytes):
    plan = tmp_path / "case16.txt"
    plan.write_bytes(seed_bytes)
    run = cli("import", "--dry-run", str(plan), db_path=tmp_path / "t.duckdb")
    assert run.returncode == 0, run.stderr
    assert "would import 1 case(s), 12 recommendations" in run.stdout and "off_track" in run.stdout
    assert not (tmp_path / "t.duckdb").exists()


def test_cli_reports_a_bad_file_by_name_and_imports_the_good_one(tmp_path, seed_bytes):
    good, bad = tmp_path / "case16.txt", tmp_path / "empty.xlsx"
    good.write_bytes(seed_bytes)
    bad.write_bytes(b"")
    run = cli("import", str(bad), str(good), db_path=tmp_path / "t.duckdb")
    assert run.returncode == 1
    assert "empty.xlsx" in run.stderr and "empty" in run.stderr and "Traceback" not in run.stderr
    assert "12 recommendations" in run.stdout


def test_cli_import_regroups_recommendations_that_recur_across_cases(tmp_path, seed_bytes):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(seed_bytes)
    second.write_bytes(seed_bytes + b"\n")  # other bytes, same recommendations
    database = tmp_path / "t.duckdb"
    assert cli("import", "--case", "DHR A", str(first), db_path=database).returncode == 0
    run = cli("import", "--case", "DHR B", str(second), db_path=database)
    assert run.returncode == 0, run.stderr
    con = db.connect(database, read_only=True)
    groups = con.execute(
        "SELECT group_id, count(DISTINCT case_id) FROM recurring_member GROUP BY group_id"
    ).fetchall()
    assert len(groups) >= 10 and all(cases == 2 for _, cases in groups)


def test_cli_dry_run_names_a_missing_and_an_empty_file(tmp_path):
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    run = cli("import", "--dry-run", str(tmp_path / "gone.pdf"), str(empty), db_path=tmp_path / "t.duckdb")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "gone.pdf: cannot be read" in run.stderr and "empty.docx: the file is empty" in run.stderr
