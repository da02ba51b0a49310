"""Since the last meeting (progress_between): every kind of change, hand-worked, on cases whose plan
changed between the dates and cases whose plan did not; the per-kind $limit and totals; the same
answer as pairing every plan in force; the report's period sentence."""
import datetime as dt
import random

import pandas as pd
import pytest

from dhrlearn.export import report
from dhrlearn.export.report import ReportOptions
from dhrlearn.filters import Filters
from dhrlearn.store import db, facts
from dhrlearn.store.db import query
from dhrlearn.store.facts import refresh_facts, refresh_lineage
from fixture_db import add_action, add_case, add_plan_version, add_recommendation, make_db

FROM, TO = dt.date(2023, 2, 1), dt.date(2023, 4, 1)


@pytest.fixture(scope="module")
def fx():
    con = make_db()
    ids = {}
    # Case X (North CSP): plan X1 of 1 January replaced by X2 of 1 March, between the dates.
    x = add_case(con, "Case X", partnership="North CSP", year=2021)
    x1 = add_plan_version(con, x, "2023-01-01")
    r1 = add_recommendation(con, x1, "1", "Training", level="overview", owners=["West Mercia Police"])
    add_action(con, r1, "Train staff", status="in_progress", target_date="2023-06-30")
    add_action(con, r1, "Audit files", status="complete", target_date="2022-12-31")
    add_action(con, r1, "Steady work", status="in_progress", target_date="2024-12-31")
    r2 = add_recommendation(con, x1, "2", "Referrals", level="single_agency", owners=["Probation Service"])
    add_action(con, r2, "Pathway", status="in_progress", target_date="2023-12-31")
    add_action(con, r2, "Policy", status="not_started", target_date="2023-06-30")
    add_action(con, r2, "Review", status="in_progress", target_date="2023-02-15")
    r3 = add_recommendation(con, x1, "3", "Newsletter", level="overview")
    ids["x1_removed"] = add_action(con, r3, "Write newsletter", status="in_progress")
    x2 = add_plan_version(con, x, "2023-03-01")
    r1 = add_recommendation(con, x2, "1", "Training", level="overview", owners=["West Mercia Police"])
    add_action(con, r1, "Train staff", status="complete", target_date="2023-06-30")           # completed
    add_action(con, r1, "Audit files", status="in_progress", target_date="2022-12-31")        # reopened
    add_action(con, r1, "Steady work", status="in_progress", target_date="2024-12-31")        # unchanged
    r2 = add_recommendation(con, x2, "2", "Referrals", level="single_agency", owners=["Probation Service"])
    add_action(con, r2, "Pathway", status="off_track", target_date="2023-12-31")              # now off track
    add_action(con, r2, "Policy", status="not_started", target_date="2023-09-30")             # moved later
    add_action(con, r2, "Review", status="in_progress", target_date="2023-02-15")             # passed
    r4 = add_recommendation(con, x2, "4", "Escalation", level="overview")
    add_action(con, r4, "Escalation policy", status="not_started", target_date="2023-12-31")  # new
    # Case Y (North CSP): one plan since June 2022, the same at both dates.
    y = add_case(con, "Case Y", partnership="North CSP", year=2019)
    y1 = add_plan_version(con, y, "2022-06-01")
    r = add_recommendation(con, y1, "1", "Risk", level="single_agency", owners=["Women's Aid"])
    add_action(con, r, "Passed in between", status="in_progress", target_date="2023-03-15")   # slipped
    add_action(con, r, "Done in time", status="complete", target_date="2023-03-15")
    add_action(con, r, "Closed", status="closed_other", target_date="2023-03-15")
    add_action(con, r, "Due on the 'to' date", status="in_progress", target_date="2023-04-01")
    add_action(con, r, "Due on the 'from' date", status="not_started", target_date="2023-02-01")  # slipped
    add_action(con, r, "No target", status="in_progress")
    add_action(con, r, "Long off track", status="off_track", target_date="2022-12-31")
    # Case Z (South CSP): its first plan arrived between the dates, so all of it is new.
    z = add_case(con, "Case Z", partnership="South CSP", year=2022)
    z1 = add_plan_version(con, z, "2023-03-10")
    r = add_recommendation(con, z1, "1", "Housing", level="overview")
    add_action(con, r, "Refer to housing", status="not_started", target_date="2023-08-31")
    add_action(con, r, "Joint visit", status="complete")
    # Case W: its plan arrived after the 'to' date.
    w = add_case(con, "Case W", partnership="South CSP", year=2022)
    r = add_recommendation(con, add_plan_version(con, w, "2023-05-01"), "1", "Later", level="overview")
    add_action(con, r, "Not yet", status="in_progress", target_date="2023-03-01")
    ids.update(x1=x1, x2=x2)
    yield con, ids
    con.close()


