"""Turn tables of cell text into recommendations and actions, whatever the file format.

Every table-based importer (CSV, XLSX, DOCX, PDF) reads its file into `Grid`s (rows of
cell strings with where they came from) and hands them to `plans_from_grids`. This
module finds the header row, maps columns to fields by header similarity, follows banner
rows ("Overview Report Recommendations", an agency name across the row), joins rows that
continue a recommendation or an action, and splits a multi-case tracker into one plan per
case. It fills raw fields only: normalisation comes afterwards.
"""
from __future__ import annotations

import colorsys
import datetime as dt
import enum
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rapidfuzz import fuzz, process

from dhrlearn import config
from dhrlearn.model import CaseMeta, ImportFailed, ImportWarning, ParsedAction, ParsedPlan, ParsedRecommendation, Provenance


class Merged(enum.Enum):
    """A cell covered by a merged cell: from the left (same row) or from above."""

    LEFT = "left"
    UP = "up"


@dataclass
class Grid:
    """One table as read from a file.

    rows: cell text, or a Merged marker where a merged cell covers the position.
    location: "Sheet1", "table 2", "page 3 table 1".
    row_labels: one per row, "row 7"; used in provenance.
    continues_previous: the same table as the grid before it, carried over a page break
    (PDF): it may have no header of its own, and its first row may finish the last row.
    preamble: text just before the table (document paragraphs): section headings there
    ("Single Agency Recommendations", then an agency name) act as banner rows.
    fills: background colours of cells, so a RAG column coloured but left blank still reads.
    """

    rows: list[list]
    location: str
    row_labels: list[str] = field(default_factory=list)
    continues_previous: bool = False
    preamble: list[str] = field(default_factory=list)
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> "FF0000" cell colour

    def __post_init__(self) -> None:
        if not self.row_labels:
            self.row_labels = [f"row {i + 1}" for i in range(len(self.rows))]


class NoTableFound(Exception):
    """No table in the file has a header that names recommendation or action columns."""

    def __init__(self, looked_at: list[str]):
        self.looked_at = looked_at
        super().__init__("no table with a recognisable header in " + ", ".join(looked_at))


