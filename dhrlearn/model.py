"""The in-memory shape of one parsed action plan, shared by every importer.

Importers fill the raw fields (text exactly as written) and provenance.
`dhrlearn.normalise.plan.normalise_plan` then fills the normalised fields and
adds warnings. The review step shows this object; the store commits it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

LEVELS = ("overview", "single_agency")
SCOPES = ("local", "regional", "national")
STATUSES = ("complete", "in_progress", "not_started", "off_track", "closed_other", "unknown")
PRECISIONS = ("day", "month", "quarter", "season", "year", "none")
FORMATS = ("csv", "xlsx", "docx", "pdf", "text")


@dataclass
class Provenance:
    """Where a row came from: file, place in the file, and the rows or cells."""

    file: str
    location: str = ""  # sheet name, "page 3", "table 2", "page 3 table 1"
    rows: str = ""  # "row 7", "rows 7-9", "B7:F9", "lines 12-30"

    def __str__(self) -> str:
        return ", ".join(p for p in (self.file, self.location, self.rows) if p)


@dataclass
class ImportWarning:
    """Something a person should look at before committing."""

    provenance: Provenance
    field: str  # "agency", "target_date", "status", "header", "unplaced_text", ...
    message: str
    severity: str = "warning"  # "info" | "warning"


@dataclass
class AgencyRef:
    """One agency named in a field; a field naming several gives several refs."""

    raw: str
    canonical: str | None = None
    agency_type: str | None = None
    known: bool = False


@dataclass
class ParsedAction:
    text: str = ""
    lead_agency_raw: str = ""
    named_lead: str = ""  # personal data: a member of staff
    target_date_raw: str = ""
    status_raw: str = ""  # status cell, or "" when the status is buried in update_text
    rag: str = ""
    completion_date_raw: str = ""
    update_text: str = ""  # milestones / summary of action taken; may name staff
    extra: dict[str, str] = field(default_factory=dict)  # unmapped columns, kept verbatim
    provenance: Provenance | None = None
    confidence: dict[str, float] = field(default_factory=dict)  # per field, 0..1; absent = 1
    # Normalised (filled by normalise_plan)
    lead_agencies: list[AgencyRef] = field(default_factory=list)
    target_date: dt.date | None = None
    target_precision: str = "none"
    status: str = "unknown"
    status_word: str = ""  # the word that decided the status
    completion_date: dt.date | None = None


@dataclass
class ParsedRecommendation:
    number_raw: str = ""  # as written: "Recommendation No 1", "5.1", "3.140(a)"
    text: str = ""
    level: str | None = None  # overview | single_agency | None when not known
    scope_raw: str = ""
    owning_agencies_raw: str = ""
    actions: list[ParsedAction] = field(default_factory=list)
    unplaced_text: str = ""  # text the importer could not place; never dropped
    extra: dict[str, str] = field(default_factory=dict)
    provenance: Provenance | None = None
    confidence: dict[str, float] = field(default_factory=dict)
    # Normalised
    number: str = ""  # cleaned: "1", "5.1", "3.140(a)"
    sort_key: str = ""  # sortable: zero-padded numeric parts
    scope: str | None = None
    owning_agencies: list[AgencyRef] = field(default_factory=list)


@dataclass
class CaseMeta:
    reference: str = ""  # "Case No. 16", "DHR 2021/03"
    partnership: str = ""  # CSP
    area: str = ""
    region: str = ""
    year: int | None = None  # year of death or review
    publication_date: dt.date | None = None
    is_demo: bool = False


@dataclass
class ParsedPlan:
    source_file: str  # file name as given by the user (no directories)
    sha256: str
    format: str  # one of FORMATS
    importer_version: str
    case: CaseMeta = field(default_factory=CaseMeta)
    as_of_date: dt.date | None = None  # review meeting or update date
    recommendations: list[ParsedRecommendation] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)

    @property
    def actions(self) -> list[ParsedAction]:
        return [a for r in self.recommendations for a in r.actions]

    def warn(self, provenance: Provenance, field_name: str, message: str, severity: str = "warning") -> None:
        self.warnings.append(ImportWarning(provenance, field_name, message, severity))


class ImportFailed(Exception):
    """A file that cannot be imported. The message names the file and the place."""

    def __init__(self, file: str, message: str, where: str = ""):
        self.file, self.where, self.reason = file, where, message
        place = f" ({where})" if where else ""
        super().__init__(f"{file}{place}: {message}")
