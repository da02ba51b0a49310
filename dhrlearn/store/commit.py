"""Write normalised plans to the store: one file, one transaction, all or nothing."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from dhrlearn.model import AgencyRef, ParsedPlan, Provenance
from dhrlearn.store.facts import AT_IMPORT, refresh_facts


@dataclass
class ImportResult:
    """What happened to one file."""

    file: str
    outcome: str  # imported | duplicate | failed
    message: str
    plan_version_ids: list[int] = field(default_factory=list)
    cases: int = 0
    recommendations: int = 0
    actions: int = 0
    warnings: int = 0


def find_duplicate(con: duckdb.DuckDBPyConnection, sha256: str) -> str | None:
    """A sentence saying when these exact bytes were imported before, or None."""
    row = con.execute(
        """SELECT pv.source_file, min(pv.imported_at), count(*)
           FROM plan_version pv WHERE pv.sha256 = ? GROUP BY pv.source_file LIMIT 1""",
        [sha256],
    ).fetchone()
    if row is None:
        return None
    name, when, n = row
    cases = f"{n} cases" if n > 1 else "1 case"
    return f"already imported ({cases}) as {name} on {when:%d/%m/%Y %H:%M}; nothing changed"


def commit_plans(con: duckdb.DuckDBPyConnection, plans: list[ParsedPlan], file_name: str) -> ImportResult:
    """Store every plan parsed from one file in a single transaction.

    Re-importing the same bytes is a no-op; a new file for a stored case adds a
    plan version and keeps the old ones. On any error nothing is written and the
    failure is logged in import_log.
    """
    sha = plans[0].sha256 if plans else ""
    duplicate = find_duplicate(con, sha)
    if duplicate:
        _log(con, file_name, sha, "duplicate", duplicate)
        return ImportResult(file_name, "duplicate", f"{file_name}: {duplicate}")

    con.execute("BEGIN TRANSACTION")
    try:
        version_ids = _insert_plans(con, plans)
        refresh_facts(con, version_ids, AT_IMPORT)
        _tag_themes(con, version_ids)  # and their theme facts
        result = ImportResult(
            file_name,
            "imported",
            "",
            version_ids,
            cases=len(plans),
            recommendations=sum(len(p.recommendations) for p in plans),
            actions=sum(len(p.actions) for p in plans),
            warnings=sum(len(p.warnings) for p in plans),
        )
        result.message = (
            f"{file_name}: imported {result.cases} case(s), {result.recommendations} recommendations, "
            f"{result.actions} actions, {result.warnings} warnings"
        )
        _log(con, file_name, sha, "imported", result.message, version_ids[0] if version_ids else None)
        con.execute("COMMIT")
    except Exception as exc:
        con.execute("ROLLBACK")
        _log(con, file_name, sha, "failed", f"{type(exc).__name__}: {exc}")
        raise
    return result


def log_failure(con: duckdb.DuckDBPyConnection, file_name: str, sha256: str | None, message: str) -> None:
    """Record a file that could not be read, for the import history."""
    _log(con, file_name, sha256, "failed", message)


def _log(con, file_name, sha, outcome, message, plan_version_id=None) -> None:
    con.execute(
        "INSERT INTO import_log (file_name, sha256, outcome, message, plan_version_id) VALUES (?, ?, ?, ?, ?)",
        [file_name, sha, outcome, message, plan_version_id],
    )


def _tag_themes(con, version_ids: list[int]) -> None:
    """Derived facts are computed once, at import (themes, uptake evidence)."""
    from dhrlearn.themes import tag_plan_versions

    tag_plan_versions(con, version_ids)


def _case_ids(con, plans: list[ParsedPlan]) -> list[int]:
    """The stored case of each plan, adding cases not seen before (one per partnership and reference)."""
    keys = [(p.case.partnership, p.case.reference) for p in plans]
    found = dict(
        ((partnership, reference), case_id)
        for partnership, reference, case_id in con.execute(
            """SELECT partnership, reference, case_id FROM dhr_case
               WHERE list_contains($partnerships, partnership) AND list_contains($references, reference)""",
            {"partnerships": sorted({k[0] for k in keys}), "references": sorted({k[1] for k in keys})},
        ).fetchall()
    )
    new = [plan for plan, key in zip(plans, keys) if key not in found]
    new = list({(p.case.partnership, p.case.reference): p for p in new}.values())
    for plan, case_id in zip(new, _next_ids(con, "seq_case", len(new))):
        found[(plan.case.partnership, plan.case.reference)] = case_id
    _insert(con, "dhr_case", _frame([
        {"case_id": found[(p.case.partnership, p.case.reference)], "reference": p.case.reference,
         "partnership": p.case.partnership, "area": p.case.area or None, "region": p.case.region or None,
         "year": p.case.year, "publication_date": p.case.publication_date, "is_demo": p.case.is_demo}
        for p in new
    ], {"publication_date": "date"}))
    _fill_known_cases(con, [(found[(p.case.partnership, p.case.reference)], p) for p in plans if p not in new])
    return [found[key] for key in keys]


def _fill_known_cases(con, known: list[tuple[int, ParsedPlan]]) -> None:
    """Later plans may know more about a case than earlier ones did; never overwrite what is known."""
    facts = _frame([
        {"case_id": case_id, "area": p.case.area or None, "region": p.case.region or None,
         "year": p.case.year, "publication_date": p.case.publication_date}
        for case_id, p in known
        if p.case.area or p.case.region or p.case.year or p.case.publication_date
    ], {"publication_date": "date"})
    if facts.empty:
        return
    con.register("known_facts", facts)
    try:
        con.execute(
            """UPDATE dhr_case SET area = coalesce(dhr_case.area, f.area),
                   region = coalesce(dhr_case.region, f.region), year = coalesce(dhr_case.year, f.year),
                   publication_date = coalesce(dhr_case.publication_date, f.publication_date)
               FROM (SELECT case_id, any_value(area) AS area, any_value(region) AS region,
                            any_value(year) AS year, any_value(publication_date) AS publication_date
                     FROM known_facts GROUP BY case_id) f
               WHERE dhr_case.case_id = f.case_id"""
        )
    finally:
        con.unregister("known_facts")


def _next_ids(con, sequence: str, n: int) -> list[int]:
    if n == 0:
        return []
    return [r[0] for r in con.execute(f"SELECT nextval('{sequence}') FROM range(?)", [n]).fetchall()]


def _insert_plans(con, plans: list[ParsedPlan]) -> list[int]:
    """Every plan of one file, one INSERT per table."""
    case_ids = _case_ids(con, plans)
    version_ids = _next_ids(con, "seq_plan_version", len(plans))
    _insert(con, "plan_version", _frame([
        {"plan_version_id": v, "case_id": c, "as_of_date": p.as_of_date, "source_file": p.source_file,
         "sha256": p.sha256, "format": p.format, "importer_version": p.importer_version}
        for p, c, v in zip(plans, case_ids, version_ids)
    ], {"as_of_date": "date"}))
    rec_ids = iter(_next_ids(con, "seq_recommendation", sum(len(p.recommendations) for p in plans)))
    action_ids = iter(_next_ids(con, "seq_action", sum(len(p.actions) for p in plans)))
    rows: dict[str, list[dict]] = {"recommendation": [], "action": [], "agency_link": [], "import_warning": []}
    for plan, case_id, version_id in zip(plans, case_ids, version_ids):
        for table, plan_rows in _plan_rows(plan, case_id, version_id, rec_ids, action_ids).items():
            rows[table] += plan_rows
    dates = {"action": {"target_date": "date", "completion_date": "date"}}
    for table, table_rows in rows.items():
        _insert(con, table, _frame(table_rows, dates.get(table, {})))
    return version_ids


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    con.register("incoming", frame)
    try:
        columns = ", ".join(frame.columns)
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
    finally:
        con.unregister("incoming")


def _source(prov: Provenance | None, file: str) -> dict:
    prov = prov or Provenance(file)
    return {"src_file": prov.file or file, "src_location": prov.location or None, "src_rows": prov.rows or None}


def _json(value: dict) -> str | None:
    return json.dumps(value, ensure_ascii=False, default=str) if value else None


def _links(refs: list[AgencyRef], role: str, **ids) -> list[dict]:
    return [
        {**ids, "role": role, "agency_raw": r.raw, "agency": r.canonical, "agency_type": r.agency_type,
         "known": r.known}
        for r in refs
    ]


def _plan_rows(plan: ParsedPlan, case_id: int, version_id: int, rec_ids, action_ids) -> dict[str, list[dict]]:
    """The plan as rows per table, taking ids from the iterators reserved for the file."""
    recs, actions, links = [], [], []
    base = {"case_id": case_id, "plan_version_id": version_id}
    for rec in plan.recommendations:
        rec_id = next(rec_ids)
        recs.append({
            "recommendation_id": rec_id, **base, "number_raw": rec.number_raw, "number": rec.number,
            "sort_key": rec.sort_key, "text": rec.text, "level": rec.level, "scope_raw": rec.scope_raw or None,
            "scope": rec.scope, "owning_agencies_raw": rec.owning_agencies_raw or None,
            "unplaced_text": rec.unplaced_text or None, "extra": _json(rec.extra),
            "confidence": _json(rec.confidence), **_source(rec.provenance, plan.source_file),
        })
        links += _links(rec.owning_agencies, "owner", recommendation_id=rec_id, action_id=None, **base)
        for seq, act in enumerate(rec.actions, start=1):
            action_id = next(action_ids)
            actions.append({
                "action_id": action_id, "recommendation_id": rec_id, **base, "seq": seq,
                "text": act.text, "lead_agency_raw": act.lead_agency_raw or None,
                "named_lead": act.named_lead or None, "target_date_raw": act.target_date_raw or None,
                "target_date": act.target_date, "target_precision": act.target_precision,
                "status_raw": act.status_raw or None, "status": act.status,
                "status_word": act.status_word or None, "rag": act.rag or None,
                "completion_date_raw": act.completion_date_raw or None, "completion_date": act.completion_date,
                "update_text": act.update_text or None, "extra": _json(act.extra),
                "confidence": _json(act.confidence), **_source(act.provenance, plan.source_file),
            })
            links += _links(act.lead_agencies, "lead", recommendation_id=rec_id, action_id=action_id, **base)
    warnings = [
        {"plan_version_id": version_id, "field": w.field, "message": w.message, "severity": w.severity,
         **_source(w.provenance, plan.source_file)}
        for w in plan.warnings
    ]
    return {"recommendation": recs, "action": actions, "agency_link": links, "import_warning": warnings}


def _frame(rows: list[dict], dates: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in dates:
        if column in frame:
            # Keep dates typed so DuckDB receives DATE, not strings, even when all are missing.
            frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame
