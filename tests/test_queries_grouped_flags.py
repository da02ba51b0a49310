"""Figures by agency, agency type and theme count each recommendation from flags stored with the facts
(first_of_agency, complete_for_theme, ...). A filter on another axis can leave only some of a
recommendation's actions in a group; then the flags are worked out again from the selected actions.
Both ways must give the figures the definition gives: "a recommendation counts in a group when it has
selected actions there; it is complete when all of those actions are complete"."""
import datetime as dt

import pytest

from dhrlearn.filters import Filters
from dhrlearn.store.db import query
from fixture_db import add_action, add_case, add_plan_version, add_recommendation, add_theme, make_db

AS_OF = dt.date(2024, 6, 1)
POLICE, COUNCIL = "West Mercia Police", "Worcestershire County Council"


@pytest.fixture(scope="module")
def con():
    """One recommendation, three actions:
    a1 Police, training, complete;  a2 Police, housing, not complete;  a3 Council, training, complete."""
    con = make_db()
    pv = add_plan_version(con, add_case(con, "DHR 1"), as_of_date="2024-01-31")
    rec = add_recommendation(con, pv, "1", "Agencies should act")
    a1 = add_action(con, rec, "Train officers", status="complete", leads=[POLICE])
    a2 = add_action(con, rec, "Refer to housing", status="in_progress", target_date="2024-03-31", leads=[POLICE])
    a3 = add_action(con, rec, "Brief council staff", status="complete", leads=[COUNCIL])
    add_theme(con, rec, "training", action_id=a1)
    add_theme(con, rec, "housing", action_id=a2)
    add_theme(con, rec, "training", action_id=a3)
    yield con
    con.close()


def rows(con, name, key, **filters):
    df = query(con, name, **Filters(as_of=AS_OF, **filters).params())
    return {getattr(r, key): (r.actions, r.actions_complete, r.recommendations, r.recommendations_complete, r.overdue)
            for r in df.itertuples()}


def test_by_agency_without_a_cross_filter_uses_the_stored_flags(con):
    assert rows(con, "completion_by_agency", "agency") == {
        POLICE: (2, 1, 1, 0, 1),    # a2 is open, so the recommendation is not complete for the police
        COUNCIL: (1, 1, 1, 1, 0),
    }


def test_by_agency_with_a_theme_filter_counts_only_the_selected_actions(con):
    # Training leaves a1 alone for the police: complete now.
    assert rows(con, "completion_by_agency", "agency", themes=("training",)) == {
        POLICE: (1, 1, 1, 1, 0),
        COUNCIL: (1, 1, 1, 1, 0),
    }


def test_by_agency_type_with_and_without_filters(con):
    assert rows(con, "completion_by_agency_type", "agency_type") == {
        "Police": (2, 1, 1, 0, 1),
        "Local authority / CSP": (1, 1, 1, 1, 0),
    }
    assert rows(con, "completion_by_agency_type", "agency_type", themes=("training",))["Police"] == (1, 1, 1, 1, 0)
    assert rows(con, "completion_by_agency_type", "agency_type", agencies=(COUNCIL,)) == {
        "Local authority / CSP": (1, 1, 1, 1, 0),
    }


def test_by_theme_with_and_without_an_agency_filter(con):
    assert rows(con, "completion_by_theme", "theme") == {
        "training": (2, 2, 1, 1, 0),
        "housing": (1, 0, 1, 0, 1),
    }
    # The council's actions only: training is a3 alone; housing has no council action.
    assert rows(con, "completion_by_theme", "theme", agencies=(COUNCIL,)) == {"training": (1, 1, 1, 1, 0)}
    assert rows(con, "completion_by_theme", "theme", agency_types=("Police",)) == {
        "training": (1, 1, 1, 1, 0),
        "housing": (1, 0, 1, 0, 1),
    }


def test_a_filter_that_keeps_every_action_gives_the_flagged_figures(con):
    every_theme = ("training", "housing")
    assert rows(con, "completion_by_agency", "agency", themes=every_theme) == rows(con, "completion_by_agency", "agency")
    assert (rows(con, "completion_by_theme", "theme", agencies=(POLICE, COUNCIL))
            == rows(con, "completion_by_theme", "theme"))


def test_an_action_led_by_two_agencies_of_one_type_counts_once_for_that_type():
    con = make_db()
    pv = add_plan_version(con, add_case(con, "DHR 2"), as_of_date="2024-01-31")
    rec = add_recommendation(con, pv, "1", "Forces should share intelligence")
    btp = ("BTP", "British Transport Police", "Police")
    add_action(con, rec, "Joint briefing", status="in_progress", target_date="2024-02-29", leads=[POLICE, btp])
    add_action(con, rec, "Audit", status="complete", leads=[btp])
    by_type = rows(con, "completion_by_agency_type", "agency_type")
    assert by_type == {"Police": (2, 1, 1, 0, 1)}
    overdue = query(con, "overdue_by_agency_type", **Filters(as_of=AS_OF).params())
    assert overdue.set_index("agency_type")["overdue"].to_dict() == {"Police": 1}
    by_agency = rows(con, "completion_by_agency", "agency")
    assert by_agency == {POLICE: (1, 0, 1, 0, 1), "British Transport Police": (2, 1, 1, 0, 1)}