def run(con, name="progress_between", limit=None, date_from=FROM, date_to=TO, **filters):
    params = Filters(as_of=date_to, **filters).params()
    return query(con, name, **params, date_from=date_from, date_to=date_to, limit=limit)


def rows(df):
    return [(r.change, r.reference, r.recommendation_number, r.action_seq,
             None if pd.isna(r.slip_reasons) else r.slip_reasons) for r in df.itertuples()]


EVERY_CHANGE = [
    ("completed", "Case X", "1", 1, None),
    ("slipped", "Case X", "2", 1, "now off track"),
    ("slipped", "Case X", "2", 2, "target moved later"),
    ("slipped", "Case X", "2", 3, "target date passed"),
    ("slipped", "Case Y", "1", 1, "target date passed"),
    ("slipped", "Case Y", "1", 5, "target date passed"),
    ("new", "Case X", "4", 1, None),
    ("new", "Case Z", "1", 1, None),
    ("new", "Case Z", "1", 2, None),
    ("reopened", "Case X", "1", 2, None),
    ("removed", "Case X", "3", 1, None),
]


def test_every_kind_of_change_in_meeting_order(fx):
    con, ids = fx
    df = run(con)
    assert rows(df) == EVERY_CHANGE
    assert df.change_total.tolist() == [1, 5, 5, 5, 5, 5, 3, 3, 3, 1, 1]
    removed = df[df.change == "removed"].iloc[0]
    assert (removed.before_action_id, removed.plan_version_id, removed.action_text) == \
        (ids["x1_removed"], ids["x1"], "Write newsletter")
    assert pd.isna(removed.after_action_id) and removed.before_status == "in_progress"
    passed = df[(df.reference == "Case Y") & (df.action_seq == 1)].iloc[0]
    # A plan that stayed the same: before and after are the same action.
    assert passed.before_action_id == passed.after_action_id
    assert (passed.before_status, passed.after_status) == ("in_progress", "in_progress")
    assert passed.before_target_date == passed.after_target_date == pd.Timestamp(2023, 3, 15)
    moved = df[df.slip_reasons == "target moved later"].iloc[0]
    assert (moved.before_target_date, moved.after_target_date) == (pd.Timestamp(2023, 6, 30), pd.Timestamp(2023, 9, 30))
    new = df[(df.change == "new") & (df.reference == "Case Z")].iloc[0]
    assert pd.isna(new.before_status) and pd.isna(new.before_action_id) and new.after_status == "not_started"


def arrived_out_of_order(con=None):
    """Three cases, the last to arrive sorting first; in each plan recommendation 2 was added before 1.
    Every action completes between the dates."""
    con = con or make_db()
    for reference, partnership in (("Case B", "North CSP"), ("Case C", "East CSP"), ("Case A", "North CSP")):
        case = add_case(con, reference, partnership=partnership)
        for date, status in (("2023-01-01", "in_progress"), ("2023-03-01", "complete")):
            plan = add_plan_version(con, case, date)
            second = add_recommendation(con, plan, "2", "Second")
            first = add_recommendation(con, plan, "1", "First")
            add_action(con, second, "Audit", status=status)
            add_action(con, first, "Train", status=status)
    return con


