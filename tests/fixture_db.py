"""Build small fixture databases by direct INSERTs into the schema.

For tests whose expected answers are worked out by hand. Every helper returns the new
row's id, and the fact tables are refreshed after each row they are made from, as an import
refreshes them. Agencies are given as a name (a known agency: canonical = raw) or as a tuple
(raw, canonical, agency_type); canonical None makes an unknown agency.

    con = make_db()
    case = add_case(con, "Case 1", partnership="North CSP", year=2021)
    pv = add_plan_version(con, case, as_of_date="2023-01-31")
    rec = add_recommendation(con, pv, "1", "Train staff in DASH", owners=["West Mercia Police"])
    act = add_action(con, rec, "Deliver training", status="complete", target_date="2022-12-31")
    add_theme(con, rec, "training", matched="training")
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re

import duckdb

from dhrlearn.store import db
from dhrlearn.store.facts import refresh_facts
from dhrlearn.themes import refresh_recurring_facts

# Agency types for names used in tests, so a bare name gets a plausible type.
AGENCY_TYPES = {
    "West Mercia Police": "Police",
    "Cranstoun Worcestershire": "Substance misuse services",
    "Clinical Commissioning Group": "Health commissioners",
    "Worcestershire County Council": "Local authority / CSP",
    "South Worcestershire CSP": "Local authority / CSP",
    "Herefordshire and Worcestershire Health and Care NHS Trust": "NHS trusts",
    "Probation Service": "Probation",
    "Women's Aid": "Domestic abuse services",
}

_counter = itertools.count(1)


def make_db(path: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A new database with the full, migrated schema (in memory unless a path is given)."""
    return db.connect(path)


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _insert(con, table: str, values: dict, id_column: str | None = None):
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    returning = f" RETURNING {id_column}" if id_column else ""
    row = con.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks}){returning}", list(values.values()))
    return row.fetchone()[0] if id_column else None


def _agency(spec) -> tuple[str, str | None, str | None]:
    if isinstance(spec, str):
        return spec, spec, AGENCY_TYPES.get(spec)
    raw, canonical, agency_type = spec
    return raw, canonical, agency_type


def sort_key(number: str) -> str:
    """Zero-padded numeric parts, so "10" sorts after "9" and "5.1" after "5"."""
    return re.sub(r"\d+", lambda m: m.group(0).zfill(4), number)


def add_case(con, reference: str, partnership: str = "South CSP", year: int | None = 2021,
             is_demo: bool = False, region: str | None = None, area: str | None = None,
             publication_date=None) -> int:
    return _insert(con, "dhr_case", {
        "reference": reference, "partnership": partnership, "year": year, "is_demo": is_demo,
        "region": region, "area": area, "publication_date": _date(publication_date),
    }, "case_id")


def add_plan_version(con, case_id: int, as_of_date=None, imported_at=None, source_file: str | None = None,
                     fmt: str = "csv", importer_version: str = "test") -> int:
    n = next(_counter)
    values = {
        "case_id": case_id, "as_of_date": _date(as_of_date),
        "source_file": source_file or f"plan_{n}.{fmt}",
        "sha256": hashlib.sha256(f"fixture {n}".encode()).hexdigest(),
        "format": fmt, "importer_version": importer_version,
    }
    if imported_at is not None:
        values["imported_at"] = imported_at
    plan_version_id = _insert(con, "plan_version", values, "plan_version_id")
    refresh_facts(con, [plan_version_id], ("plan_span",))
    return plan_version_id


def _plan_case(con, plan_version_id: int) -> int:
    return con.execute("SELECT case_id FROM plan_version WHERE plan_version_id = ?", [plan_version_id]).fetchone()[0]


def add_agency_link(con, recommendation_id: int, spec, role: str, action_id: int | None = None) -> None:
    case_id, pv = con.execute(
        "SELECT case_id, plan_version_id FROM recommendation WHERE recommendation_id = ?", [recommendation_id]
    ).fetchone()
    raw, canonical, agency_type = _agency(spec)
    _insert(con, "agency_link", {
        "recommendation_id": recommendation_id, "action_id": action_id, "case_id": case_id,
        "plan_version_id": pv, "role": role, "agency_raw": raw, "agency": canonical,
        "agency_type": agency_type, "known": canonical is not None,
    })
    refresh_facts(con, [pv])


