"""Progress, theme, toxic-trio queries on the hand-worked standard fixture (see fixture_db)."""
import datetime as dt

import pytest

from dhrlearn.filters import Filters
from dhrlearn.store.db import query
from fixture_db import standard_fixture

MARCH = dt.date(2023, 3, 1)


@pytest.fixture(scope="module")
def fx():
    con, ids = standard_fixture()
    yield con, ids
    con.close()


def run(fx, name, extra=None, **filters):
    con, _ = fx
    return query(con, name, **Filters(**{"as_of": MARCH, **filters}).params(), **{"limit": None, **(extra or {})})


def changes(df):
    return sorted(zip(df.change, df.reference, df.recommendation_number, df.action_seq))


def test_progress_between_dates(fx):
    df = run(fx, "progress_between", {"date_from": dt.date(2022, 7, 1), "date_to": MARCH})
    # Case A: A1 -> A2; Cases B and C were not in force in July 2022, so all theirs are new.
    assert changes(df) == sorted([
        ("completed", "Case 16", "1", 1), ("new", "Case 16", "1", 2), ("slipped", "Case 16", "2", 1),
        ("new", "Case 16", "3", 1), ("removed", "Case 16", "4", 1),
        ("new", "DHR 2021/01", "1", 1), ("new", "DHR 2021/01", "1", 2),
        ("new", "DHR 2021/01", "2", 1), ("new", "DHR 2021/01", "2", 2),
        ("new", "Case 3", "1", 1), ("new", "Case 3", "2", 1),
    ])
    slipped = df[df.change == "slipped"].iloc[0]
    assert slipped.slip_reasons == "now off track; target date passed"
    assert (slipped.before_status, slipped.after_status) == ("in_progress", "off_track")
    assert df.change.tolist()[:3] == ["completed", "slipped", "new"]  # meeting order


def test_progress_between_dates_with_filters_and_no_change(fx):
    df = run(fx, "progress_between", {"date_from": dt.date(2022, 7, 1), "date_to": MARCH},
             partnerships=("South CSP",), levels=("single_agency",))
    assert changes(df) == sorted([("slipped", "Case 16", "2", 1), ("new", "Case 16", "3", 1),
                                  ("new", "Case 3", "1", 1), ("new", "Case 3", "2", 1)])
    df = run(fx, "progress_between", {"date_from": dt.date(2023, 2, 20), "date_to": MARCH})
    assert df.empty  # nothing imported or due in between


def test_progress_between_versions(fx):
    con, ids = fx
    df = run(fx, "progress_between_versions", {"from_version": ids["a1"], "to_version": ids["a2"]})
    assert changes(df) == sorted([
        ("completed", "Case 16", "1", 1), ("new", "Case 16", "1", 2), ("slipped", "Case 16", "2", 1),
        ("new", "Case 16", "3", 1), ("removed", "Case 16", "4", 1)])
    removed = df[df.change == "removed"].iloc[0]
    assert removed.action_text == "Newsletter" and removed.plan_version_id == ids["a1"]


def test_theme_prevalence_is_a_share_of_cases(fx):
    df = run(fx, "theme_prevalence").set_index("theme")
    assert df.cases.to_dict() == {"mental_health": 2, "training": 2, "substance_misuse": 1, "toxic_trio": 1}
    assert set(df.cases_total) == {3}
    assert df.pct_cases.to_dict() == {"mental_health": 66.7, "training": 66.7, "substance_misuse": 33.3,
                                      "toxic_trio": 33.3}
    assert df.recommendations.to_dict() == {"mental_health": 2, "training": 2, "substance_misuse": 1,
                                            "toxic_trio": 1}
    # In January only A1 was in force for Case A: substance misuse, no training or mental health there.
    jan = run(fx, "theme_prevalence", as_of=dt.date(2023, 1, 31)).set_index("theme")
    assert jan.cases.to_dict() == {"mental_health": 1, "substance_misuse": 1, "toxic_trio": 1, "training": 1}
    assert run(fx, "theme_prevalence", themes=("training",)).theme.tolist() == ["training"]
    north = run(fx, "theme_prevalence", partnerships=("North CSP",)).set_index("theme")
    assert north.pct_cases.to_dict() == {"mental_health": 100.0, "training": 100.0}


