"""The demo build: what the database holds equals what the generator meant, through the real importers."""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections import defaultdict

import duckdb
import pytest

from dhrlearn import config
from dhrlearn.demo import DEMO_DIR, DemoBuildFailed, build_database, generator, run_cli

pytestmark = pytest.mark.slow  # imports all 120 demo files (about 30 s of CPU)


@pytest.fixture(scope="module")
def cases():
    return generator.generate()


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    counts = build_database(path)
    assert counts["files"] == len(list(DEMO_DIR.glob("*_v*.*")))
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def stored_versions(con) -> dict:
    """(partnership, reference) -> [(as_of, source_file, format), ...] oldest first."""
    rows = con.execute("""
        SELECT c.partnership, c.reference, pv.as_of_date, pv.source_file, pv.format
        FROM plan_version pv JOIN dhr_case c USING (case_id) ORDER BY pv.as_of_date""").fetchall()
    out = defaultdict(list)
    for partnership, reference, as_of, source, fmt in rows:
        out[(partnership, reference)].append((as_of, source, fmt))
    return out


def test_cases_and_versions(con, cases):
    stored = {(p, r): (y, demo) for p, r, y, demo in
              con.execute("SELECT partnership, reference, year, is_demo FROM dhr_case").fetchall()}
    assert stored == {(c.meta.partnership, c.meta.reference): (c.meta.year, True) for c in cases}
    versions = stored_versions(con)
    for case in cases:
        assert versions[(case.meta.partnership, case.meta.reference)] == [
            (plan.as_of_date, case.file_name(i), case.format) for i, plan in enumerate(case.plans)]


def test_recommendations_match(con, cases):
    rows = con.execute("""
        SELECT pv.source_file, r.recommendation_id, r.number, r.level, r.scope, r.text,
               list(l.agency ORDER BY l.agency) FILTER (WHERE l.agency IS NOT NULL) AS owners
        FROM recommendation r JOIN plan_version pv USING (plan_version_id)
        LEFT JOIN agency_link l ON l.recommendation_id = r.recommendation_id AND l.role = 'owner'
        GROUP BY ALL ORDER BY pv.source_file, r.recommendation_id""").fetchall()
    got = defaultdict(list)
    for source, _id, number, level, scope, text, owners in rows:
        got[source].append((number, level, scope, text, owners or []))
    for case in cases:
        for i, plan in enumerate(case.plans):
            want = [(r.number, r.level, r.scope, r.text, sorted(a.canonical for a in r.owning_agencies))
                    for r in plan.recommendations]
            assert got[case.file_name(i)] == want, case.file_name(i)


def test_actions_match(con, cases):
    rows = con.execute("""
        SELECT pv.source_file, r.recommendation_id, r.number, a.seq, a.text, a.status, a.target_date, a.target_precision,
               a.completion_date, coalesce(a.named_lead, ''),
               list(l.agency ORDER BY l.agency) FILTER (WHERE l.agency IS NOT NULL) AS leads
        FROM action a JOIN recommendation r USING (recommendation_id)
        JOIN plan_version pv ON pv.plan_version_id = a.plan_version_id
        LEFT JOIN agency_link l ON l.action_id = a.action_id AND l.role = 'lead'
        GROUP BY ALL ORDER BY pv.source_file, r.recommendation_id, a.seq""").fetchall()
    got = defaultdict(list)
    for source, _id, number, _seq, *fields, leads in rows:
        got[source].append((number, *fields, leads or []))
    total = 0
    for case in cases:
        for i, plan in enumerate(case.plans):
            want = [(r.number, a.text, a.status, a.target_date, a.target_precision, a.completion_date,
                     a.named_lead, sorted(x.canonical for x in a.lead_agencies))
                    for r in plan.recommendations for a in r.actions]
            assert got[case.file_name(i)] == want, case.file_name(i)
            total += len(want)
    assert total == con.execute("SELECT count(*) FROM action").fetchone()[0]


def test_every_link_known_and_no_warnings(con):
    assert con.execute("SELECT count(*) FROM agency_link WHERE NOT known").fetchone()[0] == 0
    warnings = con.execute("SELECT src_file, field, message FROM import_warning").fetchall()
    assert warnings == []


def test_derived_facts_are_built(con):
    """Themes, uptake evidence and recurring groups exist for the demo's pages to show."""
    themes = dict(con.execute(
        "SELECT theme, count(DISTINCT case_id) FROM theme_match WHERE axis = 'topic' GROUP BY theme").fetchall())
    assert themes.get("mental_health", 0) > themes.get("housing", 0) > 0
    assert con.execute("SELECT count(*) FROM uptake_evidence").fetchone()[0] > 0
    assert con.execute("SELECT count(DISTINCT group_id) FROM recurring_member").fetchone()[0] >= 5


def test_failed_build_leaves_no_database(tmp_path):
    source = tmp_path / "plans"
    source.mkdir()
    first = sorted(DEMO_DIR.glob("*.csv"))[0]
    shutil.copy(first, source / first.name)
    (source / "zz_broken.csv").write_text("nothing,that,looks\nlike,a,plan\n")
    target = tmp_path / "demo.duckdb"
    with pytest.raises(DemoBuildFailed, match="zz_broken.csv"):
        build_database(target, source)
    assert list(tmp_path.iterdir()) == [source]  # no database, no half-built temporary file
    target.write_bytes(b"existing")
    with pytest.raises(DemoBuildFailed):
        build_database(target, source)
    assert target.read_bytes() == b"existing"


def test_if_missing_keeps_an_existing_database(tmp_path, capsys):
    target = tmp_path / "dhr.duckdb"
    target.write_bytes(b"kept")
    assert run_cli(argparse.Namespace(db=str(target), if_missing=True)) == 0
    assert target.read_bytes() == b"kept"
    assert "exists" in capsys.readouterr().out


def test_rebuild_refuses_a_database_in_use(tmp_path):
    """Replacing the file under a running dashboard would leave it showing stale data."""
    from dhrlearn.store.db import connect

    target = tmp_path / "dhr.duckdb"
    held = connect(target)  # this process holds the file, as the dashboard would
    try:
        done = subprocess.run([sys.executable, "-m", "dhrlearn", "--db", str(target), "demo"],
                              capture_output=True, text=True, cwd=str(config.ROOT))
    finally:
        held.close()
    assert done.returncode == 3 and "in use" in done.stderr