def add_recommendation(con, plan_version_id: int, number: str, text: str, level: str | None = "overview",
                       owners=(), unplaced_text: str | None = None, scope: str | None = None) -> int:
    rec = _insert(con, "recommendation", {
        "plan_version_id": plan_version_id, "case_id": _plan_case(con, plan_version_id),
        "number_raw": f"Recommendation {number}", "number": number, "sort_key": sort_key(number),
        "text": text, "level": level, "scope": scope, "unplaced_text": unplaced_text,
        "owning_agencies_raw": "/".join(_agency(o)[0] for o in owners),
        "src_file": "fixture", "src_location": "table 1", "src_rows": f"row {number}",
    }, "recommendation_id")
    for owner in owners:
        add_agency_link(con, rec, owner, "owner")
    refresh_facts(con, [plan_version_id], ("plan_text_fact",))
    return rec


def add_action(con, recommendation_id: int, text: str = "", status: str = "in_progress", target_date=None,
               target_precision: str | None = None, leads=(), update_text: str | None = None,
               seq: int | None = None, status_raw: str | None = None, target_date_raw: str | None = None,
               completion_date=None) -> int:
    case_id, pv = con.execute(
        "SELECT case_id, plan_version_id FROM recommendation WHERE recommendation_id = ?", [recommendation_id]
    ).fetchone()
    if seq is None:
        seq = con.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM action WHERE recommendation_id = ?", [recommendation_id]
        ).fetchone()[0]
    target = _date(target_date)
    action = _insert(con, "action", {
        "recommendation_id": recommendation_id, "plan_version_id": pv, "case_id": case_id, "seq": seq,
        "text": text, "lead_agency_raw": "/".join(_agency(a)[0] for a in leads),
        "target_date_raw": target_date_raw if target_date_raw is not None else (str(target) if target else ""),
        "target_date": target,
        "target_precision": target_precision or ("day" if target else "none"),
        "status_raw": status_raw if status_raw is not None else status, "status": status,
        "completion_date": _date(completion_date), "update_text": update_text,
        "src_file": "fixture", "src_location": "table 1", "src_rows": f"row {seq}",
    }, "action_id")
    for lead in leads:
        add_agency_link(con, recommendation_id, lead, "lead", action)
    refresh_facts(con, [pv])
    return action


def add_theme(con, recommendation_id: int, theme: str, action_id: int | None = None, matched: str | None = None,
              field: str | None = None, axis: str = "topic") -> None:
    case_id, pv = con.execute(
        "SELECT case_id, plan_version_id FROM recommendation WHERE recommendation_id = ?", [recommendation_id]
    ).fetchone()
    _insert(con, "theme_match", {
        "case_id": case_id, "plan_version_id": pv, "recommendation_id": recommendation_id,
        "action_id": action_id, "axis": axis, "theme": theme,
        "field": field or ("action" if action_id else "recommendation"), "matched": matched or theme,
    })
    refresh_facts(con, [pv])


def add_uptake(con, recommendation_id: int, polarity: str, phrase: str, snippet: str,
               action_id: int | None = None) -> None:
    case_id, pv = con.execute(
        "SELECT case_id, plan_version_id FROM recommendation WHERE recommendation_id = ?", [recommendation_id]
    ).fetchone()
    _insert(con, "uptake_evidence", {
        "case_id": case_id, "plan_version_id": pv, "recommendation_id": recommendation_id,
        "action_id": action_id, "polarity": polarity, "phrase": phrase, "snippet": snippet,
    })


def add_recurring(con, group_id: int, recommendation_id: int, similarity: float = 1.0) -> None:
    case_id, pv = con.execute(
        "SELECT case_id, plan_version_id FROM recommendation WHERE recommendation_id = ?", [recommendation_id]
    ).fetchone()
    _insert(con, "recurring_member", {
        "group_id": group_id, "recommendation_id": recommendation_id, "case_id": case_id, "similarity": similarity,
    })
    refresh_recurring_facts(con)


def add_warning(con, plan_version_id: int, field: str, message: str, severity: str = "warning",
                src_location: str | None = None) -> int:
    return _insert(con, "import_warning", {
        "plan_version_id": plan_version_id, "field": field, "message": message, "severity": severity,
        "src_file": "fixture", "src_location": src_location,
    }, "warning_id")


def add_import_log(con, file_name: str, outcome: str = "imported", plan_version_id: int | None = None,
                   message: str | None = None, attempted_at=None) -> int:
    values = {"file_name": file_name, "outcome": outcome, "plan_version_id": plan_version_id,
              "message": message, "sha256": hashlib.sha256(file_name.encode()).hexdigest()}
    if attempted_at is not None:
        values["attempted_at"] = attempted_at
    return _insert(con, "import_log", values, "import_id")