def test_theme_prevalence_by_year_and_partnership(fx):
    df = run(fx, "theme_prevalence_by_year")
    got = {(r.year, r.theme): (r.cases, r.cases_total, r.pct_cases) for r in df.itertuples()}
    assert got == {
        (2020, "mental_health"): (1, 1, 100.0), (2020, "substance_misuse"): (1, 1, 100.0),
        (2020, "training"): (1, 1, 100.0),
        (2021, "mental_health"): (1, 2, 50.0), (2021, "training"): (1, 2, 50.0),
        (2021, "toxic_trio"): (1, 2, 50.0),
    }
    df = run(fx, "theme_prevalence_by_partnership")
    got = {(r.partnership, r.theme): (r.cases, r.cases_total) for r in df.itertuples()}
    assert got[("South CSP", "training")] == (1, 2) and got[("North CSP", "training")] == (1, 1)
    assert len(got) == 6


def test_theme_cooccurrence(fx):
    df = run(fx, "theme_cooccurrence")
    got = {(r.theme_a, r.theme_b): (r.cases_both, r.cases_a, r.cases_b, r.pct_cases, r.jaccard)
           for r in df.itertuples()}
    assert got == {
        ("mental_health", "training"): (2, 2, 2, 66.7, 1.0),
        ("mental_health", "substance_misuse"): (1, 2, 1, 33.3, 0.5),
        ("substance_misuse", "training"): (1, 1, 2, 33.3, 0.5),
    }
    assert len(run(fx, "theme_cooccurrence", themes=("substance_misuse",))) == 2


def test_theme_evidence_shows_the_text_and_matched_words(fx):
    con, ids = fx
    df = run(fx, "theme_evidence", {"case_id": ids["case_a"], "theme": "substance_misuse"})
    assert df.text.tolist() == ["Review alcohol treatment referrals"]  # A2 only, not the older A1 row
    assert df.matched_words.iloc[0].tolist() == ["alcohol", "treatment"]
    df = run(fx, "theme_evidence", {"case_id": ids["case_a"], "theme": "mental_health"})
    assert (df.field.iloc[0], df.action_seq.iloc[0], df.text.iloc[0]) == ("action", 2, "Mental health awareness sessions")


def test_toxic_trio(fx):
    s = run(fx, "toxic_trio_summary").iloc[0]
    # A (substance misuse + mental health) and C (names the trio); not B (mental health only).
    assert (s.cases, s.trio_cases, s.pct_trio_cases, s.cases_naming_trio) == (3, 2, 66.7, 1)
    # Trio-related: A2 r2 a1 (substance), A2 r1 a2 (mental health), C r1 a1 (trio); none complete; 2 overdue.
    assert (s.trio_actions, s.trio_actions_complete, s.pct_trio_actions_complete, s.trio_actions_overdue) == (3, 0, 0.0, 2)
    jan = run(fx, "toxic_trio_summary", as_of=dt.date(2023, 1, 31)).iloc[0]
    assert jan.trio_cases == 1  # A1 had substance misuse only
    df = run(fx, "toxic_trio_by_year")
    assert [tuple(r) for r in df[["year", "cases", "trio_cases", "pct_trio_cases"]].itertuples(index=False)] == [
        (2020, 1, 1, 100.0), (2021, 2, 1, 50.0)]
    df = run(fx, "toxic_trio_cases")
    assert df.reference.tolist() == ["Case 16", "Case 3"]
    assert df.names_toxic_trio.tolist() == [False, True] and df.trio_actions.tolist() == [2, 1]
    assert run(fx, "toxic_trio_summary", partnerships=("North CSP",)).iloc[0].trio_cases == 0