LISTED = [("East CSP", "Case C", "1"), ("East CSP", "Case C", "2"), ("North CSP", "Case A", "1"),
          ("North CSP", "Case A", "2"), ("North CSP", "Case B", "1"), ("North CSP", "Case B", "2")]


def listed(df):
    return list(zip(df.partnership, df.reference, df.recommendation_number))


def test_cases_are_listed_by_partnership_and_reference_in_whatever_order_they_arrived():
    """The list order is stored (dhr_case.list_order): a case arriving last that sorts first moves the others.
    Within a case, actions keep plan order whatever order they were added in."""
    con = arrived_out_of_order()
    df = run(con)
    assert listed(df) == LISTED
    assert set(df.change) == {"completed"}
    first_three = run(con, limit=3)
    assert listed(first_three) == LISTED[:3]
    assert first_three.change_total.tolist() == [6, 6, 6]


def test_each_kind_keeps_its_first_rows_and_counts_them_all(fx):
    con, _ = fx
    df = run(con, limit=2)
    assert rows(df) == [EVERY_CHANGE[i] for i in (0, 1, 2, 6, 7, 9, 10)]
    assert df.change_total.tolist() == [1, 5, 5, 3, 3, 1, 1]
    one = run(con, limit=1)
    assert one.change.tolist() == ["completed", "slipped", "new", "reopened", "removed"]
    assert one.change_total.tolist() == [1, 5, 3, 1, 1]


def test_filters_narrow_the_changes(fx):
    con, _ = fx
    assert [r[1:4] for r in rows(run(con, partnerships=("South CSP",)))] == [("Case Z", "1", 1), ("Case Z", "1", 2)]
    # Level: the removed action's recommendation (overview) decides for it.
    assert [r[0] for r in rows(run(con, levels=("single_agency",)))] == ["slipped"] * 5
    assert [r[:4] for r in rows(run(con, year_from=2019, year_to=2019))] == [
        ("slipped", "Case Y", "1", 1), ("slipped", "Case Y", "1", 5)]


def test_an_unchanged_plan_slips_only_by_dates_passing(fx):
    con, _ = fx
    # 1 February to 28 February: X1 still in force at both dates; 'Review' (15 February) and Y's
    # action due on 1 February passed; nothing completed, though X2 later says 'Train staff' did.
    df = run(con, date_to=dt.date(2023, 2, 28))
    assert rows(df) == [("slipped", "Case X", "2", 3, "target date passed"),
                        ("slipped", "Case Y", "1", 5, "target date passed")]
    assert run(con, date_from=dt.date(2023, 5, 2), date_to=dt.date(2023, 5, 3)).empty


def test_the_same_answer_as_pairing_every_plan_in_force(fx):
    """Only changed plans are paired action by action; pairing all of them gives the same rows."""
    con, _ = fx
    for date_from, date_to in ((FROM, TO), (dt.date(2022, 1, 1), dt.date(2023, 12, 31)), (TO, FROM)):
        everything = con.execute(
            "SELECT change, action_id, slip_reasons FROM action_changes("
            "(SELECT list(plan_version_id) FROM plan_in_force($f)), (SELECT list(plan_version_id) FROM plan_in_force($t)),"
            " $f, $t) WHERE change IS NOT NULL ORDER BY ALL", {"f": date_from, "t": date_to}).fetchall()
        df = run(con, date_from=date_from, date_to=date_to)
        got = sorted((c, int(a), None if pd.isna(s) else s) for c, a, s in
                     zip(df.change, df.after_action_id.fillna(df.before_action_id), df.slip_reasons))
        assert got == [(c, a, s) for c, a, s in everything], (date_from, date_to)
        assert len(got) > 0