def check_zip(data: bytes, name: str, kind: str) -> None:
    """Refuse a DOCX/XLSX that is not a zip, or whose contents would expand past the limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise ImportFailed(name, f"is not a valid {kind} (the file is damaged or is another kind of file)") from None
    total = sum(e.file_size for e in entries)
    if total > config.MAX_UNZIPPED_BYTES:
        biggest = max(entries, key=lambda e: e.file_size)
        raise ImportFailed(
            name, f"expands to {total / 1e6:,.0f} MB when unpacked (limit {config.MAX_UNZIPPED_BYTES / 1e6:,.0f} MB); "
            "it looks like a zip bomb and was not opened", f"part {biggest.filename}")


def rag_colour(fill: str) -> str:
    """'Red', 'Amber', 'Green' or 'Blue' for a strong cell colour given as RRGGBB; '' for pale or grey."""
    fill = fill.lstrip("#")[-6:]
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", fill):
        return ""
    r, g, b = (int(fill[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, saturation, value = colorsys.rgb_to_hsv(r, g, b)
    if saturation < 0.35 or value < 0.3:
        return ""
    degrees = hue * 360
    for name, upper in (("Red", 15), ("Amber", 65), ("Green", 170), ("Blue", 265), ("Red", 361)):
        if degrees < upper:
            return name if not (265 <= degrees < 330) else ""
    return ""


# ---------------------------------------------------------------- header mapping

# Field -> header wordings seen in real plans. Matching is by similarity, so
# small variations ("Action(s)", "Progress Update (date)") need no entry.
HEADER_ALIASES: dict[str, list[str]] = {
    "number": ["no", "ref", "reference", "rec no", "rec ref", "ref no", "recommendation number",
               "recommendation no", "recommendation ref", "number", "item", "para", "paragraph", "#"],
    "recommendation": ["recommendation", "recommendations", "recommendation text", "description of recommendation",
                       "rec", "recommendation detail", "recommendation made"],
    "scope": ["scope of recommendation", "scope", "local or regional", "local regional or national"],
    "action": ["action to take", "action required by agency", "action", "actions", "action required",
               "actions to be taken", "action to be taken", "proposed action", "specific action", "action planned",
               "agreed action", "actions agreed", "what will be done"],
    "lead_agency": ["lead agency", "agency", "lead organisation", "responsible agency", "organisation",
                    "agency responsible", "lead partner", "responsible organisation"],
    "lead": ["implementation lead", "lead", "lead officer", "owner", "responsible officer", "named lead",
             "action owner", "responsible person", "lead person", "by whom", "who"],
    "update": ["key milestones achieved in enacting recommendation", "summary of action taken and date", "progress",
               "update", "progress update", "updates", "comments", "evidence", "action taken", "milestones",
               "progress to date", "latest update", "evidence of completion", "notes", "summary",
               "update on progress", "progress and evidence", "key milestones"],
    "target_date": ["target date", "target date for completion", "timescale", "timescales", "deadline", "due date",
                    "by when", "when", "target", "completion target", "target completion date", "date due"],
    "completion": ["date of completion and outcome", "date completed", "completion date", "date of completion",
                   "completed on", "date closed", "outcome", "completed", "complete", "done", "achieved"],
    "status": ["status", "progress status", "current status", "status of action", "complete or ongoing"],
    "rag": ["rag", "rag rating", "rag status", "red amber green", "rag rated"],
    "case": ["case", "dhr", "case reference", "dhr reference", "case no", "dhr ref", "dhr no", "case dhr",
             "dhr case", "case name", "review", "dhr name"],
    "partnership": ["partnership", "csp", "community safety partnership", "area"],
    "level": ["level", "recommendation type", "overview or single agency", "single agency or overview",
              "type of recommendation", "type"],
}
MATCH_THRESHOLD = 85
_CHOICES = [(f, alias) for f, aliases in HEADER_ALIASES.items() for alias in aliases]
_ALIAS_TEXTS = [alias for _, alias in _CHOICES]
# A row is a header when it maps at least two columns, one of them saying what the row is about.
_KEY_FIELDS = {"recommendation", "number", "action"}
ACTION_FIELDS = ("action", "lead_agency", "lead", "update", "target_date", "completion", "status", "rag")
# A "Completed?" / "Done (Y/N)" column answered "Y", "N", "No" or with a tick or cross: kept as the status
# as written (a longer word already is), never dropped.
_YES_NO = re.compile(r"\s*(?:y|n|no|[✔✓☑✅✗✘☒])\s*", re.IGNORECASE)


@lru_cache(maxsize=65536)  # called for every cell of every row when looking for repeated headers
def header_key(text: str) -> str:
    """Lower-case words only, parenthetical asides dropped: '(i.e. local or regional)'."""
    text = re.sub(r"\(.*?\)", " ", text.lower())
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", text).split())


def _similarity(a: str, b: str, **_) -> float:
    """Word order aside, or spaces aside: a narrow PDF column breaks "recomme ndation" mid-word."""
    return max(fuzz.token_sort_ratio(a, b), fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")))


@lru_cache(maxsize=4096)
def match_header(text: str) -> tuple[str | None, float]:
    """The field a header cell names, and how sure (0..100); None when nothing is close."""
    key = header_key(text)
    if not key or len(key) > 80:
        return None, 0.0
    found = process.extractOne(key, _ALIAS_TEXTS, scorer=_similarity)
    if found is None or found[1] < MATCH_THRESHOLD:
        return None, found[1] if found else 0.0
    return _CHOICES[found[2]][0], found[1]


@dataclass
class ColumnMap:
    fields: dict[int, str]  # column index -> field
    scores: dict[int, float]
    extra: dict[int, str]  # column index -> header text as written, for unmapped columns
    header_cells: list[str]

    def column(self, name: str) -> int | None:
        return self._by_field.get(name)

    @cached_property
    def _by_field(self) -> dict[str, int]:
        return {f: i for i, f in reversed(self.fields.items())}  # the first column naming a field wins


def map_columns(cells: list) -> ColumnMap:
    texts = [c if isinstance(c, str) else "" for c in cells]
    best: dict[str, tuple[int, float]] = {}
    for i, text in enumerate(texts):
        name, score = match_header(text)
        if name and (name not in best or score > best[name][1]):
            best[name] = (i, score)
    # A "Lead" column beside a "Lead Agency" column holds people.
    fields = {i: name for name, (i, _) in best.items()}
    scores = {i: s for _, (i, s) in best.items()}
    extra, seen = {}, set()
    for i, text in enumerate(texts):
        if i not in fields and text.strip():
            label = " ".join(text.split())
            while label in seen:
                label += " (2)"
            seen.add(label)
            extra[i] = label
    return ColumnMap(fields, scores, extra, texts)


def is_header_row(cells: list) -> ColumnMap | None:
    texts = [c for c in cells if isinstance(c, str) and c.strip()]
    if len(texts) < 2 or any(len(t) > 100 for t in texts):
        return None
    cmap = map_columns(cells)
    if len(cmap.fields) >= 2 and _KEY_FIELDS & set(cmap.fields.values()):
        return cmap
    return None


# ---------------------------------------------------------------- numbering and banners

_REC_MARKER = re.compile(
    r"^\s*(?P<marker>"
    r"(?:recommendation|rec)\.?\s*(?:no\.?|number|#)?\s*\d+(?:\.\d+)*(?:\s*\(?[a-z]\))?"  # Recommendation No 1
    r"|\d+(?:\.\d+)+(?:\s*\(?[a-z]\))?"  # 5.1, 3.140(a)
    r"|\d{1,3}(?:\s*\(?[a-z]\))?(?=[.):]?\s|[.):]?$)"  # 1  1.  1)  2(a); not a year
    r"|R\d+(?:\.\d+)*"  # R1, R2.1
    r")\s*[.):\-–]?\s*",
    re.IGNORECASE,
)
_SUB_PART = re.compile(r"^\s*\(?(?P<marker>[a-h]|i{1,3}|iv|vi{0,3})\)\s*")
OVERVIEW_WORDS = re.compile(r"\boverview\b|\bmulti[- ]agency recommendations\b", re.IGNORECASE)
SINGLE_AGENCY_WORDS = re.compile(r"\bsingle[- ]agency\b|\bindividual agency\b", re.IGNORECASE)
_BANNER_NOISE = re.compile(
    r"^(single[- ]agency|individual agency)\s+recommendations?\s*[:\-–]*\s*|\s*[:\-–]*\s*(single[- ]agency\s+)?"
    r"(recommendations?|imr)\s*$",
    re.IGNORECASE,
)
_SMALL_WORDS = {"of", "and", "the", "for", "&", "in", "on", "at", "to", "-", "–", "/"}


def split_number(text: str) -> tuple[str, str]:
    """('Recommendation No 1', 'The constituent...') from a cell that starts with its number."""
    m = _REC_MARKER.match(text)
    if not m:
        return "", text.strip()
    return m.group("marker").strip(), text[m.end():].strip()


def sub_part(text: str) -> str:
    """'a)' for a cell that starts a sub-part such as 'a) Agencies when...', else ''."""
    m = _SUB_PART.match(text)
    return m.group(0).strip() if m else ""


def looks_like_banner(text: str) -> bool:
    """A heading across a row: a section name or an agency name, not a sentence."""
    text = text.strip()
    if OVERVIEW_WORDS.search(text) or SINGLE_AGENCY_WORDS.search(text):
        return len(text.split()) <= 12
    words = text.rstrip(".").split()
    if not words or len(words) > 8 or text.endswith(":") or _REC_MARKER.match(text) or sub_part(text):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _SMALL_WORDS or not w[0].isalpha() for w in words)


def banner_agency(text: str) -> str:
    """'West Mercia Police' from 'Single Agency Recommendations – West Mercia Police Recommendations'."""
    cleaned = _BANNER_NOISE.sub("", text.strip())
    cleaned = _BANNER_NOISE.sub("", cleaned)
    return cleaned.strip(" :-–")


# ---------------------------------------------------------------- people or agencies in a "Lead" column

_TITLES = {"ds", "di", "dc", "dci", "dsi", "pc", "ps", "sgt", "insp", "supt", "dr", "mr", "mrs", "ms", "miss", "mx",
           "prof"}
_AGENCY_WORDS = re.compile(
    r"\b(agenc|police|constabulary|council|partnership|board|trust|service|team|group|nhs|icb|ccg|csp|gp|"
    r"practice|probation|aid|refuge|housing|safeguarding|care|children|adult|health|hospital|unit|mash|marac|"
    r"idva|department|office|authority|commission|cranstoun|cgl|all|force|ambulance|school|college|university|"
    r"association|network|centre|center|project|ltd|limited|cic|charity|foundation|hub)",
    re.IGNORECASE,
)


def looks_like_person(text: str) -> bool:
    """'Matt Burke', 'DS Sharon Wallace': two to four capitalised words and no agency word."""
    words = text.replace(".", " ").split()
    if words and words[0].lower() in _TITLES:
        words = words[1:]
    if not 2 <= len(words) <= 4 or _AGENCY_WORDS.search(text):
        return False
    return all(re.fullmatch(r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*|[A-Z]", w) for w in words)


# ---------------------------------------------------------------- case metadata

_CASE_REF = re.compile(
    r"\b(?:Case\s*(?:No\.?|Number|Ref(?:erence)?\.?)?\s*:?\s*\d+[A-Za-z]?"
    r"|(?:DHR|DARDR)\s*(?:No\.?|Ref\.?)?\s*:?\s*[A-Z]{0,4}\d[\w/.\-]*"
    r"|(?:DHR|DARDR)\s+[A-Z][a-z]*(?:\s+[A-Z][a-z]*)?(?=\s*[-–:(]|\s*$))",
)
_PARTNERSHIP = re.compile(r"((?:[A-Z][\w'&-]*\s+){1,5}(?:Community Safety Partnership|CSP)\b)")
_AS_OF = re.compile(
    r"\b(?:updated?(?:\s+on)?|as\s+at|as\s+of|review(?:ed)?(?:\s+meeting)?(?:\s+(?:at|on|held))?|"
    r"last\s+updated|date\s+of\s+update|position\s+at|meeting(?:\s+(?:on|held))?)\s*:?\s*"
    r"(?P<date>\d{1,2}(?:st|nd|rd|th)?[./\-\s]+(?:\d{1,2}|[A-Za-z]{3,9})[./\-\s]+\d{2,4}|\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:year|death|died|review(?:ed)?\s+in|DHR)\D{0,12}((?:19|20)\d{2})\b", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def parse_day(text: str) -> dt.date | None:
    """A day-first date in a metadata line: 12/01/2023, 12.01.23, 12 January 2023, 2023-01-12."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        y, mo, d = map(int, m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?[./\-\s]+(\d{1,2}|[A-Za-z]{3,9})[./\-\s]+(\d{2,4})", text)
        if not m:
            return None
        d, mo_text, y = int(m.group(1)), m.group(2), int(m.group(3))
        mo = int(mo_text) if mo_text.isdigit() else _MONTHS.get(mo_text[:3].lower(), 0)
        y += 2000 if y < 100 else 0
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


