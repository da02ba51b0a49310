"""training_uptake under every kind of filter gives what the selection macros give directly: its
training actions and evidence are now read from the fact tables with the cases in force worked out
once, and the selected recommendations only when an action filter is set."""
import datetime as dt

import pytest

from dhrlearn.filters import Filters
from dhrlearn.store.db import query
from fixture_db import standard_fixture

MARCH = dt.date(2023, 3, 1)

# training_uptake as written on the selection macros, filter by filter.
DIRECT = """
WITH training AS (
    SELECT * FROM selected_action_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, ['training'])
),
sel_recs AS (
    SELECT DISTINCT recommendation_id FROM selected_action_facts($as_of, $partnerships, $year_from, $year_to, $agencies, $agency_types, $levels, $themes)
),
evidence AS (
    SELECT u.* FROM uptake_evidence u JOIN plan_in_force($as_of) p ON p.plan_version_id = u.plan_version_id
    WHERE u.recommendation_id IN (SELECT recommendation_id FROM sel_recs)
)
SELECT (SELECT count(*) FROM training) AS training_actions,
       (SELECT count(*) FILTER (WHERE is_complete) FROM training) AS training_actions_complete,
       (SELECT count(*) FILTER (WHERE is_overdue) FROM training) AS training_actions_overdue,
       (SELECT count(DISTINCT case_id) FROM training) AS cases_with_training_actions,
       (SELECT count(*) FILTER (WHERE polarity = 'negative') FROM evidence) AS evidence_negative,
       (SELECT count(*) FILTER (WHERE polarity = 'positive') FROM evidence) AS evidence_positive,
       (SELECT count(*) FILTER (WHERE polarity = 'planned') FROM evidence) AS evidence_planned,
       (SELECT count(DISTINCT case_id) FILTER (WHERE polarity = 'negative') FROM evidence) AS cases_with_negative_evidence
"""
COLUMNS = ["training_actions", "training_actions_complete", "training_actions_overdue", "cases_with_training_actions",
           "evidence_negative", "evidence_positive", "evidence_planned", "cases_with_negative_evidence"]


@pytest.fixture(scope="module")
def con():
    con, _ = standard_fixture()
    yield con
    con.close()


@pytest.mark.parametrize("filters", [
    {}, {"partnerships": ("South CSP",)}, {"year_from": 2021}, {"levels": ("overview",)},
    {"levels": ("single_agency",)}, {"themes": ("training",)}, {"themes": ("mental_health",)},
    {"agencies": ("Probation Service",)}, {"agency_types": ("Police",)},
    {"as_of": dt.date(2022, 12, 31)},
])
def test_training_uptake_matches_the_selection_macros(con, filters):
    params = Filters(**{"as_of": MARCH, **filters}).params()
    got = query(con, "training_uptake", **params).iloc[0][COLUMNS].tolist()
    direct = con.execute(DIRECT, {k: v for k, v in params.items() if f"${k}" in DIRECT}).fetchone()
    assert got == list(direct)


def test_filters_change_the_evidence_counted(con):
    everything = query(con, "training_uptake", **Filters(as_of=MARCH).params()).iloc[0]
    overview = query(con, "training_uptake", **Filters(as_of=MARCH, levels=("single_agency",)).params()).iloc[0]
    assert everything.evidence_negative + everything.evidence_positive + everything.evidence_planned > 0
    assert (overview.evidence_negative, overview.evidence_positive, overview.evidence_planned) != (
        everything.evidence_negative, everything.evidence_positive, everything.evidence_planned)