def test_progress_between_versions_pairs_the_two_plans(fx):
    con, ids = fx
    df = query(con, "progress_between_versions", **Filters(as_of=TO).params(),
               from_version=ids["x1"], to_version=ids["x2"])
    # The versions' dates stand for the two moments: 1 January to 1 March; 'Review' (15 February) passed.
    assert rows(df) == [r for r in EVERY_CHANGE if r[1] == "Case X"]


def test_the_reports_period_sentence_counts_every_change(fx):
    con, _ = fx
    options = ReportOptions(date_from=FROM, date_to=TO)
    data = report.gather(con, options)
    sentence = next(s for s in report.executive_summary(con, data) if s.startswith("Between"))
    assert sentence == "Between 1 February 2023 and 1 April 2023, 1 action was completed, 5 slipped and 3 were added."


@pytest.fixture()
def unnumbered():
    """Case U: three recommendations without a number, and the number 7 written twice (numbering that
    restarts in each agency's table), in two versions; the plan order is the same in both."""
    con = make_db()
    u = add_case(con, "Case U", partnership="North CSP", year=2021)
    before, after = ("in_progress", "not_started", "complete", "in_progress", "in_progress"), \
                    ("complete", "complete", "complete", "complete", "in_progress")
    versions = []
    for date, statuses in (("2023-01-01", before), ("2023-03-01", after)):
        pv = add_plan_version(con, u, date)
        for (number, text), status in zip((("", "Train"), ("", "Policy"), ("", "Campaign"),
                                           ("7", "Police: audit"), ("7", "Council: audit")), statuses):
            add_action(con, add_recommendation(con, pv, number, text), f"{text} action", status=status)
        versions.append(pv)
    yield con, versions
    con.close()


def test_recommendations_sharing_a_number_pair_by_their_order(unnumbered):
    """Not every one with every other: that listed each completion once per recommendation of its key."""
    con, (u1, u2) = unnumbered
    expected = [("completed", "Train action", "in_progress"), ("completed", "Policy action", "not_started"),
                ("completed", "Police: audit action", "in_progress")]
    df = run(con)
    assert list(zip(df.change, df.action_text, df.before_status)) == expected
    assert df.change_total.tolist() == [3, 3, 3]
    versions = query(con, "progress_between_versions", **Filters(as_of=TO).params(), from_version=u1, to_version=u2)
    assert list(zip(versions.change, versions.action_text, versions.before_status)) == expected


def test_the_migration_gives_stored_facts_their_unique_keys(unnumbered):
    con, versions = unnumbered
    # As stored before migration 011 (and 013: no wording keys).
    con.execute("UPDATE action_fact SET recommendation_key = split_part(recommendation_key, '#', 1), action_key = NULL")
    migration = next(path for n, path in db.migrations() if path.name.endswith("unique_pairing_key.sql"))
    con.execute(migration.read_text())
    assert con.execute("SELECT list(recommendation_key ORDER BY action_id) FROM action_fact").fetchone()[0] == \
        ["#0001", "#0002", "#0003", "0007#0001", "0007#0002"] * 2
    con.execute("UPDATE action_fact SET lineage_id = NULL")
    refresh_lineage(con, versions)  # as migration 014 fills it in, from the keys stored
    assert len(run(con)) == 3


REWORKED = (  # (recommendation, [(wording, status) before], [(wording, status) after])
    ("1", [("Agree protocol", "in_progress"), ("Train staff", "in_progress"), ("Audit files", "not_started")],
     [("Agree protocol", "in_progress"), ("Brief managers", "not_started"), ("Train staff", "complete"),
      ("Audit files", "not_started")]),  # an action added mid-list
    ("2", [("Map services", "in_progress"), ("Run campaign", "in_progress"), ("Evaluate", "in_progress")],
     [("Map services", "in_progress"), ("Evaluate", "complete")]),  # one dropped mid-list
    ("3", [("Write the policy", "in_progress")], [("Write the DA policy", "complete")]),  # reworded
    ("4", [("Audit", "in_progress"), ("Audit", "in_progress")], [("Audit", "complete"), ("Audit", "in_progress")]),
    ("5", [("Deliver  training to GPs", "not_started"), ("Audit GP notes.", "in_progress")],
     [("Audit GP notes", "complete"), ("deliver training to GPs", "complete")]),  # re-spaced, reordered
)


