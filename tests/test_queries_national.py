"""National comparison against DHRD, the DHRD loader, and the query catalogue's headers."""
import datetime as dt
import shutil

import pytest

from dhrlearn import analytics, config
from dhrlearn.filters import Filters
from dhrlearn.store.db import query
from fixture_db import make_db, standard_fixture

MARCH = dt.date(2023, 3, 1)

# Four incidents worked by hand (empty = unknown):
#   INC-1 2019: coercive control; victim mental health; perpetrator alcohol -> mh T, substance T, trio T
#   INC-2 2020: no victim row (two victims); perpetrator all False       -> mh ?, substance ?, trio ?
#   INC-3 2021: coercive control unknown; everything False                -> mh F, substance F, trio F
#   INC-4 2021: coercive control; victim mental health; substance unknown -> mh T, substance ?, trio ?
INCIDENTS = """incident_id,csp,region,death_date,coercive_control
INC-1,Northshire,North East,March 2019,True
INC-2,Southshire,South East,June 2020,False
INC-3,Southshire,South East,January 2021,
INC-4,Westshire,South West,May 2021,True
"""
VICTIMS = """victim_id,incident_id,victim_mental_health_issues,victim_vuln_alcohol,victim_vuln_substance_misuse
VIC-1,INC-1,True,False,False
VIC-3,INC-3,False,False,False
VIC-4,INC-4,True,,
"""
PERPETRATORS = """perpetrator_id,incident_id,perpetrator_mental_health_issues,perpetrator_vuln_alcohol,perpetrator_vuln_substance_misuse
SUS-1,INC-1,False,True,False
SUS-2,INC-2,False,False,False
SUS-3,INC-3,False,False,False
SUS-4,INC-4,,,
"""


@pytest.fixture(scope="module")
def fx(tmp_path_factory):
    directory = tmp_path_factory.mktemp("dhrd")
    (directory / "incidents.csv").write_text(INCIDENTS)
    (directory / "victims.csv").write_text(VICTIMS)
    (directory / "perpetrators.csv").write_text(PERPETRATORS)
    shutil.copy(analytics.DHRD_DIR / "measures.csv", directory / "measures.csv")
    con, ids = standard_fixture()
    assert analytics.load_dhrd(con, directory) == 4
    yield con, directory
    con.close()


def figures(con, **filters):
    df = query(con, "national_comparison", **Filters(**{"as_of": MARCH, **filters}).params())
    return {r.measure: (r.local_cases_with, r.local_cases, r.local_pct, r.national_cases_with,
                        r.national_cases_known, r.national_pct) for r in df.itertuples()}


def test_national_comparison_sets_local_beside_national(fx):
    con, _ = fx
    assert figures(con) == {
        "coercive_control": (0, 3, 0.0, 2, 3, 66.7),
        "mental_health": (2, 3, 66.7, 2, 3, 66.7),
        "substance_misuse": (1, 3, 33.3, 1, 2, 50.0),
        "toxic_trio": (2, 3, 66.7, 1, 2, 50.0),
    }
    df = query(con, "national_comparison", **Filters(as_of=MARCH).params())
    assert set(df.source) == {analytics.DHRD_CREDIT}


def test_national_comparison_year_filter_applies_to_both_sides(fx):
    con, _ = fx
    got = figures(con, year_from=2021)
    # Local: B (mental health) and C (names the trio). National: INC-3 and INC-4.
    assert got["mental_health"] == (1, 2, 50.0, 1, 2, 50.0)
    assert got["toxic_trio"] == (1, 2, 50.0, 0, 1, 0.0)
    assert got["substance_misuse"] == (0, 2, 0.0, 0, 1, 0.0)


def test_load_dhrd_is_repeatable_and_names_bad_columns(fx, tmp_path):
    con, directory = fx
    assert analytics.load_dhrd(con, directory) == 4
    assert con.execute("SELECT count(*) FROM dhrd_flag").fetchone()[0] == 16
    for name in ("incidents.csv", "victims.csv", "perpetrators.csv"):
        shutil.copy(directory / name, tmp_path / name)
    (tmp_path / "measures.csv").write_text(
        "measure,label,theme,combine,sources,description\nx,X,,any,victims.no_such_column,d\n")
    with pytest.raises(ValueError, match=r"measures.csv, line 2: no DHRD column 'victims.no_such_column'"):
        analytics.load_dhrd(con, tmp_path)
    assert con.execute("SELECT count(*) FROM dhrd_incident").fetchone()[0] == 4  # rolled back


def test_the_shipped_dhrd_files_load():
    con = make_db()
    assert analytics.ensure_dhrd(con) == 647
    known, with_flag = con.execute(
        "SELECT count(value), count(*) FILTER (WHERE value) FROM dhrd_flag WHERE measure = 'coercive_control'"
    ).fetchone()
    assert known == 647 and 0 < with_flag < 647
    assert analytics.ensure_dhrd(con) == 647  # already there: not loaded twice


def test_every_query_declares_exactly_the_parameters_it_uses():
    catalogue = analytics.query_catalogue()
    assert len(catalogue) >= 38
    for info in catalogue:
        assert info.summary and not info.summary.startswith("params:"), info.name
        assert set(info.params) == analytics.used_params(info.name), info.name


def test_every_query_runs_on_an_empty_database_with_the_shared_filters():
    con = make_db()
    extra = {"case_id": 1, "theme": "training", "group_id": 1, "q": "training", "date_from": dt.date(2023, 1, 1),
             "date_to": MARCH, "from_version": 1, "to_version": 2, "limit": None, "fields": []}
    for info in analytics.query_catalogue():
        df = query(con, info.name, **Filters(as_of=MARCH).params(), **extra)
        numbers = df.select_dtypes("number").drop(columns=["status_order"], errors="ignore").fillna(0)
        assert numbers.to_numpy().sum() == 0, info.name  # nothing stored, nothing counted
