"""Completion, status and overdue queries on the hand-worked standard fixture (see fixture_db)."""
import datetime as dt

import pandas as pd
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


def run(fx, name, **filters):
    con, _ = fx
    return query(con, name, **Filters(**{"as_of": MARCH, **filters}).params(), limit=None)


def one(fx, name, **filters):
    df = run(fx, name, **filters)
    assert len(df) == 1
    return df.iloc[0]


def test_kpis_in_march_use_the_newer_version_of_case_a_and_skip_case_d(fx):
    k = one(fx, "kpis")
    # A2 (4 actions, 3 recs) + B1 (4, 2) + C1 (2, 2); D not yet in force.
    assert (k.cases, k.recommendations, k.actions) == (3, 7, 10)
    assert k.actions_complete == 3 and k.pct_actions_complete == 30.0
    assert k.recommendations_complete == 1 and k.pct_recommendations_complete == 14.3  # C r2 only
    # Overdue: A2 r2 (Jan 2023, 29 days), A2 r3 (410 days), C r1 (91 days); closed_other and future ones not.
    assert k.overdue == 3 and k.oldest_overdue_days == 410
    assert k.no_target_date == 1
    assert k.demo_cases == 1 and k.pct_demo_cases == 33.3


def test_kpis_at_end_of_january_use_the_older_version_and_month_end_target(fx):
    k = one(fx, "kpis", as_of=dt.date(2023, 1, 31))
    assert (k.cases, k.recommendations, k.actions) == (3, 7, 9)
    # A1 r1 (31 days) and C r1 (62 days); A1 r2 "Jan 2023" is due today, not overdue.
    assert k.overdue == 2 and k.oldest_overdue_days == 62
    k = one(fx, "kpis", as_of=dt.date(2023, 2, 1))
    assert k.overdue == 3  # the month-only target is overdue from 1 February


def test_kpis_before_any_plan_is_empty_not_an_error(fx):
    k = one(fx, "kpis", as_of=dt.date(2020, 1, 1))
    assert k.cases == 0 and k.actions == 0 and k.overdue == 0
    assert pd.isna(k.pct_actions_complete) and pd.isna(k.oldest_overdue_days)


@pytest.mark.parametrize("filters, expected", [
    ({"partnerships": ("North CSP",)}, (1, 4, 1, 0, 1)),
    ({"year_from": 2021}, (2, 6, 2, 1, 1)),
    ({"year_to": 2020}, (1, 4, 1, 2, 0)),
    ({"levels": ("single_agency",)}, (2, 4, 1, 3, 0)),
    ({"agencies": ("West Mercia Police",)}, (2, 2, 0, 1, 0)),
    ({"agency_types": ("Probation",)}, (1, 3, 1, 0, 1)),
    ({"themes": ("training",)}, (2, 4, 2, 0, 1)),
    ({"themes": ("mental_health", "toxic_trio")}, (3, 3, 0, 1, 0)),
])
def test_filters_narrow_the_kpis(fx, filters, expected):
    k = one(fx, "kpis", **filters)
    assert (k.cases, k.actions, k.actions_complete, k.overdue, k.no_target_date) == expected


def test_completion_by_agency_counts_a_two_agency_action_once_for_each(fx):
    df = run(fx, "completion_by_agency").set_index("agency")
    assert df.actions.to_dict() == {
        "Probation Service": 3, "South Worcestershire CSP": 2, "West Mercia Police": 2, "(no agency named)": 1,
        "Cranstoun Worcestershire": 1, "H&W H&C Trust": 1, "Women's Aid": 1,
    }
    assert df.actions.sum() == 11  # 10 actions, one of them named two agencies
    assert not df.loc["H&W H&C Trust", "agency_known"] and df.loc["Probation Service", "agency_known"]
    assert df.loc["Probation Service", "agency_type"] == "Probation"
    # Probation: B r1 a1, a2 (owner) and B r2 a2 (falls back to the owner; a1 has its own lead).
    assert df.loc["Probation Service", ["actions_complete", "recommendations", "recommendations_complete"]].tolist() == [1, 2, 0]
    assert df.loc["(no agency named)", "recommendations_complete"] == 1
    assert df.overdue.to_dict()["West Mercia Police"] == 1 and df.overdue.sum() == 4


def test_completion_by_agency_with_an_agency_filter_shows_only_that_agency(fx):
    df = run(fx, "completion_by_agency", agencies=("West Mercia Police",))
    assert df.agency.tolist() == ["West Mercia Police"] and df.actions.tolist() == [2]


