"""The review step: parse -> preview (with warnings and confidences) -> corrections -> commit.

Used by the command line (`import --dry-run` prints the preview) and by the
dashboard's Import page (preview, edit in a table, commit).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from dhrlearn import importers
from dhrlearn.config import ReferenceFileError
from dhrlearn.model import ImportFailed, ParsedPlan, Provenance
from dhrlearn.normalise.plan import normalise_plan
from dhrlearn.store.commit import ImportResult, commit_plans, find_duplicate, log_failure

# Columns of the actions preview a person may correct; the rest are derived.
EDITABLE = ("level", "lead_agency_raw", "target_date_raw", "status_raw")


@dataclass
class Overrides:
    """What the person importing knows and the file may not say."""

    partnership: str | None = None
    case_reference: str | None = None
    as_of_date: dt.date | None = None
    is_demo: bool = False

    @classmethod
    def from_dict(cls, values: dict | None) -> "Overrides":
        return cls(**{k: v for k, v in (values or {}).items() if v is not None})


@dataclass
class FilePreview:
    """One file, parsed and normalised but not stored."""

    name: str
    sha256: str
    plans: list[ParsedPlan] = field(default_factory=list)
    error: str | None = None  # the file could not be read: why and where
    duplicate_of: str | None = None  # already imported: when

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> dict:
        return {
            "file": self.name,
            "cases": len(self.plans),
            "recommendations": sum(len(p.recommendations) for p in self.plans),
            "actions": sum(len(p.actions) for p in self.plans),
            "warnings": sum(len(p.warnings) for p in self.plans),
            "problem": self.error or self.duplicate_of or "",
        }

    def actions_frame(self) -> pd.DataFrame:
        """One row per action, keyed by (plan, rec, action) index for corrections."""
        rows = []
        for p_i, plan in enumerate(self.plans):
            for r_i, rec in enumerate(plan.recommendations):
                for a_i, act in enumerate(rec.actions):
                    rows.append({
                        "key": f"{p_i}.{r_i}.{a_i}",
                        "case": plan.case.reference,
                        "number": rec.number or rec.number_raw,
                        "level": rec.level or "",
                        "recommendation": rec.text,
                        "action": act.text,
                        "lead_agency_raw": act.lead_agency_raw,
                        "lead_agency": ", ".join(a.canonical or f"{a.raw} (unknown)" for a in act.lead_agencies),
                        "target_date_raw": act.target_date_raw,
                        "target_date": act.target_date,
                        "status_raw": act.status_raw or act.status_word,
                        "status": act.status,
                        "confidence": _lowest_confidence(rec.confidence, act.confidence),
                        "source": str(act.provenance or rec.provenance or ""),
                    })
        return pd.DataFrame(rows)

    def recommendations_frame(self) -> pd.DataFrame:
        rows = [
            {"case": plan.case.reference, "number": rec.number or rec.number_raw, "level": rec.level or "",
             "owning_agencies": ", ".join(a.canonical or f"{a.raw} (unknown)" for a in rec.owning_agencies),
             "recommendation": rec.text, "actions": len(rec.actions), "unplaced_text": rec.unplaced_text,
             "confidence": _lowest_confidence(rec.confidence), "source": str(rec.provenance or "")}
            for plan in self.plans for rec in plan.recommendations
        ]
        return pd.DataFrame(rows)

    def warnings_frame(self) -> pd.DataFrame:
        rows = [
            {"case": plan.case.reference, "where": str(w.provenance), "field": w.field,
             "message": w.message, "severity": w.severity}
            for plan in self.plans for w in plan.warnings
        ]
        return pd.DataFrame(rows, columns=["case", "where", "field", "message", "severity"])


def _lowest_confidence(*per_field: dict[str, float]) -> float:
    """The weakest field the importer filled (0 means it found nothing to fill, so is left out)."""
    filled = [c for fields in per_field for c in fields.values() if c > 0]
    return round(min(filled, default=1.0), 2)


def preview_bytes(data: bytes, name: str, overrides: Overrides | dict | None = None,
                  con: duckdb.DuckDBPyConnection | None = None) -> FilePreview:
    """Parse and normalise one file. Never raises for a bad file: the preview says what is wrong."""
    overrides = overrides if isinstance(overrides, Overrides) else Overrides.from_dict(overrides)
    name = Path(name).name
    preview = FilePreview(name, importers.sha256_of(data))
    try:
        preview.plans = importers.parse_bytes(data, name)
        if not preview.plans or not any(p.recommendations for p in preview.plans):
            preview.error = f"{name}: no recommendations were found in this file"
            return preview
        for plan in preview.plans:
            _apply_overrides(plan, overrides)
            normalise_plan(plan)
    except ImportFailed as exc:
        preview.error = str(exc)
        return preview
    except Exception as exc:  # a fault of ours on this file: say so for this file, and go on with the others
        preview.plans, preview.error = [], (
            f"{name}: could not be read ({type(exc).__name__}: {exc}); nothing from it is stored. "
            "Please report this file so the fault can be mended.")
        return preview
    if con is not None:
        preview.duplicate_of = find_duplicate(con, preview.sha256)
    return preview


def preview_files(files: list[tuple[str, bytes]], overrides=None, con=None) -> list[FilePreview]:
    return [preview_bytes(data, name, overrides, con) for name, data in files]


def _apply_overrides(plan: ParsedPlan, overrides: Overrides) -> None:
    case = plan.case
    if overrides.partnership:
        case.partnership = overrides.partnership
    if overrides.case_reference:
        case.reference = overrides.case_reference
    if overrides.as_of_date:
        plan.as_of_date = overrides.as_of_date
    case.is_demo = case.is_demo or overrides.is_demo
    where = Provenance(plan.source_file)
    if not case.partnership:
        case.partnership = "Unknown partnership"
        plan.warn(where, "case", "the file does not name its partnership (CSP); set it before committing")
    if not case.reference:
        case.reference = Path(plan.source_file).stem
        plan.warn(where, "case", f"the file does not give a case reference; using the file name '{case.reference}'")
    if plan.as_of_date is None:
        plan.as_of_date = dt.date.today()
        plan.warn(where, "as_of_date", "the file gives no review or update date; using today's date", "info")


def apply_corrections(preview: FilePreview, edited: pd.DataFrame) -> FilePreview:
    """Take a person's edits to the actions preview (EDITABLE columns) and re-normalise."""
    for row in edited.to_dict("records"):
        p_i, r_i, a_i = (int(x) for x in str(row["key"]).split("."))
        rec = preview.plans[p_i].recommendations[r_i]
        act = rec.actions[a_i]
        if "level" in row and row["level"] in ("overview", "single_agency"):
            rec.level = row["level"]
        for column in ("lead_agency_raw", "target_date_raw", "status_raw"):
            if column in row and row[column] is not None and str(row[column]) != str(getattr(act, column)):
                setattr(act, column, str(row[column]).strip())
                act.confidence.pop(column.removesuffix("_raw"), None)  # a person said so
    for plan in preview.plans:
        normalise_plan(plan)
    return preview


