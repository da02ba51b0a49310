"""Recurring groups read stored summaries of recurring_member (migration 005): they are rebuilt with
the groups, and the query gives what a direct computation from the base tables gives, also when the
summaries are behind (a case's year filled in, a newer plan version) until the next regroup."""
import datetime as dt

import pandas as pd
import pytest

from dhrlearn.filters import Filters
from dhrlearn.store.db import query
from dhrlearn.themes import regroup_recurring, retag_all
from fixture_db import add_action, add_case, add_plan_version, add_recommendation, make_db

AS_OF = dt.date(2024, 6, 30)
SHARED = "Deliver multi-agency training on coercive control to all frontline staff"
OTHER = "Review the referral pathway from GP surgeries to specialist domestic abuse services"

# The recurring_groups query as it was before the summaries: every figure from the base tables.
DIRECT = """
WITH members AS (
    SELECT m.group_id, m.recommendation_id, m.similarity, c.case_id, c.reference, c.partnership, c.year, r.text
    FROM recurring_member m
    JOIN cases_in_force($as_of, $partnerships, $year_from, $year_to) c ON c.case_id = m.case_id
    JOIN recommendation r ON r.recommendation_id = m.recommendation_id AND r.plan_version_id = c.plan_version_id
),
rec_done AS (
    SELECT recommendation_id, bool_and(status = 'complete') AS complete FROM action
    WHERE recommendation_id IN (SELECT recommendation_id FROM members) GROUP BY recommendation_id
)
SELECT m.group_id, count(DISTINCT m.case_id) AS cases, count(*) AS recommendations,
       count(DISTINCT m.partnership) AS partnerships, min(m.year) AS first_year, max(m.year) AS last_year,
       list_sort(list_distinct(list(m.year))) AS years,
       arg_max(m.text, (m.similarity, -m.recommendation_id)) AS representative_text,
       count(*) FILTER (WHERE d.complete) AS recommendations_complete,
       round(100.0 * count(*) FILTER (WHERE d.complete) / count(*), 1) AS pct_recommendations_complete
FROM members m LEFT JOIN rec_done d USING (recommendation_id)
GROUP BY m.group_id HAVING count(DISTINCT m.case_id) >= 2
ORDER BY cases DESC, last_year DESC NULLS LAST, group_id
"""

FILTER_SETS = [
    {},
    {"year_from": 2019, "year_to": 2021},
    {"year_from": 2022},
    {"partnerships": ("North CSP", "East CSP")},
]


@pytest.fixture
def con():
    con = make_db()
    cases = [("DHR 1", "North CSP", 2019), ("DHR 2", "South CSP", 2020), ("Case 3", "East CSP", 2021),
             ("Case 4", "North CSP", 2022), ("Review 5", "West CSP", None)]
    for n, (ref, csp, year) in enumerate(cases):
        pv = add_plan_version(con, add_case(con, ref, csp, year=year), "2023-01-01")
        rec = add_recommendation(con, pv, "1", SHARED + ("." if n % 2 else ""))
        add_action(con, rec, "Run the course", status="complete" if n < 3 else "in_progress")
        add_action(con, rec, "Audit attendance", status="complete")
        if n < 3:
            rec = add_recommendation(con, pv, "2", OTHER)
            add_action(con, rec, "Agree the pathway", status="complete")
    regroup_recurring(con)
    yield con
    con.close()


def both(con, **filters):
    params = Filters(as_of=AS_OF, **filters).params()
    got = query(con, "recurring_groups", **params)
    direct = con.execute(DIRECT, {k: params[k] for k in ("as_of", "partnerships", "year_from", "year_to")}).df()
    return got, direct


def members_of(con, group_id, **filters) -> pd.DataFrame:
    return query(con, "recurring_members", group_id=int(group_id), **Filters(as_of=AS_OF, **filters).params())


def assert_same(got: pd.DataFrame, direct: pd.DataFrame) -> None:
    assert len(direct) > 0
    assert got.to_csv(index=False) == direct.to_csv(index=False)