def test_completion_by_partnership_year_level_case(fx):
    df = run(fx, "completion_by_partnership").set_index("partnership")
    assert df.actions.to_dict() == {"North CSP": 4, "South CSP": 6}
    assert df.actions_complete.to_dict() == {"North CSP": 1, "South CSP": 2}
    assert df.pct_recommendations_complete.to_dict() == {"North CSP": 0.0, "South CSP": 20.0}
    df = run(fx, "completion_by_year").set_index("year")
    assert df.actions.to_dict() == {2020: 4, 2021: 6}
    df = run(fx, "completion_by_level").set_index("level")
    assert df.actions.to_dict() == {"overview": 6, "single_agency": 4}
    assert df.overdue.to_dict() == {"overview": 0, "single_agency": 3}
    df = run(fx, "completion_by_case").set_index("reference")
    assert df.loc["Case 16", ["actions", "actions_complete", "overdue", "oldest_overdue_days"]].tolist() == [4, 1, 2, 410]
    assert df.loc["Case 3", "pct_actions_complete"] == 50.0


def test_completion_by_agency_type_and_theme(fx):
    df = run(fx, "completion_by_agency_type").set_index("agency_type")
    # Unknown: the unknown trust (A2 r3 a1) and the agency-less C r2 a1.
    assert df.actions.to_dict() == {"Probation": 3, "Local authority / CSP": 2, "Police": 2, "Unknown": 2,
                                    "Substance misuse services": 1, "Domestic abuse services": 1}
    df = run(fx, "completion_by_theme").set_index("theme")
    assert df.actions.to_dict() == {"training": 4, "(no topic theme)": 3, "mental_health": 2,
                                    "substance_misuse": 1, "toxic_trio": 1}
    assert df.loc["training", ["actions_complete", "recommendations", "recommendations_complete"]].tolist() == [2, 2, 0]
    assert run(fx, "completion_by_theme", themes=("training",)).theme.tolist() == ["training"]


def test_status_counts_lists_every_status_in_order(fx):
    df = run(fx, "status_counts")
    assert df.status.tolist() == ["complete", "in_progress", "not_started", "off_track", "closed_other", "unknown"]
    assert df.actions.tolist() == [3, 3, 1, 1, 1, 1]
    assert df.pct_actions.tolist() == [30.0, 30.0, 10.0, 10.0, 10.0, 10.0]


def test_overdue_actions_list_oldest_first_with_buckets_and_agencies(fx):
    df = run(fx, "overdue_actions")
    assert df.days_overdue.tolist() == [410, 91, 29]
    assert df.ageing_bucket.tolist() == ["over a year", "91-180 days", "0-90 days"]
    assert df.agencies.tolist() == ["H&W H&C Trust (unknown); West Mercia Police", "Women's Aid",
                                    "Cranstoun Worcestershire"]
    assert df.has_unknown_agency.tolist() == [True, False, False]
    jan = df.iloc[2]
    assert (jan.reference, jan.recommendation_number, jan.target_date_raw, jan.status_raw) == (
        "Case 16", "2", "Jan 2023", "Incomplete - to be updated")
    assert jan.target_date == pd.Timestamp(2023, 1, 31)


def test_overdue_by_agency_and_type(fx):
    df = run(fx, "overdue_by_agency").set_index("agency")
    assert df.overdue.to_dict() == {"West Mercia Police": 1, "H&W H&C Trust": 1, "Women's Aid": 1,
                                    "Cranstoun Worcestershire": 1}
    assert df.loc["West Mercia Police", ["days_0_90", "days_91_180", "days_181_365", "over_a_year"]].tolist() == [0, 0, 0, 1]
    assert df.loc["Women's Aid", "days_91_180"] == 1 and df.loc["Cranstoun Worcestershire", "oldest_days"] == 29
    df = run(fx, "overdue_by_agency_type").set_index("agency_type")
    assert df.overdue.to_dict() == {"Police": 1, "Unknown": 1, "Domestic abuse services": 1,
                                    "Substance misuse services": 1}
    later = run(fx, "overdue_by_agency", as_of=dt.date(2023, 12, 1)).set_index("agency")
    # By December 2023 Case D is in force but complete; A2 r1 a2 (June) and B r2 a1 (March) are overdue too.
    assert later.overdue.to_dict()["West Mercia Police"] == 2
    assert later.overdue.to_dict()["South Worcestershire CSP"] == 1


def test_no_target_date_lists_data_quality_rows(fx):
    df = run(fx, "no_target_date")
    assert df.action_text.tolist() == ["Refresher sessions"]
    assert df.target_date_raw.tolist() == ["ongoing"] and df.agencies.tolist() == ["Probation Service"]