def reworked_plan(con=None):
    """Case V in two versions whose actions were added, dropped, reworded or re-spaced between them."""
    con = con or make_db()
    v = add_case(con, "Case V", partnership="North CSP", year=2021)
    versions = []
    for date, side in (("2023-01-01", 1), ("2023-03-01", 2)):
        pv = add_plan_version(con, v, date)
        for number, *actions in REWORKED:
            r = add_recommendation(con, pv, number, f"Recommendation {number}")
            for wording, status in actions[side - 1]:
                add_action(con, r, wording, status=status)
        versions.append(pv)
    return con, versions


REWORKED_CHANGES = [  # what a reader of the two versions sees
    ("completed", "1", "Train staff", "in_progress"), ("completed", "2", "Evaluate", "in_progress"),
    ("completed", "3", "Write the DA policy", "in_progress"), ("completed", "4", "Audit", "in_progress"),
    ("completed", "5", "Audit GP notes", "in_progress"), ("completed", "5", "deliver training to GPs", "not_started"),
    ("new", "1", "Brief managers", None), ("removed", "2", "Run campaign", "in_progress")]


def changes(df):
    return [(r.change, r.recommendation_number, r.action_text, None if pd.isna(r.before_status) else r.before_status)
            for r in df.itertuples()]


def test_actions_pair_by_wording_so_one_added_or_dropped_mid_list_moves_no_other():
    """By place alone, the action added to recommendation 1 made 'Audit files' new and 'Train staff' compared
    with 'Brief managers'; the one dropped from 2 made 'Evaluate' removed."""
    con, (v1, v2) = reworked_plan()
    assert changes(run(con)) == REWORKED_CHANGES
    versions = query(con, "progress_between_versions", **Filters(as_of=TO).params(), from_version=v1, to_version=v2)
    assert changes(versions) == REWORKED_CHANGES


def migrate_only_before(migration: int, tmp_path, monkeypatch):
    """Stores connected from now on are made with the migrations before this one only, as an older release
    made them; returns the folder of every migration, to set back when the store is to be brought up to date."""
    older = tmp_path / "migrations"
    older.mkdir()
    for number, path in db.migrations():
        if number < migration:
            (older / path.name).write_text(path.read_text())
    current = db.MIGRATIONS_DIR
    monkeypatch.setattr(db, "MIGRATIONS_DIR", older)
    return current


def test_the_migration_gives_stored_facts_their_wording_keys(tmp_path, monkeypatch):
    """A store made before action keys: migrating it fills them in, and progress pairs by wording."""
    current = migrate_only_before(13, tmp_path, monkeypatch)
    monkeypatch.setattr(facts, "refresh_lineage", lambda con, versions: None)  # the code of the time had none
    monkeypatch.setattr(facts, "refresh_list_order", lambda con: None)
    con = db.connect(tmp_path / "old.duckdb")
    _, (v1, v2) = reworked_plan(con)
    assert "action_key" not in [r[0] for r in con.execute("DESCRIBE action_fact").fetchall()]
    # (Between versions: today's progress_between needs the list order of migration 015.)
    by_place = query(con, "progress_between_versions", **Filters(as_of=TO).params(), from_version=v1, to_version=v2)
    assert changes(by_place) != REWORKED_CHANGES
    con.close()
    monkeypatch.setattr(db, "MIGRATIONS_DIR", current)
    con = db.connect(tmp_path / "old.duckdb")
    assert con.execute("SELECT count(*) FROM action_fact WHERE action_key IS NULL").fetchone()[0] == 0
    assert changes(run(con)) == REWORKED_CHANGES
    con.close()


