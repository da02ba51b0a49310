"""Training uptake, recurring groups, search, case pages and data-quality queries (hand-worked; see fixture_db)."""
import datetime as dt

import pandas as pd
import pytest

from dhrlearn.filters import Filters
from dhrlearn.store.db import query
from fixture_db import (add_action, add_case, add_plan_version, add_recommendation, make_db,
                        standard_fixture)

MARCH = dt.date(2023, 3, 1)


@pytest.fixture(scope="module")
def fx():
    con, ids = standard_fixture()
    yield con, ids
    con.close()


def run(fx, name, extra=None, **filters):
    con, _ = fx
    return query(con, name, **Filters(**{"as_of": MARCH, **filters}).params(),
                 **{"limit": None, "fields": [], **(extra or {})})


def test_training_uptake(fx):
    t = run(fx, "training_uptake").iloc[0]
    # A2 r1 a1 (complete), a2 (June target); B r1 a1 (complete), a2 (no target).
    assert (t.training_actions, t.training_actions_complete, t.pct_training_actions_complete) == (4, 2, 50.0)
    assert (t.training_actions_overdue, t.cases_with_training_actions) == (0, 2)
    assert (t.evidence_negative, t.evidence_positive, t.evidence_planned, t.cases_with_negative_evidence) == (1, 1, 1, 1)
    t = run(fx, "training_uptake", agencies=("Probation Service",)).iloc[0]
    assert (t.training_actions, t.training_actions_complete, t.evidence_planned, t.evidence_negative) == (2, 1, 0, 1)


def test_uptake_evidence_list_negative_first_with_snippets(fx):
    df = run(fx, "uptake_evidence_list")
    assert df.polarity.tolist() == ["negative", "planned", "positive"]
    assert df.snippet.iloc[0] == "Good uptake but this tailed off."
    assert (df.reference.iloc[1], df.action_seq.iloc[1], df.status.iloc[1]) == ("Case 16", 2, "not_started")
    assert run(fx, "uptake_evidence_list", partnerships=("South CSP",)).polarity.tolist() == ["planned"]


def test_recurring_groups_need_two_cases_in_force(fx):
    df = run(fx, "recurring_groups")
    assert df.group_id.tolist() == [1]  # group 2 has one case; A1's member is not in force
    g = df.iloc[0]
    assert (g.cases, g.recommendations, g.partnerships, g.first_year, g.last_year) == (2, 2, 2, 2020, 2021)
    assert g.years.tolist() == [2020, 2021]
    assert g.representative_text == "Share learning on risk with all staff"
    assert (g.recommendations_complete, g.pct_recommendations_complete) == (0, 0.0)
    assert run(fx, "recurring_groups", partnerships=("South CSP",)).empty


def test_recurring_members(fx):
    df = run(fx, "recurring_members", {"group_id": 1})
    assert df.reference.tolist() == ["Case 16", "DHR 2021/01"]
    assert df.similarity.tolist() == [1.0, 0.8]
    assert df.actions.tolist() == [2, 2] and df.actions_complete.tolist() == [1, 1]
    assert df.complete.tolist() == [False, False]


def hits(df):
    return sorted(zip(df.reference, df.recommendation_number, df.action_seq.fillna(0).astype(int), df.field))


def test_search_finds_every_word_in_each_text(fx):
    df = run(fx, "search", {"q": "Referrals"})
    # "Referral pathway..." does not contain "referrals".
    assert hits(df) == [("Case 16", "2", 0, "recommendation"), ("Case 16", "2", 1, "action"),
                        ("DHR 2021/01", "2", 0, "recommendation")]
    assert set(df.score) == {1001}
    df = run(fx, "search", {"q": "tailed off"})
    assert hits(df) == [("DHR 2021/01", "1", 1, "update")]
    assert df.snippet.iloc[0] == "Good uptake but this tailed off. Complete"
    phrase, scattered = run(fx, "search", {"q": "tailed off"}).score[0], run(fx, "search", {"q": "off tailed"}).score[0]
    assert phrase > scattered == 2
    assert run(fx, "search", {"q": "  "}).empty
    assert len(run(fx, "search", {"q": "referrals"}, partnerships=("South CSP",))) == 2
    assert len(run(fx, "search", {"q": "referrals"}, levels=("overview",))) == 1


def test_cases_list(fx):
    df = run(fx, "cases_list")
    assert df.reference.tolist() == ["DHR 2021/01", "Case 16", "Case 3"]
    a = df.set_index("reference").loc["Case 16"]
    assert (a.versions, a.recommendations, a.actions, a.actions_complete, a.overdue, a.oldest_overdue_days) == (
        2, 3, 4, 1, 2, 410)
    assert a.version_date == pd.Timestamp(2023, 2, 15)
    assert df.set_index("reference").loc["Case 3", "is_demo"]
    assert run(fx, "cases_list", year_to=2020).reference.tolist() == ["Case 16"]