@pytest.mark.parametrize("filters", FILTER_SETS)
def test_groups_match_the_direct_computation(con, filters):
    got, direct = both(con, **filters)
    if filters.get("year_from") == 2022:  # one case a year from 2022: no recurrence
        assert got.empty and direct.empty
    else:
        assert_same(got, direct)


def test_summaries_are_rebuilt_with_the_groups(con):
    groups = con.execute("SELECT count(DISTINCT group_id) FROM recurring_member").fetchone()[0]
    assert groups == 2
    con.execute("DELETE FROM recurring_case_fact")
    assert both(con)[0].empty  # the groups are read from the summaries alone
    retag_all(con)
    assert con.execute("SELECT count(DISTINCT group_id) FROM recurring_case_fact").fetchone()[0] == groups
    assert_same(*both(con))


def test_a_year_filled_in_after_grouping_is_shown(con):
    con.execute("UPDATE dhr_case SET year = 2020 WHERE reference = 'Review 5'")
    got, direct = both(con, year_from=2019, year_to=2021)
    assert_same(got, direct)
    assert got.years.iloc[0].tolist() == [2019, 2020, 2021]
    members = members_of(con, got.group_id.iloc[0], year_from=2019, year_to=2021)
    assert ("Review 5", 2020) in set(zip(members.reference, members.year))


def test_a_newer_plan_version_drops_its_members_until_regrouped(con):
    case = con.execute("SELECT case_id FROM dhr_case WHERE reference = 'DHR 2'").fetchone()[0]
    pv = add_plan_version(con, case, "2024-01-01")
    add_action(con, add_recommendation(con, pv, "1", "Something else entirely"), "Do it")
    got, direct = both(con)
    assert_same(got, direct)
    assert "DHR 2" not in members_of(con, got.group_id.iloc[0]).reference.tolist()
    regroup_recurring(con)
    assert_same(*both(con))


# recurring_members as it was before recurring_member_fact: from recommendation and action.
DIRECT_MEMBERS = """
WITH members AS (
    SELECT m.group_id, m.recommendation_id, m.similarity, c.case_id, c.reference, c.partnership, c.year,
           r.number AS recommendation_number, r.sort_key AS recommendation_sort_key, r.text, r.level,
           r.src_file, r.src_location, r.src_rows
    FROM recurring_member m
    JOIN cases_in_force($as_of, $partnerships, $year_from, $year_to) c ON c.case_id = m.case_id
    JOIN recommendation r ON r.recommendation_id = m.recommendation_id AND r.plan_version_id = c.plan_version_id
    WHERE m.group_id = $group_id
),
rec_done AS (
    SELECT recommendation_id, count(*) AS actions, count(*) FILTER (WHERE status = 'complete') AS actions_complete
    FROM action WHERE recommendation_id IN (SELECT recommendation_id FROM members) GROUP BY recommendation_id
)
SELECT m.*, coalesce(d.actions, 0) AS actions, coalesce(d.actions_complete, 0) AS actions_complete,
       coalesce(d.actions > 0 AND d.actions = d.actions_complete, false) AS complete
FROM members m LEFT JOIN rec_done d USING (recommendation_id)
ORDER BY year NULLS LAST, partnership, reference, recommendation_sort_key
"""


@pytest.mark.parametrize("filters", FILTER_SETS)
def test_members_match_the_direct_computation(con, filters):
    params = Filters(as_of=AS_OF, **filters).params()
    bound = {k: params[k] for k in ("as_of", "partnerships", "year_from", "year_to")}
    for (group_id,) in con.execute("SELECT DISTINCT group_id FROM recurring_member").fetchall():
        got = query(con, "recurring_members", group_id=group_id, **params)
        direct = con.execute(DIRECT_MEMBERS, {**bound, "group_id": group_id}).df()
        assert got.to_csv(index=False) == direct.to_csv(index=False)
    assert not query(con, "recurring_members", group_id=1, **params).empty


def test_member_rows_follow_a_regroup(con):
    con.execute("DELETE FROM recurring_member_fact")
    regroup_recurring(con)
    members = con.execute("SELECT count(*) FROM recurring_member").fetchone()[0]
    assert con.execute("SELECT count(*) FROM recurring_member_fact").fetchone()[0] == members > 0