def test_the_migration_numbers_stored_cases_and_actions_in_list_order(tmp_path, monkeypatch):
    """A store made before migration 015: migrating it fills in every case's list_order and every action's
    plan_order as refreshing them would, and Since last meeting lists in that order."""
    current = migrate_only_before(15, tmp_path, monkeypatch)
    monkeypatch.setattr(facts, "refresh_list_order", lambda con: None)  # the code of the time had none
    con = db.connect(tmp_path / "old.duckdb")
    arrived_out_of_order(con)
    assert "plan_order" not in [r[0] for r in con.execute("DESCRIBE action_fact").fetchall()]
    con.close()
    monkeypatch.setattr(db, "MIGRATIONS_DIR", current)
    con = db.connect(tmp_path / "old.duckdb")
    every = "(SELECT list(plan_version_id) FROM plan_version)"
    assert con.execute("SELECT list(list_order ORDER BY case_id) FROM dhr_case").fetchone()[0] == [3, 1, 2]
    assert con.execute("SELECT count(*) FROM (SELECT action_id, plan_order FROM action_fact "
                       f"EXCEPT SELECT action_id, plan_order FROM action_fact_rows({every}))").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM action_fact WHERE plan_order IS NULL").fetchone()[0] == 0
    assert listed(run(con)) == LISTED
    con.close()


# Case L in three versions: (date, [(recommendation, wording, status)]), added in the order given.
THREE_VERSIONS = {
    "v1": ("2023-01-01", [("1", "Write the policy", "in_progress"), ("1", "Train staff", "not_started"),
                          ("2", "Run campaign", "in_progress")]),
    "v2": ("2023-02-01", [("1", "Write the DA policy", "in_progress"), ("1", "Train staff", "in_progress")]),
    "v3": ("2023-03-01", [("1", "Write the DA policy", "complete"), ("1", "Train all staff", "in_progress"),
                          ("2", "Run campaign", "in_progress")]),
}


def three_versions(order=("v1", "v2", "v3")):
    con = make_db()
    case = add_case(con, "Case L", partnership="North CSP", year=2021)
    versions = {}
    for name in order:
        date, actions = THREE_VERSIONS[name]
        versions[name] = pv = add_plan_version(con, case, date)
        recommendations = {}
        for number, wording, status in actions:
            if number not in recommendations:
                recommendations[number] = add_recommendation(con, pv, number, f"Recommendation {number}")
            add_action(con, recommendations[number], wording, status=status)
    return con, versions


def lineages(con):
    """Each action's wording in v1, v2, v3 order, grouped by lineage."""
    return sorted(con.execute("""
        SELECT list(a.text ORDER BY pv.as_of_date) FROM action_fact f
        JOIN action a USING (action_id) JOIN plan_version pv ON pv.plan_version_id = f.plan_version_id
        GROUP BY f.lineage_id""").fetchall())


THREE_LINEAGES = [(["Run campaign", "Run campaign"],),
                  (["Write the policy", "Write the DA policy", "Write the DA policy"],),
                  (["Train staff", "Train staff", "Train all staff"],)]


def test_an_action_is_followed_through_every_version_in_between():
    """v1 to v3 directly: 'Write the policy' and 'Train staff' are both reworded and neither wording nor
    place alone pairs them; each was followed version by version. 'Run campaign', dropped in v2 and
    written again word for word in v3, takes up its old lineage: unchanged, not removed and new."""
    con, v = three_versions()
    assert lineages(con) == sorted(THREE_LINEAGES)
    expected = [("completed", "1", "Write the DA policy", "in_progress")]
    assert changes(run(con, date_from=dt.date(2023, 1, 15), date_to=dt.date(2023, 3, 15))) == expected
    direct = query(con, "progress_between_versions", **Filters(as_of=TO).params(),
                   from_version=v["v1"], to_version=v["v3"])
    assert changes(direct) == expected
    # Between v1 and v2 it was removed, between v2 and v3 new.
    assert [c[:3] for c in changes(run(con, date_from=dt.date(2023, 1, 15), date_to=dt.date(2023, 2, 15)))] == \
        [("removed", "2", "Run campaign")]
    assert [c[:3] for c in changes(run(con, date_from=dt.date(2023, 2, 15), date_to=dt.date(2023, 3, 15)))] == \
        [("completed", "1", "Write the DA policy"), ("new", "2", "Run campaign")]