def test_case_plan_shows_the_version_in_force(fx):
    con, ids = fx
    df = run(fx, "case_plan", {"case_id": ids["case_a"]})
    assert list(zip(df.recommendation_number, df.action_seq)) == [("1", 1), ("1", 2), ("2", 1), ("3", 1)]
    assert set(df.plan_version_id) == {ids["a2"]}
    assert df.agencies.tolist()[3] == "H&W H&C Trust (unknown); West Mercia Police"
    assert df.has_unknown_agency.tolist() == [False, False, False, True]
    assert df.themes.iloc[1].tolist() == ["mental_health", "training"] and df.themes.iloc[0].tolist() == ["training"]
    assert df.is_overdue.tolist() == [False, False, True, True]
    assert "named_lead" not in df.columns
    jan = run(fx, "case_plan", {"case_id": ids["case_a"]}, as_of=dt.date(2023, 1, 31))
    assert jan.recommendation_number.tolist() == ["1", "2", "4"]


def test_case_plan_keeps_a_recommendation_without_actions():
    con = make_db()
    pv = add_plan_version(con, add_case(con, "Case 9"), "2023-01-01")
    add_recommendation(con, pv, "2", "Has an action")
    add_action(con, con.execute("SELECT max(recommendation_id) FROM recommendation").fetchone()[0], "Do it")
    add_recommendation(con, pv, "10", "No actions yet")
    df = query(con, "case_plan", case_id=1, as_of=MARCH)
    assert df.recommendation_number.tolist() == ["2", "10"]  # numeric order by sort key
    assert pd.isna(df.action_id.iloc[1])


def test_case_versions(fx):
    con, ids = fx
    df = run(fx, "case_versions", {"case_id": ids["case_a"]})
    assert df.plan_version_id.tolist() == [ids["a2"], ids["a1"]]
    assert df.in_force.tolist() == [True, False] and df.actions.tolist() == [4, 3]
    assert df.warnings.tolist() == [1, 0]
    jan = run(fx, "case_versions", {"case_id": ids["case_a"]}, as_of=dt.date(2023, 1, 31))
    assert jan.in_force.tolist() == [False, True]


def test_import_history_and_warnings(fx):
    con, _ = fx
    df = query(con, "import_history")
    assert df.outcome.tolist() == ["duplicate", "imported", "imported"]
    assert pd.isna(df.reference.iloc[0]) and df.reference.iloc[1] == "Case 16"
    df = run(fx, "warnings_list")
    assert df.reference.tolist() == ["Case 16", "Case 3"]
    assert df.src_location.iloc[0] == "page 2"
    assert run(fx, "warnings_list", partnerships=("North CSP",)).empty


def test_data_quality_lists(fx):
    df = run(fx, "unknown_agencies")
    assert df[["agency_raw", "mentions", "as_lead", "as_owner", "cases", "case_references"]].values.tolist() == [
        ["H&W H&C Trust", 1, 1, 0, 1, "Case 16"]]
    df = run(fx, "unparsed_statuses")
    assert df[["status_raw", "actions", "case_references"]].values.tolist() == [["see notes", 1, "Case 3"]]
    df = run(fx, "unplaced_text")
    assert df[["reference", "recommendation_number", "unplaced_text"]].values.tolist() == [
        ["Case 3", "2", "Page 3 footer: see appendix B"]]
    assert run(fx, "unknown_agencies", partnerships=("North CSP",)).empty


def test_possible_duplicate_cases():
    con = make_db()
    first = add_case(con, "Case No. 16", "South CSP")
    second = add_case(con, "case 16", "South CSP")
    add_case(con, "Case 16", "North CSP")  # same reference, another partnership: a different review
    texts = ["Train all staff", "Review the MARAC referral pathway"]
    pairs = []
    for ref, csp in (("DHR 2021/03", "East CSP"), ("East 3", "East CSP")):
        case = add_case(con, ref, csp)
        pv = add_plan_version(con, case, "2023-01-01")
        for n, text in enumerate(texts, start=1):
            add_recommendation(con, pv, str(n), text)
        pairs.append(case)
    df = query(con, "possible_duplicate_cases")
    got = sorted(zip(df.case_id_a, df.case_id_b, df.reason))
    assert got == [(first, second, "same partnership and reference"),
                   (pairs[0], pairs[1], "identical recommendation texts")]
