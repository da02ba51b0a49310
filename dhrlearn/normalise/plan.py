"""Fill every normalised field of a ParsedPlan from its raw fields, and warn about what could not be read.

Run after an importer, and again after a person corrects raw fields in the review
step: it recomputes every normalised field and replaces only the warnings it made
itself (NormaliseWarning), keeping the importer's.

Agencies across the two levels:
- an action with no lead agency written takes its recommendation's owning agencies
  (a single-agency recommendation under an agency banner is led by that agency);
- a recommendation with no owning agency written is owned by the agencies that lead
  its actions (the seed's table has no owner column: the "Implementation Lead" of
  each action is the owner).
Nothing written is ever overridden by the other level.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dhrlearn import config
from dhrlearn.model import AgencyRef, ImportWarning, ParsedAction, ParsedPlan, ParsedRecommendation, Provenance
from dhrlearn.normalise.agencies import AgencyDirectory, AgencyMatch, default_directory
from dhrlearn.normalise.dates import IN_TEXT_CONFIDENCE, parse_uk_date
from dhrlearn.normalise.numbers import clean_number
from dhrlearn.normalise.status import StatusResult, classify_status

SCOPE_WORDS_FILE = "scope_words.csv"
SCOPE_ORDER = ("local", "regional", "national")  # when several are written, the widest wins
# A field written in the file that could not be read (a status nobody's vocabulary knows, a target that is no
# date): the lowest confidence the review shows, so the row comes first for correcting. A field left empty
# has confidence 0, which the review leaves out: there is nothing to correct.
UNREAD = 0.01
# A date in a "date completed" column with no status word anywhere: complete, a little less sure than a word.
COMPLETED_ON_CONFIDENCE = 0.8
_WORDS = re.compile(r"[a-z0-9]+")
# A "Completed?" column's no, or a cross: understood, but it says no status of the five (status_words.csv).
_ANSWER_NO = re.compile(r"\s*(?:n|no)\s*", re.IGNORECASE)
_CROSS = re.compile(r"\s*[✗✘☒❌]\s*")


@dataclass
class NormaliseWarning(ImportWarning):
    """A warning made by normalise_plan; the next run replaces it."""


def is_normalise_warning(warning: ImportWarning) -> bool:
    return isinstance(warning, NormaliseWarning)


def normalise_plan(plan: ParsedPlan, directory: AgencyDirectory | None = None) -> ParsedPlan:
    """Fill the normalised fields of `plan` in place (and return it)."""
    directory = directory or default_directory()
    plan.warnings = [w for w in plan.warnings if not is_normalise_warning(w)]
    kept = len(plan.warnings)
    for rec in plan.recommendations:
        _normalise_recommendation(plan, rec, directory)
    plan.warnings[kept:] = _not_said_before(plan.warnings[:kept], plan.warnings[kept:])
    return plan


def _not_said_before(importer: list[ImportWarning], mine: list[ImportWarning]) -> list[ImportWarning]:
    """Drop a warning of ours when the importer already warned about the same field at the same place
    (e.g. its "target column holds notes" and our "target date could not be read")."""
    said = {(str(w.provenance), w.field.removesuffix("_raw")) for w in importer if w.severity == "warning"}
    return [w for w in mine if (str(w.provenance), w.field) not in said]


def _normalise_recommendation(plan: ParsedPlan, rec: ParsedRecommendation, directory: AgencyDirectory) -> None:
    rec.number, rec.sort_key = clean_number(rec.number_raw)
    rec.scope = read_scope(rec.scope_raw)
    where = rec.provenance or Provenance(plan.source_file)
    label = f"Recommendation {rec.number}: " if rec.number else ""
    rec.owning_agencies = _agencies(plan, directory, rec.owning_agencies_raw, where, label + "owning agency")
    for action in rec.actions:
        _normalise_action(plan, rec, action, directory, label)
    if not rec.owning_agencies:
        rec.owning_agencies = _union(a.lead_agencies for a in rec.actions)


def _normalise_action(
    plan: ParsedPlan, rec: ParsedRecommendation, action: ParsedAction, directory: AgencyDirectory, label: str
) -> None:
    where = action.provenance or rec.provenance or Provenance(plan.source_file)
    action.lead_agencies = _agencies(plan, directory, action.lead_agency_raw, where, label + "lead agency")
    if not action.lead_agencies:
        action.lead_agencies = [_copy(ref) for ref in rec.owning_agencies]
    _read_target_date(plan, action, where, label)
    _read_status(plan, action, where, label)
    completion = parse_uk_date(action.completion_date_raw)
    action.completion_date = completion.date


def _agencies(plan: ParsedPlan, directory: AgencyDirectory, raw: str, where: Provenance, what: str) -> list[AgencyRef]:
    matches = directory.match(raw)
    for m in matches:
        _warn_agency(plan, m, where, what)
    return [_copy(m.ref) for m in matches]  # copies: a user may edit one ref without touching the cache


def _warn_agency(plan: ParsedPlan, m: AgencyMatch, where: Provenance, what: str) -> None:
    if m.how == "unknown":
        _warn(plan, where, "agency", f"{what} '{m.ref.raw}' is not a known agency; kept as written")
    elif m.how == "fuzzy":
        _warn(plan, where, "agency", f"{what} '{m.ref.raw}' read as '{m.ref.canonical}' (similar spelling)", "info")
    elif m.how == "pattern":
        _warn(plan, where, "agency", f"{what} '{m.ref.raw}' is not in the agency list; read as a new {m.ref.agency_type} agency", "info")


def _read_target_date(plan: ParsedPlan, action: ParsedAction, where: Provenance, label: str) -> None:
    raw = action.target_date_raw
    result = parse_uk_date(raw)
    action.target_date = result.date
    action.target_precision = result.precision if result.date else "none"
    text = " ".join(str(raw or "").split())
    action.confidence["target_date_reading"] = UNREAD if text and not result.understood else result.confidence
    if not text:
        _warn(plan, where, "target_date", f"{label}no target date", "info")
    elif not result.understood:
        _warn(plan, where, "target_date", f"{label}target date '{_short(text)}' could not be read as a date")
    elif result.date is None:
        _warn(plan, where, "target_date", f"{label}no target date ('{_short(text)}')", "info")
    elif result.confidence <= IN_TEXT_CONFIDENCE:
        _warn(plan, where, "target_date", f"{label}target date {result.date:%d/%m/%Y} taken from the text '{_short(text)}'", "info")


def _read_status(plan: ParsedPlan, action: ParsedAction, where: Provenance, label: str) -> None:
    result = classify_status(action.status_raw, action.update_text, action.rag)
    if result.status == "unknown" and action.completion_date_raw:
        # The Home Office template's "Date of completion and outcome" column often holds the status; a
        # "Date completed" column, a date alone.
        result = classify_status(action.completion_date_raw)
        if result.status == "unknown":
            result = _completed_on(action.completion_date_raw, plan.as_of_date) or result
    action.status, action.status_word = result.status, result.word
    unread = result.status == "unknown" and action.status_raw.strip()
    action.confidence["status_reading"] = UNREAD if unread else result.confidence
    if result.status != "unknown":
        return
    raw = action.status_raw
    if _ANSWER_NO.fullmatch(raw):
        _warn(plan, where, "status", f"{label}status '{raw.strip()}': not complete, but nothing says how far on "
                                     "(left unknown; counted as not complete)", "info")
    elif _CROSS.fullmatch(raw):
        _warn(plan, where, "status", f"{label}status '{raw.strip()}' (a cross) left unknown: some trackers cross "
                                     "what is done, others what is not")
    elif raw.strip():
        _warn(plan, where, "status", f"{label}status '{_short(raw)}' is not a known status word")
    else:
        _warn(plan, where, "status", f"{label}no status found (status cell, end of the update text, RAG)")


def _completed_on(raw: str, as_of: dt.date | None) -> StatusResult | None:
    """A date of completion and nothing else to go on: complete, when the date is a day or month written as
    a date (not found inside other text) and not after the plan's date (a later one is a plan, not a fact)."""
    found = parse_uk_date(raw)
    if found.date is None or found.confidence <= IN_TEXT_CONFIDENCE or found.precision not in ("day", "month"):
        return None
    if found.date > (as_of or dt.date.today()):
        return None
    return StatusResult("complete", " ".join(raw.split()), COMPLETED_ON_CONFIDENCE)


