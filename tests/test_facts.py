"""The fact tables every figure counts stay in step with the rows they are made from: after an import,
a newer plan version, a re-tag and a taught agency alias."""
from pathlib import Path

import pytest

from dhrlearn import review
from dhrlearn.filters import Filters
from dhrlearn.normalise.agencies import AgencyDirectory
from dhrlearn.store import db
from dhrlearn.store.aliases import apply_alias
from dhrlearn.store.facts import ALL, refresh_facts
from dhrlearn.themes import retag_all
from fixture_db import add_action, add_case, add_plan_version, add_recommendation, make_db

SEED_CSV = Path(__file__).parent / "fixtures" / "tabular" / "seed_home_office.csv"


def out_of_step(con) -> dict[str, int]:
    """Rows that differ, both ways, between each fact table and what its macro makes now (action_fact's
    lineage_id, kept by case, against action_lineage_rows; each case's list_order against case_list_order)."""
    every = "(SELECT coalesce(list(plan_version_id), []) FROM plan_version)"
    pairs = {table: (f"SELECT * EXCLUDE (lineage_id) FROM {table}" if table == "action_fact" else f"FROM {table}",
                     f"FROM {table}_rows({every})") for table in ALL}
    pairs["action_fact.lineage_id"] = ("SELECT action_id, lineage_id FROM action_fact",
                                       f"FROM action_lineage_rows({every})")
    pairs["dhr_case.list_order"] = ("SELECT case_id, list_order FROM dhr_case", "FROM case_list_order()")
    differ = {}
    for name, (stored, made) in pairs.items():
        extra = con.execute(f"SELECT count(*) FROM ({stored} EXCEPT ALL {made})").fetchone()[0]
        missing = con.execute(f"SELECT count(*) FROM ({made} EXCEPT ALL {stored})").fetchone()[0]
        if extra or missing:
            differ[name] = extra + missing
    return differ


@pytest.fixture
def imported(tmp_path):
    con = db.connect(tmp_path / "facts.duckdb")
    result = review.import_file(con, SEED_CSV)
    assert result.outcome == "imported"
    yield con
    con.close()


def test_an_import_fills_every_fact_table(imported):
    counts = {t: imported.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ALL}
    actions = imported.execute("SELECT count(*) FROM action").fetchone()[0]
    assert counts["action_fact"] == actions > 0
    assert counts["action_agency_fact"] >= actions
    assert counts["plan_theme_fact"] > 0
    assert out_of_step(imported) == {}


def test_a_retag_rebuilds_the_theme_facts(imported):
    imported.execute("DELETE FROM action_theme_fact")  # as if the taxonomy had changed under them
    assert "action_theme_fact" in out_of_step(imported)
    retag_all(imported)
    assert out_of_step(imported) == {}


def test_refresh_of_some_versions_leaves_the_others(imported):
    before = imported.execute("SELECT count(*) FROM action_fact").fetchone()[0]
    refresh_facts(imported, [10_000])  # no such version: nothing to delete, nothing to add
    assert imported.execute("SELECT count(*) FROM action_fact").fetchone()[0] == before
    with pytest.raises(ValueError, match="not a fact table"):
        refresh_facts(imported, None, ("action",))


def test_a_taught_alias_moves_stored_actions_to_the_agency(tmp_path):
    con = make_db()
    pv = add_plan_version(con, add_case(con, "DHR 9"), as_of_date="2024-01-31")
    rec = add_recommendation(con, pv, "1", "Review the hub's triage")
    add_action(con, rec, "Audit triage", status="complete", leads=[("Wyre Forest DA Hub", None, None)])
    by_agency = lambda: {r.agency: (r.agency_known, r.actions) for r in  # noqa: E731
                         db.query(con, "completion_by_agency", **Filters().params()).itertuples()}
    assert by_agency() == {"Wyre Forest DA Hub": (False, 1)}

    directory = AgencyDirectory.load(local_file=tmp_path / "aliases_local.csv")
    directory.add_alias("Wyre Forest DA Hub", "Worcestershire County Council")
    assert apply_alias(con, "Wyre Forest DA Hub", directory) == 1
    assert by_agency() == {"Worcestershire County Council": (True, 1)}
    assert out_of_step(con) == {}


def test_a_refresh_in_batches_gives_the_rows_of_one_pass(imported, monkeypatch):
    """Thousands of versions are refreshed a batch at a time; the rows must not depend on the batching."""
    from dhrlearn.store import facts

    review.import_file(imported, Path(__file__).parent / "fixtures" / "tabular" / "multi_case_tracker.xlsx")
    monkeypatch.setattr(facts, "BATCH", 1)
    refresh_facts(imported)
    assert imported.execute("SELECT count(*) FROM plan_version").fetchone()[0] > 1
    assert out_of_step(imported) == {}


def test_a_newer_version_ends_the_span_of_the_one_before(tmp_path):
    """plan_span says when each version is in force; plan_in_force reads it. A later version ends the
    span of the one before; of two versions of the same date the later import wins from that date on."""
    import datetime as dt

    con = make_db()
    case = add_case(con, "DHR 7")
    january = add_plan_version(con, case, as_of_date="2024-01-31", imported_at=dt.datetime(2024, 2, 1))
    march = add_plan_version(con, case, as_of_date="2024-03-31", imported_at=dt.datetime(2024, 4, 1))
    march_again = add_plan_version(con, case, as_of_date="2024-03-31", imported_at=dt.datetime(2024, 4, 2))
    spans = dict((v, (str(f), str(u))) for v, f, u in con.execute(
        "SELECT plan_version_id, version_date, until_date FROM plan_span").fetchall())
    assert spans == {january: ("2024-01-31", "2024-03-31"), march: ("2024-03-31", "2024-03-31"),
                     march_again: ("2024-03-31", "None")}

    def in_force(day):
        return con.execute("SELECT plan_version_id FROM plan_in_force($d)", {"d": day}).fetchall()

    assert in_force("2024-01-30") == []
    assert in_force("2024-01-31") == in_force("2024-03-30") == [(january,)]
    assert in_force("2024-03-31") == in_force("2030-01-01") == [(march_again,)]
    assert out_of_step(con) == {}