def commit(con: duckdb.DuckDBPyConnection, preview: FilePreview) -> ImportResult:
    """Store a reviewed file (all or nothing). A file that could not be read is only logged."""
    if not preview.ok:
        log_failure(con, preview.name, preview.sha256, preview.error)
        return ImportResult(preview.name, "failed", preview.error)
    try:
        return commit_plans(con, preview.plans, preview.name)
    except duckdb.Error as exc:  # rolled back and logged by commit_plans
        return ImportResult(preview.name, "failed",
                            f"{preview.name}: could not be stored ({exc}); nothing was changed")
    except ReferenceFileError as exc:  # a file the tagging follows cannot be used: rolled back likewise
        return ImportResult(preview.name, "failed", f"{preview.name}: not stored, nothing was changed: {exc}")


def preview_path(path: str | Path, overrides=None, con: duckdb.DuckDBPyConnection | None = None) -> FilePreview:
    """Like preview_bytes for a file on disk; a file too large or unreadable gets an error, unread."""
    path = Path(path)
    try:
        importers.check_size(path.stat().st_size, path.name)
        data = path.read_bytes()
    except ImportFailed as exc:
        return FilePreview(path.name, "", error=str(exc))
    except OSError as exc:
        return FilePreview(path.name, "", error=f"{path.name}: cannot be read: {exc.strerror}")
    return preview_bytes(data, path.name, overrides, con)


def import_file(con: duckdb.DuckDBPyConnection, path: str | Path, overrides=None) -> ImportResult:
    """Parse, normalise and store one file with no manual review (command line, demo build)."""
    return commit(con, preview_path(path, overrides, con))