def standard_fixture() -> tuple[duckdb.DuckDBPyConnection, dict]:
    """Four cases whose figures tests/test_queries_*.py work out by hand; returns (con, ids).

    Case A "Case 16" (South CSP, 2020): version A1 dated 2022-06-30, version A2 dated 2023-02-15.
      A1  r1 (overview, owner South Worcestershire CSP): a1 in_progress, target 2022-12-31
          r2 (single agency, owner Cranstoun): a1 in_progress, target "Jan 2023" (2023-01-31, month)
          r4 (overview, no agency): a1 in_progress, target 2023-12-31
          themes: r2 substance_misuse
      A2  r1: a1 complete (2022-12-31); a2 not_started (2023-06-30)
          r2: a1 off_track, "Jan 2023"
          r3 (single agency): a1 in_progress 2022-01-15, leads West Mercia Police + "H&W H&C Trust" (unknown)
          themes: r1 training, r2 substance_misuse, r1/a2 mental_health (action level)
    Case B "DHR 2021/01" (North CSP, 2021): version B1 dated 2022-12-01.
          r1 (overview, owner Probation Service): a1 complete 2022-10-31; a2 in_progress, no target ("ongoing")
          r2 (overview, owner Probation Service): a1 in_progress 2023-03-31, lead West Mercia Police;
              a2 closed_other 2022-01-01 (falls back to the owner)
          themes: r1 training, r2/a1 mental_health
    Case C "Case 3" (South CSP, 2021, demo): version C1 undated, imported 2022-11-10.
          r1 (single agency): a1 unknown status, 2022-11-30, lead Women's Aid; theme toxic_trio
          r2 (single agency, no agency, unplaced text): a1 complete 2022-10-01
    Uptake evidence: B r1 a1 positive + negative, A2 r1 a2 planned. Recurring group 1: A2 r1, B r1
    (and A1 r1, not in force); group 2: C r1 alone. Warnings on A2 and C1; three import-log rows.
    Case D "Case 4" (North CSP, 2022): version D1 dated 2023-05-01 (not yet in force in March 2023).
          r1: a1 complete 2023-04-30
    """
    con = make_db()
    ids: dict = {}
    csp, cranstoun, wmp, probation = (
        "South Worcestershire CSP", "Cranstoun Worcestershire", "West Mercia Police", "Probation Service")
    unknown_trust = ("H&W H&C Trust", None, None)

    a = ids["case_a"] = add_case(con, "Case 16", "South CSP", 2020)
    a1 = ids["a1"] = add_plan_version(con, a, "2022-06-30")
    r = ids["a1_r1"] = add_recommendation(con, a1, "1", "Share learning on risk with all staff", "overview",
                                          owners=[csp])
    ids["a1_r1_a1"] = add_action(con, r, "Briefing to staff", "in_progress", "2022-12-31")
    r = add_recommendation(con, a1, "2", "Review alcohol treatment referrals", "single_agency", owners=[cranstoun])
    ids["a1_r2_a1"] = add_action(con, r, "Audit referrals", "in_progress", "2023-01-31", "month",
                                 target_date_raw="Jan 2023")
    add_theme(con, r, "substance_misuse", matched="alcohol; treatment")
    r = add_recommendation(con, a1, "4", "Publish a newsletter", "overview")
    ids["a1_r4_a1"] = add_action(con, r, "Newsletter", "in_progress", "2023-12-31")

    a2 = ids["a2"] = add_plan_version(con, a, "2023-02-15")
    r = ids["a2_r1"] = add_recommendation(con, a2, "1", "Share learning on risk with all staff", "overview",
                                          owners=[csp])
    ids["a2_r1_a1"] = add_action(con, r, "Briefing to staff", "complete", "2022-12-31")
    ids["a2_r1_a2"] = add_action(con, r, "Mental health awareness sessions", "not_started", "2023-06-30")
    add_theme(con, r, "training", matched="learning")
    add_theme(con, r, "mental_health", action_id=ids["a2_r1_a2"], matched="mental health")
    r = ids["a2_r2"] = add_recommendation(con, a2, "2", "Review alcohol treatment referrals", "single_agency",
                                          owners=[cranstoun])
    ids["a2_r2_a1"] = add_action(con, r, "Audit referrals", "off_track", "2023-01-31", "month",
                                 target_date_raw="Jan 2023", status_raw="Incomplete - to be updated")
    add_theme(con, r, "substance_misuse", matched="alcohol; treatment")
    r = ids["a2_r3"] = add_recommendation(con, a2, "3", "Flag repeat victims", "single_agency")
    ids["a2_r3_a1"] = add_action(con, r, "Add a repeat-victim flag", "in_progress", "2022-01-15",
                                 leads=[wmp, unknown_trust])

    b = ids["case_b"] = add_case(con, "DHR 2021/01", "North CSP", 2021)
    b1 = ids["b1"] = add_plan_version(con, b, "2022-12-01")
    r = ids["b1_r1"] = add_recommendation(con, b1, "1", "Mandatory training on coercive control", "overview",
                                          owners=[probation])
    ids["b1_r1_a1"] = add_action(con, r, "Deliver e-learning", "complete", "2022-10-31",
                                 update_text="Good uptake but this tailed off. Complete")
    ids["b1_r1_a2"] = add_action(con, r, "Refresher sessions", "in_progress", None, target_date_raw="ongoing")
    add_theme(con, r, "training", matched="training; mandatory")
    r = ids["b1_r2"] = add_recommendation(con, b1, "2", "Improve crisis team referrals", "overview",
                                          owners=[probation])
    ids["b1_r2_a1"] = add_action(con, r, "Referral pathway to crisis team", "in_progress", "2023-03-31",
                                 leads=[wmp])
    ids["b1_r2_a2"] = add_action(con, r, "Superseded protocol", "closed_other", "2022-01-01")
    add_theme(con, r, "mental_health", action_id=ids["b1_r2_a1"], matched="crisis team")

    c = ids["case_c"] = add_case(con, "Case 3", "South CSP", 2021, is_demo=True)
    c1 = ids["c1"] = add_plan_version(con, c, None, imported_at=dt.datetime(2022, 11, 10, 10, 0))
    r = ids["c1_r1"] = add_recommendation(con, c1, "1", "Address the toxic trio in assessments", "single_agency")
    ids["c1_r1_a1"] = add_action(con, r, "Update assessment form", "unknown", "2022-11-30",
                                 leads=["Women's Aid"], status_raw="see notes")
    add_theme(con, r, "toxic_trio", matched="toxic trio")
    r = ids["c1_r2"] = add_recommendation(con, c1, "2", "Record interpreter needs", "single_agency",
                                          unplaced_text="Page 3 footer: see appendix B")
    ids["c1_r2_a1"] = add_action(con, r, "Add field to form", "complete", "2022-10-01")

    # Training-uptake evidence, recurring groups, warnings and import history (other tables only).
    add_uptake(con, ids["b1_r1"], "positive", "good uptake", "Good uptake but this tailed off.", ids["b1_r1_a1"])
    add_uptake(con, ids["b1_r1"], "negative", "tailed off", "Good uptake but this tailed off.", ids["b1_r1_a1"])
    add_uptake(con, ids["a2_r1"], "planned", "all staff trained by", "All staff trained by June.", ids["a2_r1_a2"])
    add_recurring(con, 1, ids["a2_r1"], 1.0)
    add_recurring(con, 1, ids["b1_r1"], 0.8)
    add_recurring(con, 1, ids["a1_r1"], 1.0)  # the older version of Case A: not in force in March 2023
    add_recurring(con, 2, ids["c1_r1"], 1.0)  # one case only: not a recurrence
    add_warning(con, a2, "agency", "Unknown agency 'H&W H&C Trust'", src_location="page 2")
    add_warning(con, c1, "status", "Could not read status 'see notes'")
    add_import_log(con, "plan_a1.csv", "imported", a1, attempted_at=dt.datetime(2022, 7, 1, 9, 0))
    add_import_log(con, "plan_a2.csv", "imported", a2, attempted_at=dt.datetime(2023, 2, 16, 9, 0))
    add_import_log(con, "plan_a2.csv", "duplicate", None, "same file already imported",
                   attempted_at=dt.datetime(2023, 2, 17, 9, 0))

    d = ids["case_d"] = add_case(con, "Case 4", "North CSP", 2022)
    d1 = ids["d1"] = add_plan_version(con, d, "2023-05-01")
    r = add_recommendation(con, d1, "1", "Review housing pathway", "overview")
    ids["d1_r1_a1"] = add_action(con, r, "Write pathway", "complete", "2023-04-30")
    return con, ids