def test_a_version_imported_between_two_others_relinks_the_later_one():
    """v2 arrives last: what v3 follows changes, and the lineages are those of the three in date order."""
    con, v = three_versions(order=("v1", "v3", "v2"))
    assert lineages(con) == sorted(THREE_LINEAGES)
    before = con.execute("SELECT action_id, lineage_id FROM action_fact ORDER BY 1").fetchall()
    refresh_facts(con)  # every fact again, from nothing
    assert con.execute("SELECT action_id, lineage_id FROM action_fact ORDER BY 1").fetchall() == before


WORDS = ["Audit files", "Train staff", "Brief managers", "Write the policy", "Map services", "Review cases",
         "Share learning", "Agree protocol"]
STATUSES = ["not_started", "in_progress", "off_track", "complete"]


def edited(rng, actions):
    """The next version of a recommendation's actions [(wording, status, target)]: some kept, reworded,
    dropped, added, moved or given a new status or target, as trackers change between updates."""
    out = []
    for wording, status, target in actions:
        roll = rng.random()
        if roll < 0.15:
            continue  # dropped
        if roll < 0.3:
            wording = wording + " again"  # reworded
        if rng.random() < 0.4:
            status = rng.choice(STATUSES)
        if rng.random() < 0.2:
            target = rng.choice(["2023-03-31", "2023-06-30", "2023-12-31"])
        out.append((wording, status, target))
    for _ in range(rng.randint(0, 2)):  # added, anywhere in the list, some worded as one dropped earlier
        out.insert(rng.randint(0, len(out)), (rng.choice(WORDS), rng.choice(STATUSES), "2023-06-30"))
    if len(out) > 1 and rng.random() < 0.3:
        i, j = rng.sample(range(len(out)), 2)
        out[i], out[j] = out[j], out[i]  # moved
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_consecutive_versions_pair_as_a_direct_pairing_of_the_two(seed):
    """Lineage pairs each version with the one before by the rules migration 013 applied to any two plans:
    on randomly edited plans, every pair of consecutive versions gives the changes that direct pairing gives."""
    rng = random.Random(seed)
    con = make_db()
    case = add_case(con, f"Case R{seed}", partnership="North CSP", year=2021)
    plan = {n: [(rng.choice(WORDS), rng.choice(STATUSES), "2023-06-30") for _ in range(rng.randint(2, 5))]
            for n in ("1", "2", "3")}
    versions = []
    for month in (1, 2, 3, 4):
        pv = add_plan_version(con, case, f"2023-0{month}-01")
        for number, actions in plan.items():
            r = add_recommendation(con, pv, number, f"Recommendation {number}")
            for wording, status, target in actions:
                add_action(con, r, wording, status=status, target_date=target)
        versions.append(pv)
        plan = {n: edited(rng, actions) for n, actions in plan.items()}
    direct = (db.MIGRATIONS_DIR / "013_pair_actions_by_wording.sql").read_text()
    direct = direct[direct.index("CREATE OR REPLACE MACRO action_changes("):]
    con.execute(direct.replace("MACRO action_changes(", "MACRO action_changes_direct("))
    sql = """SELECT change, before_action_id, after_action_id, slip_reasons
             FROM {}([$a], [$b], DATE '2023-01-15', DATE '2023-05-01') WHERE change IS NOT NULL ORDER BY ALL"""
    compared = 0
    for a, b in zip(versions, versions[1:]):
        by_lineage = con.execute(sql.format("action_changes"), {"a": a, "b": b}).fetchall()
        assert by_lineage == con.execute(sql.format("action_changes_direct"), {"a": a, "b": b}).fetchall()
        compared += len(by_lineage)
    assert compared > 5  # the plans did change