_LABELLED = re.compile(
    r"^(?P<label>case\s*(?:reference|ref\.?|no\.?|number)|dhr\s*(?:reference|ref\.?)|"
    r"(?:community\s+safety\s+)?partnership|csp|year(?:\s+of\s+(?:death|review))?(?:\s+or\s+review)?)"
    r"\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)


def _read_labelled(line: str, case: CaseMeta) -> None:
    """'Case reference: DHR 2021/03', 'Partnership: Wyre Forest CSP', 'Year: 2021' (the blank template)."""
    m = _LABELLED.match(line)
    if not m:
        return
    label, value = m.group("label").lower(), m.group("value").strip()
    if label.startswith(("case", "dhr")) and not case.reference:
        case.reference = value
    elif ("partnership" in label or label == "csp") and not case.partnership:
        case.partnership = value
    elif label.startswith("year") and case.year is None and (y := re.search(r"(?:19|20)\d{2}", value)):
        case.year = int(y.group(0))


def read_case_metadata(lines: list[str]) -> tuple[CaseMeta, dt.date | None]:
    """Case reference, partnership, year and the as-of date from title lines and paragraphs."""
    case, as_of = CaseMeta(), None
    for line in lines:
        line = " ".join(line.split())
        _read_labelled(line, case)
        if not case.reference and (m := _CASE_REF.search(line)):
            case.reference = m.group(0).strip()
        if not case.partnership and (m := _PARTNERSHIP.search(line)):
            case.partnership = re.sub(r"^(?:(?:The|the|of|by|and|for|Partnership|CSP)\s+)+", "", m.group(1).strip())
        if as_of is None and (m := _AS_OF.search(line)):
            as_of = parse_day(m.group("date"))
        if case.year is None and (m := _YEAR.search(line)):
            case.year = int(m.group(1))
    return case, as_of


# ---------------------------------------------------------------- rows to recommendations


@dataclass
class _Row:
    cells: list
    location: str
    label: str
    page_break_before: bool = False
    fills: dict[int, str] = field(default_factory=dict)  # column -> cell colour


def _text(cell) -> str:
    return cell.strip() if isinstance(cell, str) else ""


def _append(old: str, new: str, sep: str = " ") -> str:
    new = new.strip()
    if not new or old.endswith(new):
        return old
    return f"{old}{sep}{new}" if old else new


_LABEL = re.compile(r"^(row|line)s? (\d+)(?:-(\d+))?$")


def _span(first: _Row, last: _Row) -> tuple[str, str]:
    """Location and rows of a run of rows: ("Sheet1", "rows 7-9"); over a page break both ends."""
    if first.location != last.location:
        return f"{first.location} to {last.location}", f"{first.label} to {last.label}"
    a, b = _LABEL.match(first.label), _LABEL.match(last.label)
    if a and b and a.group(1) == b.group(1):
        start, end = a.group(2), b.group(3) or b.group(2)
        return first.location, f"{a.group(1)} {start}" if start == end else f"{a.group(1)}s {start}-{end}"
    return first.location, first.label if first.label == last.label else f"{first.label} to {last.label}"


@dataclass
class _CaseGroup:
    reference: str
    partnership: str = ""
    recommendations: list[ParsedRecommendation] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # title lines of its own tables


class _TableReader:
    """Walks the data rows of one or more tables that share a header."""

    def __init__(self, file: str):
        self.file = file
        self.file_warnings: list[ImportWarning] = []  # shown with every case in the file
        self.cmap: ColumnMap | None = None
        self.level: str | None = None
        self.owning_agency = ""
        self.rec: ParsedRecommendation | None = None
        self.action: ParsedAction | None = None
        self.rec_rows: list[_Row] = []
        self.action_rows: list[_Row] = []
        self.numbered = False
        self.cases: dict[str, _CaseGroup] = {}
        self.case_key = ""
        self.case_column_seen = False

    # -- helpers
    def value(self, row: _Row, name: str) -> str:
        i = self.cmap.column(name) if self.cmap else None
        return _text(row.cells[i]) if i is not None and i < len(row.cells) else ""

    def is_up(self, row: _Row, name: str) -> bool:
        i = self.cmap.column(name) if self.cmap else None
        return i is not None and i < len(row.cells) and row.cells[i] is Merged.UP

    def provenance(self, rows: list[_Row]) -> Provenance:
        location, label = _span(rows[0], rows[-1])
        return Provenance(self.file, location, label)

    def group(self) -> _CaseGroup:
        return self.cases.setdefault(self.case_key, _CaseGroup(self.case_key))

    def start_case_from_title(self, title: list[str]) -> None:
        """A table whose title names a case (one sheet per case) starts that case's plan."""
        reference = read_case_metadata(title)[0].reference
        if reference and reference != self.case_key and not (self.cmap and self.cmap.column("case") is not None):
            if self.cases or self.case_key:
                self.level, self.owning_agency = None, ""
            self.case_key = reference
        self.group().lines.extend(title)

    def warn(self, provenance: Provenance, field_name: str, message: str, severity: str = "warning") -> None:
        self.group().warnings.append(ImportWarning(provenance, field_name, message, severity))

    def plans(self, lines: list[str], **plan_fields) -> list[ParsedPlan]:
        case, as_of = read_case_metadata(lines)
        plans = []
        for key, group in self.cases.items():
            if not group.recommendations:
                continue
            own, own_as_of = read_case_metadata(group.lines + lines)
            plan = ParsedPlan(source_file=self.file, case=own, as_of_date=own_as_of,
                              recommendations=group.recommendations,
                              warnings=self.file_warnings + group.warnings, **plan_fields)
            plan.case.reference = key or plan.case.reference
            plan.case.partnership = group.partnership or plan.case.partnership
            if self.case_column_seen:  # a tracker: a year in the reference, else the one its title states
                year = _YEAR.search(key)
                plan.case.year = int(year.group(1)) if year else case.year
            plans.append(plan)
        if not plans:
            plan = ParsedPlan(source_file=self.file, case=case, as_of_date=as_of, warnings=self.file_warnings,
                              **plan_fields)
            plan.warn(Provenance(self.file), "recommendation", "a header row was found but no recommendations below it")
            plans.append(plan)
        return plans

    def read_preamble(self, lines: list[str]) -> None:
        """Section headings just above a table act as banners; an agency name counts only inside
        a single-agency section, so document titles are not taken for agencies."""
        for line in lines:
            line = " ".join(line.split())
            if OVERVIEW_WORDS.search(line) or SINGLE_AGENCY_WORDS.search(line):
                if len(line.split()) <= 12:
                    self.apply_banner(line)
            elif self.level == "single_agency" and looks_like_banner(line) and not _CASE_REF.search(line):
                self.apply_banner(line)

    def read_any_row(self, row: _Row) -> None:
        if not any(_text(c) for c in row.cells) or self.is_repeated_header(row):
            return
        banner = self.banner(row)
        if banner:
            self.apply_banner(banner)
        else:
            self.read_row(row)

    # -- structure
    def start_table(self, cmap: ColumnMap, rows: list[_Row], continuing: bool = False) -> None:
        self.cmap = cmap
        self.numbered = (continuing and self.numbered) or self._table_is_numbered(rows)

    def _table_is_numbered(self, rows: list[_Row]) -> bool:
        if self.cmap.column("number") is not None:
            return True
        return any(split_number(self.value(r, "recommendation"))[0] for r in rows)

    def banner(self, row: _Row) -> str | None:
        texts = [_text(c) for c in row.cells if _text(c)]
        if not texts or len(set(texts)) != 1:
            return None
        text = texts[0]
        spans_row = any(c is Merged.LEFT for c in row.cells) or len(texts) > 1
        first_only = len(texts) == 1 and _text(row.cells[0]) == text
        if OVERVIEW_WORDS.search(text) or SINGLE_AGENCY_WORDS.search(text):
            return text if len(text.split()) <= 12 and (spans_row or first_only) else None
        if (spans_row or (first_only and len(row.cells) > 2)) and looks_like_banner(text):
            return text
        return None

    def apply_banner(self, text: str) -> None:
        self.finish_rec()
        if OVERVIEW_WORDS.search(text) and not SINGLE_AGENCY_WORDS.search(text):
            self.level, self.owning_agency = "overview", ""
        else:  # "Single Agency Recommendations", or an agency's name: single-agency from here on
            self.level, self.owning_agency = "single_agency", banner_agency(text)

    def is_repeated_header(self, row: _Row) -> bool:
        if self.cmap is None:
            return False
        same = sum(
            1 for i, c in enumerate(row.cells)
            if _text(c) and i < len(self.cmap.header_cells) and header_key(_text(c)) == header_key(self.cmap.header_cells[i])
        )
        filled = sum(1 for c in row.cells if _text(c))
        return filled >= 2 and same >= max(2, filled * 0.6)

    # -- recommendations and actions
    def new_rec(self, number_raw: str, text: str, row: _Row) -> None:
        self.finish_rec()
        self.rec = ParsedRecommendation(number_raw=number_raw, text=text, level=self.level,
                                        owning_agencies_raw=self.owning_agency)
        level_cell = self.value(row, "level")
        if level_cell:
            self.rec.level = ("single_agency" if SINGLE_AGENCY_WORDS.search(level_cell) or "single" in level_cell.lower()
                              else "overview" if "overview" in level_cell.lower() else self.rec.level)
            self.rec.extra["level"] = level_cell
        self.rec.scope_raw = self.value(row, "scope")
        self.rec_rows = [row]
        self.action, self.action_rows = None, []

    def finish_rec(self) -> None:
        if self.rec is None:
            return
        self.finish_action()
        self.rec.provenance = self.provenance(self.rec_rows)
        if self.cmap and self.cmap.column("number") is None and not self.rec.number_raw:
            self.warn(self.rec.provenance, "number", "recommendation has no number", "info")
        self.group().recommendations.append(self.rec)
        self.rec = None

    def finish_action(self) -> None:
        if self.action is not None and self.rec is not None:
            self.action.provenance = self.provenance(self.action_rows)
            self.rec.actions.append(self.action)
        self.action, self.action_rows = None, []

    def row_has_action_data(self, row: _Row) -> bool:
        return any(self.value(row, f) for f in ACTION_FIELDS) or any(
            _text(row.cells[i]) for i in (self.cmap.extra if self.cmap else {}) if i < len(row.cells))

    def new_action(self, row: _Row) -> None:
        previous = self.action or (self.rec.actions[-1] if self.rec and self.rec.actions else None)
        self.finish_action()
        self.action = ParsedAction()
        self.action_rows = [row]
        self.fill_action(row, previous=previous)

    def fill_action(self, row: _Row, previous: ParsedAction | None = None, sep: str = "\n") -> None:
        """Add this row's action cells to the current action; merged-from-above cells repeat the previous."""
        a = self.action
        cmap = self.cmap
        for name in ACTION_FIELDS:
            text = self.value(row, name)
            if not text and previous is not None and self.is_up(row, name):
                text = _inherited(previous, name)
            if not text and name == "rag" and (colour := rag_colour(row.fills.get(cmap.column("rag"), ""))):
                text = colour
                a.confidence["rag"] = 0.9  # read from the cell's colour, not its text
            if not text:
                continue
            joiner = " " if name in ("action", "lead_agency", "lead") else sep
            if name == "action":
                a.text = _append(a.text, text, joiner)
            elif name == "lead_agency":
                a.lead_agency_raw = _append(a.lead_agency_raw, text, joiner)
            elif name == "lead":
                self._fill_lead(a, text)
            elif name == "update":
                a.update_text = _append(a.update_text, text, sep)
            elif name == "target_date":
                a.target_date_raw = _append(a.target_date_raw, text, sep)
            elif name == "completion":
                # "Date of completion and outcome" holds a date, an outcome word, or both.
                if re.search(r"\d", text):
                    a.completion_date_raw = _append(a.completion_date_raw, text, sep)
                if cmap.column("status") is None and (re.search(r"[A-Za-z]{3}", text) or _YES_NO.fullmatch(text)):
                    a.status_raw = _append(a.status_raw, text, sep)
            elif name == "status":
                a.status_raw = _append(a.status_raw, text, " ")
            elif name == "rag":
                a.rag = _append(a.rag, text, " ")
        for i, header in cmap.extra.items():
            text = _text(row.cells[i]) if i < len(row.cells) else ""
            if text:
                a.extra[header] = _append(a.extra.get(header, ""), text, sep)
        for name in ACTION_FIELDS:
            score = cmap.scores.get(cmap.column(name)) if cmap.column(name) is not None else None
            if score is not None and score < 100:
                attr = _FIELD_ATTR[name]
                a.confidence[attr] = min(a.confidence.get(attr, 1.0), round(score / 100, 2))

    def _fill_lead(self, a: ParsedAction, text: str) -> None:
        has_agency_column = self.cmap.column("lead_agency") is not None
        if has_agency_column or looks_like_person(text):
            a.named_lead = _append(a.named_lead, text, " ")
            if not has_agency_column:
                a.confidence["named_lead"] = 0.8
        else:
            a.lead_agency_raw = _append(a.lead_agency_raw, text, "\n")

    def read_row(self, row: _Row) -> None:
        if self.cmap.column("case") is not None:
            self.case_column_seen = True
            case_cell = self.value(row, "case")
            if case_cell and case_cell != self.case_key:
                self.finish_rec()
                self.case_key = case_cell
            partnership = self.value(row, "partnership")
            if partnership and not self.group().partnership:
                self.group().partnership = partnership

        if row.page_break_before and self.rec is not None and self._continues_split_row(row):
            self.join_split_row(row)
            return

        number_cell = self.value(row, "number")
        rec_cell = self.value(row, "recommendation")
        rec_up = self.is_up(row, "recommendation") or self.is_up(row, "number")
        number_raw, rec_text = "", rec_cell
        if self.cmap.column("number") is not None:
            number_raw = number_cell
        elif rec_cell:
            number_raw, rec_text = split_number(rec_cell)

        part = sub_part(number_raw) if number_raw and _SUB_PART.fullmatch(number_raw + " ") else ""
        if part and self.rec is not None:
            self.add_sub_part(part, rec_text, row)
            return
        if number_raw and sub_part(number_raw) == number_raw and self.rec is None:
            part = number_raw  # a sub-part with no parent: keep it as its own recommendation

        same_rec = self.rec is not None and (
            rec_up or (number_raw and number_raw == self.rec.number_raw)
            or (not number_raw and (self.numbered or not rec_text))
            or (rec_text and self.rec.text.endswith(rec_text) and not number_raw)
        )
        if self.rec is None or not same_rec:
            if not (number_raw or rec_text):
                if self.row_has_action_data(row):
                    self.warn(Provenance(self.file, row.location, row.label), "recommendation",
                                   "row has action details but no recommendation above it")
                    self.new_rec("", "", row)
                else:
                    return
            else:
                self.new_rec(number_raw, rec_text, row)
                if self.row_has_action_data(row):
                    self.new_action(row)
                return

        # Same recommendation, another row.
        self.rec_rows.append(row)
        if rec_text and not rec_up:
            if sub_part(rec_text):
                self.rec.text = _append(self.rec.text, rec_text, " ")
            elif not self.rec.text.endswith(rec_text):
                self.rec.text = _append(self.rec.text, rec_text, " ")
        if not self.row_has_action_data(row):
            return
        if self.action is None or (self.value(row, "action") and not self.is_up(row, "action")):
            self.new_action(row)
        else:
            self.action_rows.append(row)
            self.fill_action(row)

    def add_sub_part(self, part: str, text: str, row: _Row) -> None:
        """'a)' rows under a recommendation: the text joins the recommendation, the row is an action."""
        self.rec_rows.append(row)
        labelled = f"{part} {text}".strip()
        self.rec.text = _append(self.rec.text, labelled, " ")
        if self.row_has_action_data(row) or text:
            self.new_action(row)
            if not self.action.text:
                self.action.text = labelled

    def _continues_split_row(self, row: _Row) -> bool:
        """The first row after a page break finishes the row before it when it starts no recommendation."""
        if self.cmap.column("number") is not None:
            return not self.value(row, "number")
        return not split_number(self.value(row, "recommendation"))[0]

    def join_split_row(self, row: _Row) -> None:
        self.rec_rows.append(row)
        rec_text = self.value(row, "recommendation")
        if rec_text:
            self.rec.text = _append(self.rec.text, rec_text, " ")
        if self.action is None:
            if self.row_has_action_data(row):
                self.new_action(row)
            return
        self.action_rows.append(row)
        self.fill_action(row, sep=" ")


_FIELD_ATTR = {"action": "text", "lead_agency": "lead_agency_raw", "lead": "named_lead", "update": "update_text",
               "target_date": "target_date_raw", "completion": "completion_date_raw", "status": "status_raw",
               "rag": "rag"}


def _inherited(previous: ParsedAction, name: str) -> str:
    if name == "lead":
        return previous.named_lead or previous.lead_agency_raw
    return getattr(previous, _FIELD_ATTR[name])


def plans_from_grids(
    grids: list[Grid],
    *,
    file: str,
    sha256: str,
    fmt: str,
    importer_version: str,
    metadata_lines: list[str] | None = None,
) -> list[ParsedPlan]:
    """One ParsedPlan per case found in these tables (one, unless a Case column says otherwise).

    metadata_lines: text around the tables (document paragraphs, page text) read for the
    case reference, partnership and as-of date. Raises NoTableFound when no grid has a header.
    """
    reader = _TableReader(file)
    lines = list(metadata_lines or [])
    found_header = False
    for grid in grids:
        rows = [_Row(cells, grid.location, label, fills={c: f for (r, c), f in grid.fills.items() if r == i})
                for i, (cells, label) in enumerate(zip(grid.rows, grid.row_labels))]
        header_at = next((i for i, r in enumerate(rows[:25]) if is_header_row(r.cells)), None)
        if header_at is not None:
            title = grid.preamble + [_row_text(r) for r in rows[:header_at]]
            lines.extend(title)
            if not grid.continues_previous:
                reader.finish_rec()
                reader.start_case_from_title(title)
            reader.start_table(is_header_row(rows[header_at].cells), rows[header_at + 1:], grid.continues_previous)
            data_rows = rows[header_at + 1:]
            found_header = True
        elif reader.cmap and _fits(reader.cmap, rows) and (grid.continues_previous or _looks_like_data(reader, rows)):
            data_rows = rows  # the same table carried on (over a page, or split in two)
        else:
            lines.extend(_row_text(r) for r in rows)
            if any(_row_text(r) for r in rows):
                reader.file_warnings.append(ImportWarning(
                    Provenance(file, grid.location), "header",
                    "no recognisable header row; the table was read as text for case details", "info"))
            continue
        reader.read_preamble(grid.preamble)
        if grid.continues_previous and data_rows:
            data_rows[0].page_break_before = True
        for row in data_rows:
            reader.read_any_row(row)
    reader.finish_rec()
    if not found_header:
        raise NoTableFound([g.location for g in grids] or ["the file"])
    return reader.plans(lines, sha256=sha256, format=fmt, importer_version=importer_version)


def _row_text(row: _Row) -> str:
    seen: list[str] = []
    for c in row.cells:
        t = _text(c)
        if t and t not in seen:
            seen.append(t)
    return " ".join(seen)


def _fits(cmap: ColumnMap, rows: list[_Row]) -> bool:
    width = len(cmap.header_cells)
    return bool(rows) and all(len(r.cells) == width for r in rows)


def _looks_like_data(reader: _TableReader, rows: list[_Row]) -> bool:
    """A headerless table with the same columns whose rows carry recommendation numbers."""
    return any(split_number(reader.value(r, "recommendation"))[0] or reader.value(r, "number") for r in rows)