def _warn(plan: ParsedPlan, where: Provenance, field_name: str, message: str, severity: str = "warning") -> None:
    plan.warnings.append(NormaliseWarning(where, field_name, message, severity))


def _copy(ref: AgencyRef) -> AgencyRef:
    return AgencyRef(ref.raw, ref.canonical, ref.agency_type, ref.known)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _union(groups) -> list[AgencyRef]:
    seen, out = set(), []
    for refs in groups:
        for ref in refs:
            key = ref.canonical if ref.known else ("?", ref.raw.lower())
            if key not in seen:
                seen.add(key)
                out.append(_copy(ref))
    return out


# -- scope ----------------------------------------------------------------------
def read_scope(scope_raw: str) -> str | None:
    """local | regional | national from the scope cell; the widest named wins; None when none."""
    if not scope_raw or not scope_raw.strip():
        return None
    return _read_scope(scope_raw)


@lru_cache(maxsize=4096)
def _read_scope(scope_raw: str) -> str | None:
    pattern, words = _scope_words()
    found = {words[_key(m)] for m in pattern.findall(scope_raw.lower())}
    return next((scope for scope in reversed(SCOPE_ORDER) if scope in found), None)


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


@lru_cache(maxsize=1)
def _scope_words(path: Path | None = None) -> tuple[re.Pattern, dict[str, str]]:
    path = path or config.REFERENCE_DIR / SCOPE_WORDS_FILE
    words: dict[str, str] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            scope = (row.get("scope") or "").strip()
            if scope not in SCOPE_ORDER:
                raise ValueError(f"{path.name} line {line_no}: scope '{scope}' is not one of {', '.join(SCOPE_ORDER)}")
            words[_key(row.get("word") or "")] = scope
    alternatives = sorted((w for w in words if w), key=len, reverse=True)
    pattern = re.compile(
        r"(?<![a-z0-9])(" + "|".join(r"[\s\-]+".join(map(re.escape, w.split())) for w in alternatives) + r")(?![a-z0-9])"
    )
    return pattern, words
