"""Import an action plan from plain text, such as text taken out of a PDF.

Text extraction interleaves a table's columns: a line holds fragments of several
cells separated by tabs, a cell wraps over many lines, and page breaks shift the
columns. This importer is heuristic, so every field it fills carries a confidence
(0..1) and text it cannot place is kept in `unplaced_text`, never dropped.

How it reads a plan:
1. Lines are split on tabs into fields; form feeds mark pages.
2. A header line ("Recommendation | Action ... | Lead | Target Date | Summary ...")
   gives each column a role. A line with fewer fields than the header is read
   right-aligned: the first field is the recommendation column and the last fields
   are the last columns (PDF text drops empty cells in the middle of a row).
3. Recommendation markers at the start of a line ("Recommendation No 1",
   "Recommendation 10", "Rec 3", "5.1", "3.140(a)") start a recommendation.
   Sub-parts a) b) c) stay inside their recommendation's text.
4. Section banners ("Overview Report Recommendations", "Single Agency Reco...")
   set the level; an agency banner (a short line naming an agency just before a
   marker, often split across columns: "Cranstoun Word | l restershire") sets the
   owning agency of the recommendations below it and implies single-agency level.
5. Plans without tab columns are read by labels ("Action:", "Lead:", "Target date:",
   "Status:", "Update:"); unlabelled lines after the marker are the recommendation.
6. The status stays in the update text ("... Complete", "Incomplete - to be updated")
   for the normaliser to read; status_raw is set only from a status column or label.
7. Update text that continues the previous recommendation's cell (its status word
   comes first, then the recommendation's own update) is moved back to the previous
   recommendation when that one has no final status word; see `_move_carried_over_updates`.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from dhrlearn.importers import sha256_of
from dhrlearn.model import (
    ImportFailed,
    ParsedAction,
    ParsedPlan,
    ParsedRecommendation,
    Provenance,
)

IMPORTER_VERSION = "text/1.0"
LOW_CONFIDENCE = 0.6  # fields below this get a warning for the review step

# --- vocabularies used only to find structure; normalisation happens later ----------

MARKER_RE = re.compile(
    r"""^(?P<marker>
        (?:recommendation|rec\.?)\s*(?:no\.?|number|\#)?\s*(?P<named>\d+(?:\.\d+)*(?:\s?\([a-z]\))?)
        (?=$|[\s:.)\-–])
      | (?P<dotted>\d{1,2}\.\d{1,3}(?:\s?\([a-z]\))?)(?=$|\s+(?-i:[A-Z(\"'‘“]))  # not "10.30 meeting"
      | (?P<plain>\d{1,2})\.(?=\s+(?-i:[A-Z]))
    )[\s:.\-–]*""",
    re.I | re.X,
)
SECTION_RE = re.compile(
    r"^(?:(?P<overview>overview(?:\s+report)?|multi[- ]agency|partnership)\s+reco"
    r"|(?P<single>single[- ]agency\s+reco|individual\s+agency\s+reco|agency\s+specific\s+reco))",
    re.I,
)
AGENCY_WORDS = re.compile(
    r"\b(police|constabulary|trust|group|council|partnership|board|services?|nhs|probation|icb|ccg|"
    r"hospital|practice|team|agency|agencies|authority|csp|sab|lscb|wcf|asc|gp|aid|refuge|housing|care|cranstoun|cgl|"
    r"change grow live|turning point|humankind|with you|children first|safeguarding|commissioning|"
    r"ambulance|fire|dwp|cafcass|cps|court|university|college|school|surgery|idva|mash|marac)\b",
    re.I,
)
PERSON_RE = re.compile(
    r"^(?:(?:DS|DI|DC|DCI|DCS|Supt|Dr|Mr|Mrs|Ms|Miss|Insp)\.?\s+)?"
    r"[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}$"
)
STATUS_PHRASES = (
    r"incomplete(?:\s*[-–—]\s*to be updated)?|partially complete|complete(?:d)?|not started|not yet due|"
    r"in progress|on track|ongoing|underway|achieved|not achieved|implemented|embedded|business as usual|"
    r"bau|closed|done|signed off|overdue|delayed|slipped|superseded|withdrawn|awaiting update|"
    r"update awaited|red|amber|green|blue"
)
LEADING_STATUS_RE = re.compile(rf"^(?P<word>{STATUS_PHRASES})\b", re.I)
RAG_WORDS = {"red", "amber", "green", "blue"}
ROLE_WORDS = re.compile(r"\b(lead|manager|head|officer|director|chair|team|coordinator|co-ordinator|nurse|advisor|adviser)\b", re.I)
ORG_WORDS = re.compile(r"\b(police|constabulary|trust|council|board|partnership|nhs|csp|icb|ccg|group|service)\b", re.I)
FINAL_STATUS_RE = re.compile(rf"(?:^|(?<=[\s.;:,()\-–—]))(?P<word>{STATUS_PHRASES})[.!]?\s*$", re.I)
# A status word ending one cell's text, followed by the next cell's text on the same line.
INNER_STATUS_RE = re.compile(rf"(?<=[.!?])\s+(?P<word>{STATUS_PHRASES})\s+(?=[A-Z])", re.I)
LABEL_RE = re.compile(
    r"^(?P<label>actions?(?: to take| required)?|lead(?: agency| officer)?|responsible(?: agency)?|owner|"
    r"target(?: date)?|deadline|status|rag(?: rating| status)?|update|progress|"
    r"(?:date of )?completion(?: date)?|date completed|scope)\s*[:–-]\s*(?P<rest>.*)$",
    re.I,
)
LABEL_ROLES = (
    ("status", r"^status"), ("rag", r"^rag"), ("completion", r"complet"), ("target", r"^(target|deadline)"),
    ("update", r"^(update|progress)"), ("scope", r"^scope"), ("lead", r"^(lead|responsible|owner)"),
    ("action", r"^action"),
)
HEADER_ROLES = (  # first match wins, so the specific names come first
    ("status", r"\bstatus\b|\brag\b"),
    ("completion", r"date of completion|completion date|date completed|outcome"),
    ("target", r"target|deadline|timescale|by when"),
    ("update", r"summary of action|milestone|progress|update|action taken|evidence"),
    ("scope", r"\bscope\b"),
    ("lead", r"\blead\b|responsible|owner|implementation"),
    ("action", r"\baction"),
    ("rec", r"recommendation"),
)
MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
MONTH_NUMBERS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
DATE_RE = (
    rf"\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})[a-z]*\.?(?:\s+\d{{4}})?"
)
TARGET_ONLY_RE = re.compile(
    rf"^(?:by\s+|end of\s+)?(?:{DATE_RE}|(?:{MONTHS})[a-z]*\.?\s+\d{{2,4}}|q[1-4]\s+\d{{4}}(?:/\d{{2,4}})?|"
    rf"(?:spring|summer|autumn|winter)\s+\d{{4}}|\d{{4}}(?:/\d{{2,4}})?|ongoing|immediate(?:ly)?|"
    rf"(?:{MONTHS})[a-z]*\s*[-–]\s*(?:{MONTHS})[a-z]*\s+\d{{2,4}})\.?$",
    re.I,
)
ANY_DATE_RE = re.compile(
    rf"{DATE_RE}|\b(?:{MONTHS})[a-z]*\.?\s+\d{{2,4}}\b|\bq[1-4]\s+\d{{4}}|\b(?:spring|summer|autumn|winter)\s+\d{{4}}",
    re.I,
)
REVIEW_DATE_RES = (
    re.compile(rf"\b(?:reviewed|review(?:\s+meeting)?)\s+(?:held\s+)?(?:at|on|of)?\s*(?P<date>{DATE_RE})", re.I),
    re.compile(rf"(?P<date>{DATE_RE})\s+(?:jan\w*\s+)?review", re.I),
    re.compile(rf"\b(?:position|updated?|status)\s+(?:as\s+)?(?:at|on)\s+(?P<date>{DATE_RE})", re.I),
)
HEADING_DATE_RE = re.compile(rf"\bas\s+(?:at|of):?\s+(?P<date>{DATE_RE})", re.I)  # "Action plan as at 30 April 2024"
CASE_REF_RES = (
    re.compile(r"\b(Case\s+(?:No\.?|Number)\s*\d+[\w/-]*)", re.I),
    re.compile(r"\b((?:DHR|DARDR)\s*(?:No\.?\s*)?\d+(?:[/-]\d+)*)", re.I),
)
PARTNERSHIP_RE = re.compile(
    r"((?:[A-Z][\w'’&-]+\s+){1,4}Community\s+Safety\s+Partnership|Safer(?:\s+[A-Z][\w'’&-]+){1,3}\s+Partnership)"
)
FURNITURE_RE = re.compile(r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d{1,3}|official(?:\s*-\s*sensitive)?)$", re.I)


# --- lines and blocks -----------------------------------------------------------------


@dataclass
class Line:
    number: int  # 1-based line number in the whole text
    page: int  # 0-based page index (form feeds)
    fields: list[str]
    after_gap: bool = False  # first on its page or after a blank line

    @property
    def text(self) -> str:
        return " ".join(f for f in self.fields if f)

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass
class Block:
    """The lines of one recommendation, and what was known when it started."""

    marker: str
    marker_line: Line
    level: str | None
    level_confidence: float
    agency: str
    agency_raw: str
    agency_confidence: float
    lines: list[Line] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)  # text found on banner lines after this block


def parse(data: bytes, name: str) -> list[ParsedPlan]:
    """Parse a .txt action plan (UTF-8, else Windows-1252)."""
    return parse_text(decode(data, name), name, sha256=sha256_of(data))


def decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:65536]:
        raise ImportFailed(name, "is binary data, not text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportFailed(name, "is neither UTF-8 nor Windows-1252 text", f"byte {exc.start}") from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(5, len(text) // 100):
        raise ImportFailed(name, f"does not look like text ({controls} control characters)")
    return text


def parse_text(
    text: str,
    name: str,
    fmt: str = "text",
    page_labels: list[str] | None = None,
    *,
    sha256: str | None = None,
) -> list[ParsedPlan]:
    """Parse extracted text into one plan.

    Pages are separated by form feeds; `page_labels[i]` names page i (default "1", "2"...).
    Callers holding the original file's bytes pass their `sha256`.
    """
    lines = split_lines(layout_to_tabs(text) or text)
    plan = ParsedPlan(
        source_file=name,
        sha256=sha256 or sha256_of(text.encode("utf-8")),
        format=fmt,
        importer_version=IMPORTER_VERSION,
    )
    paged = "\f" in text or page_labels is not None
    labels = page_labels or []
    page_name = (lambda i: labels[i] if i < len(labels) else str(i + 1)) if paged else None

    roles, header_key = find_header(lines)
    filled = [ln for ln in lines if not ln.blank]
    tabbed = roles is not None or sum(len(ln.fields) > 1 for ln in filled) >= 0.3 * len(filled)
    preamble, blocks = segment(lines, header_key, tabbed, plan, name)
    if not blocks:
        raise ImportFailed(
            name,
            "no recommendations found: expected markers such as 'Recommendation 1', 'Rec 1', '5.1' "
            "or '3.140(a)' at the start of a line",
        )
    for block in blocks:
        rec = read_block(block, roles, tabbed, name, page_name)
        plan.recommendations.append(rec)
    _move_carried_over_updates(plan)
    _fill_case(plan, preamble, lines)
    _warn_low_confidence(plan)
    return [plan]


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    page = 0
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"(?<=[^\n])\f", "\n\f", text)  # pages joined without a newline: "last line\ffirst line"
    for number, raw in enumerate(text.split("\n"), start=1):
        gap = not lines or lines[-1].blank
        if "\f" in raw:
            page += raw.count("\f")
            raw, gap = raw.replace("\f", ""), True
        fields = [f.strip(" \u00a0") for f in raw.split("\t")]
        lines.append(Line(number, page, fields, gap))
    return lines


def layout_to_tabs(text: str) -> str | None:
    """Text laid out with spaces (`pdftotext -layout`, pdfplumber layout=True) as tab-separated columns.

    Cells are runs of words separated by single spaces; two or more spaces end a cell.
    Each cell goes to the header column starting at or before it, so every line gets all
    the header's columns (empty cells included) and is read like a full table row.
    None when the text has tabs already or no header laid out this way.
    """
    if "\t" in text:
        return None
    lines = text.split("\n")
    starts = None
    for line in lines:
        cells = list(re.finditer(r"\S+(?: \S+)*", line.replace("\f", " ")))
        if len(cells) >= 3 and header_roles([c.group() for c in cells]):
            starts = [c.start() for c in cells]
            break
    if not starts:
        return None
    out = []
    for line in lines:
        feed = "\f" * line.count("\f")
        fields = [""] * len(starts)
        for cell in re.finditer(r"\S+(?: \S+)*", line.replace("\f", " ")):
            column = max([i for i, start in enumerate(starts) if start <= cell.start() + 2] or [0])
            fields[column] = f"{fields[column]} {cell.group()}".strip()
        out.append(feed + ("\t".join(fields) if any(fields) else ""))
    return "\n".join(out)


def header_roles(fields: list[str]) -> list[str] | None:
    """Column roles if these fields look like a table header, else None."""
    if len([f for f in fields if f]) < 3 or any(len(f) > 60 for f in fields):
        return None
    roles = []
    for f in fields:
        role = next((r for r, pattern in HEADER_ROLES if f and re.search(pattern, f, re.I)), "")
        roles.append(role)
    if sum(1 for r in roles if r) >= 3 and ("rec" in roles or "action" in roles):
        return [r or "extra" for r in roles]
    return None


def find_header(lines: list[Line]) -> tuple[list[str] | None, str]:
    for line in lines:
        roles = header_roles(line.fields)
        if roles:
            return roles, header_key(line)
    return None, ""


def header_key(line: Line) -> str:
    return re.sub(r"\W+", "", line.text.lower())


def match_marker(line: Line) -> re.Match | None:
    first = line.fields[0] if line.fields else ""
    m = MARKER_RE.match(first)
    if m and m.group("plain") and len([f for f in line.fields if f]) < 2:
        return None  # "1. Something" is a list item unless it starts a table row
    return m


# --- segmentation ------------------------------------------------------------------------


def segment(lines: list[Line], header: str, tabbed: bool, plan: ParsedPlan, name: str) -> tuple[list[Line], list[Block]]:
    """Split lines into the preamble and one block per recommendation, applying banners."""
    preamble: list[Line] = []
    blocks: list[Block] = []
    level, level_conf = None, 0.0
    agency, agency_raw, agency_conf = "", "", 0.0
    content = [ln for ln in lines if not ln.blank and not FURNITURE_RE.match(ln.text)]
    words = vocabulary(content)
    for i, line in enumerate(content):
        if header and header_key(line) == header:
            continue  # the table header, repeated on each page
        marker = match_marker(line)
        if marker:
            blocks.append(Block(_marker_text(marker), line, level, level_conf, agency, agency_raw, agency_conf, [line]))
            continue
        section = SECTION_RE.match(line.text)
        if section and len(line.text) < 70:
            level, level_conf = ("overview", 0.95) if section.group("overview") else ("single_agency", 0.95)
            agency, agency_raw, agency_conf = "", "", 0.0
            continue
        following = content[i + 1] if i + 1 < len(content) else None
        banner = agency_banner(line, following, words, tabbed)
        if banner:
            agency, agency_raw, agency_conf, stray = banner
            if level != "single_agency":
                level, level_conf = "single_agency", 0.8
            if stray:
                target = blocks[-1].stray if blocks else []
                target.append(stray)
                if not blocks:
                    plan.warn(Provenance(name, rows=f"line {line.number}"), "unplaced_text",
                              f"text on an agency banner before any recommendation: {stray!r}")
            continue
        if blocks:
            blocks[-1].lines.append(line)
        else:
            preamble.append(line)
    return preamble, blocks


def _marker_text(marker: re.Match) -> str:
    return marker.group("marker").rstrip(" :.-–\t") if not marker.group("plain") else marker.group("plain") + "."


def agency_banner(line: Line, following: Line | None, vocab: list[str], tabbed: bool):
    """(agency, raw text, confidence, stray text) if this line is an agency banner, else None.

    A banner is short, has nothing in the recommendation column of a table row, names an
    agency, and is followed by a marker or by another banner line. In text without
    columns it also follows a blank line, so the last wrapped line of an update
    ("Safeguarding Adults Board.") is not taken for one.
    """
    if not tabbed and not line.after_gap or LABEL_RE.match(line.text):
        return None
    fields = list(line.fields)
    stray = ""
    if len(fields) > 1 and FINAL_STATUS_RE.fullmatch(fields[-1] or "-"):
        stray, fields = fields[-1], fields[:-1]  # a status word in the last column: not part of the name
    parts = [f for f in fields if f]
    if not parts or (len(line.fields) > 1 and line.fields[0]):
        return None
    raw = " ".join(parts)
    if len(raw) > 60 or len(raw.split()) > 7 or not raw[0].isupper() or raw.rstrip().endswith(","):
        return None
    if following is None or not (match_marker(following) or SECTION_RE.match(following.text)):
        return None
    if not AGENCY_WORDS.search(raw) and not PERSON_RE.match(raw):
        return None
    name, confidence = repair_split_words(parts, vocab)
    return name, raw, confidence, stray


def vocabulary(content: list[Line]) -> list[str]:
    """Capitalised words of the document, to repair words split across columns."""
    words = Counter(w for ln in content for w in re.findall(r"\b[A-Z][a-z]{4,}\b", ln.text))
    return [w for w, _ in words.most_common()]


def repair_split_words(parts: list[str], vocab: list[str]) -> tuple[str, float]:
    """Join column fragments of one name: "Clinical Commission" + "oning Group." -> "Clinical Commissioning Group".

    A fragment starting in lower case continues the previous word: joined on their overlap
    ("Commission"+"oning"), else matched to a word used elsewhere in the document
    ("Word"+"l restershire" -> "Worcestershire"), else kept as written (low confidence).
    """
    words = " ".join(parts).split()
    out: list[str] = []
    confidence = 0.9
    i = 0
    while i < len(words):
        run = [words[i]]
        while i + len(run) < len(words) and words[i + len(run)][:1].islower() and words[i + len(run)] not in (
            "of", "and", "for", "the", "&"
        ):
            run.append(words[i + len(run)])
        i += len(run)
        if len(run) == 1:
            out.append(run[0])
            continue
        merged = _join_on_overlap(run)
        if merged:
            out.append(merged)
            confidence = min(confidence, 0.8)
            continue
        best = process.extractOne("".join(run), vocab, scorer=fuzz.ratio) if vocab else None
        if best and best[1] >= 80:
            out.append(best[0])
            confidence = min(confidence, 0.75)
        else:
            out.append(" ".join(run))
            confidence = min(confidence, 0.4)
    return " ".join(out).rstrip(".").strip(), confidence


def _join_on_overlap(run: list[str]) -> str | None:
    word = run[0]
    for part in run[1:]:
        overlap = next((k for k in range(min(len(word), len(part)) - 1, 1, -1) if word.endswith(part[:k])), 0)
        if not overlap:
            return None
        word += part[overlap:]
    return word


# --- reading one recommendation -------------------------------------------------------------


def read_block(block: Block, roles: list[str] | None, tabbed: bool, name: str, page_name) -> ParsedRecommendation:
    buckets = labelled_buckets(block) if not tabbed else column_buckets(block, roles)
    first, last = block.lines[0], block.lines[-1]
    rec = ParsedRecommendation(
        number_raw=block.marker,
        text=join(buckets.pop("rec", [])),
        level=block.level,
        provenance=_provenance(name, first, last, page_name),
    )
    rec.confidence["number_raw"] = 0.95
    rec.confidence["text"] = 0.85 if rec.text else 0.0
    if rec.level:
        rec.confidence["level"] = block.level_confidence
    action = ParsedAction(provenance=rec.provenance)
    action.text = join(buckets.pop("action", []))
    action.update_text = join(buckets.pop("update", []))
    action.target_date_raw = join(buckets.pop("target", []))
    action.status_raw = join(buckets.pop("status", []))
    action.rag = join(buckets.pop("rag", []))
    action.completion_date_raw = join(buckets.pop("completion", []))
    rec.scope_raw = join(buckets.pop("scope", []))
    _place_lead(action, join(buckets.pop("lead", [])))
    _status_from_outcome(action)
    _place_owner(rec, action, block)
    unplaced = buckets.pop("unplaced", []) + block.stray
    for role, texts in buckets.items():  # columns with no known role: kept verbatim
        action.extra[role] = join(texts)
    rec.unplaced_text = join(unplaced)
    _score_action(action, tabbed)
    rec.actions.append(action)
    return rec


def column_buckets(block: Block, roles: list[str] | None) -> dict[str, list[str]]:
    buckets: dict[str, list[str]] = defaultdict(list)
    for line in block.lines:
        fields = list(line.fields)
        if line is block.marker_line:
            fields[0] = MARKER_RE.sub("", fields[0], count=1).strip()
        if len([f for f in fields if f]) == 1 and fields[0] and LABEL_RE.match(fields[0]):
            label = LABEL_RE.match(fields[0])
            buckets[_label_role(label.group("label"))].append(label.group("rest"))
            continue
        line_roles = map_columns(len(fields), roles)
        for text, role in zip(fields, line_roles):
            if text:
                buckets[role].append(text)
    return buckets


def map_columns(count: int, roles: list[str] | None) -> list[str]:
    """Roles for a line of `count` fields, reading it right-aligned against the header."""
    if roles is None:  # no header: guess the common layouts
        roles = {1: ["rec"], 2: ["rec", "update"], 3: ["rec", "action", "update"],
                 4: ["rec", "lead", "target", "update"]}.get(count, ["rec", "action", "lead", "target", "update"])
    if count == 1:
        return [roles[0]]
    if count >= len(roles):
        return [roles[0]] + ["unplaced"] * (count - len(roles)) + roles[1:]
    return [roles[0]] + roles[len(roles) - (count - 1):]


def labelled_buckets(block: Block) -> dict[str, list[str]]:
    buckets: dict[str, list[str]] = defaultdict(list)
    role = "rec"
    for line in block.lines:
        text = line.text
        if line is block.marker_line:
            text = MARKER_RE.sub("", line.fields[0], count=1).strip() + " " + " ".join(line.fields[1:])
        label = LABEL_RE.match(text.strip())
        if label:
            role = _label_role(label.group("label"))
            text = label.group("rest")
        if text.strip():
            buckets[role].append(text.strip())
    return buckets


def _label_role(label: str) -> str:
    label = label.lower()
    return next(role for role, pattern in LABEL_ROLES if re.search(pattern, label))


def join(parts: list[str]) -> str:
    return re.sub(r"[ \t]+", " ", " ".join(p.strip() for p in parts if p.strip())).strip()


def _place_lead(action: ParsedAction, lead: str) -> None:
    """A person's name goes to named_lead (personal data), a job title ("Housing Manager") to
    extra["lead_role"]; anything else is an agency."""
    if not lead:
        return
    if ROLE_WORDS.search(lead) and not ORG_WORDS.search(lead):
        action.extra["lead_role"] = lead
    elif PERSON_RE.match(lead) and not AGENCY_WORDS.search(lead):
        action.named_lead = lead
        action.confidence["named_lead"] = 0.8
    else:
        action.lead_agency_raw = lead
        action.confidence["lead_agency_raw"] = 0.75 if AGENCY_WORDS.search(lead) else 0.5


def _status_from_outcome(action: ParsedAction) -> None:
    """A completion/outcome cell that starts with a status word ("Completed 12/01/2024", "Ongoing",
    "Amber") is the status when there is no status column."""
    found = LEADING_STATUS_RE.match(action.completion_date_raw)
    if action.status_raw or action.rag or not found:
        return
    word = found.group("word")
    if word.lower() in RAG_WORDS:
        action.rag = word
    else:
        action.status_raw = word


def _place_owner(rec: ParsedRecommendation, action: ParsedAction, block: Block) -> None:
    """Owning agency: the agency banner above, else the agency named in the action/lead columns."""
    if block.agency:
        rec.owning_agencies_raw = block.agency
        rec.confidence["owning_agencies_raw"] = block.agency_confidence
        if block.agency_raw != block.agency:
            rec.extra["agency_banner_raw"] = block.agency_raw
        return  # an action with no lead written is led by this agency: the normaliser infers it
    if looks_like_agency(action.text):  # an "Action Required by Agency" cell holding only the agency
        rec.owning_agencies_raw, action.text = action.text, ""
        action.confidence.pop("text", None)
    else:
        rec.owning_agencies_raw = action.lead_agency_raw
    if rec.owning_agencies_raw:
        rec.confidence["owning_agencies_raw"] = 0.7


def looks_like_agency(text: str) -> bool:
    """"All agencies.", "Westbury Community Safety Partnership": a name, not an action."""
    words = text.rstrip(".").split()
    if not words or len(words) > 8:
        return False
    if text.lower().startswith("all agencies"):
        return True
    connectors = {"of", "and", "for", "the", "&", "/", "-"}
    return bool(AGENCY_WORDS.search(text)) and all(w[0].isupper() or w in connectors for w in words)


def _score_action(action: ParsedAction, tabbed: bool) -> None:
    base = 0.75 if tabbed else 0.85
    for name in ("text", "update_text", "status_raw", "rag", "completion_date_raw"):
        if getattr(action, name):
            action.confidence[name] = base
    target = action.target_date_raw
    if target:
        if TARGET_ONLY_RE.match(target):
            action.confidence["target_date_raw"] = 0.9
        elif ANY_DATE_RE.search(target) and len(target) < 40:
            action.confidence["target_date_raw"] = 0.6
        else:
            action.confidence["target_date_raw"] = 0.3  # notes from review meetings, not a date
    if action.status_raw:
        action.confidence["status"] = 0.9
    elif action.rag:
        action.confidence["status"] = 0.7
    elif FINAL_STATUS_RE.search(action.update_text):
        action.confidence["status"] = 0.8
    else:
        action.confidence["status"] = 0.2


def _provenance(name: str, first: Line, last: Line, page_name) -> Provenance:
    location = ""
    if page_name:
        a, b = page_name(first.page), page_name(last.page)
        location = f"page {a}" if a == b else f"pages {a}-{b}"
    rows = f"line {first.number}" if first.number == last.number else f"lines {first.number}-{last.number}"
    return Provenance(name, location, rows)


# --- whole-plan passes ---------------------------------------------------------------------------


def _move_carried_over_updates(plan: ParsedPlan) -> None:
    """Give back update text that belongs to the previous recommendation.

    When a table row's update cell runs onto the next page, extraction can put its end
    on the next recommendation's line: "...ways however all practices know ... Complete
    Coercion and control protocol This is complex ...". If the previous recommendation's
    update has no final status word, and this update holds a status word followed by more
    text, the part up to that status word is moved back. It is more certain when this
    update starts mid-sentence (lower case) or the rest starts with this action's own text.
    """
    recs = plan.recommendations
    for prev, rec in zip(recs, recs[1:]):
        before, after = prev.actions[0], rec.actions[0]
        if not before.update_text or FINAL_STATUS_RE.search(before.update_text) or before.status_raw:
            continue
        inner = INNER_STATUS_RE.search(after.update_text)
        if not inner:
            continue
        head, tail = after.update_text[: inner.end()].strip(), after.update_text[inner.end():].strip()
        starts_mid_sentence = head[:1].islower()
        own_text_follows = bool(after.text) and tail.lower().startswith(after.text.lower()[:25])
        if not (starts_mid_sentence or own_text_follows):
            continue
        before.update_text = f"{before.update_text} {head}"
        after.update_text = tail
        confidence = 0.8 if starts_mid_sentence and own_text_follows else 0.6
        before.confidence["update_text"] = min(before.confidence.get("update_text", 1), confidence)
        before.confidence["status"] = confidence
        before.extra["update_continued_from"] = str(rec.provenance)
        plan.warn(
            rec.provenance, "update_text",
            f"update text {head[:40]!r}... continues {prev.number_raw}'s update; moved there", "info",
        )


def _fill_case(plan: ParsedPlan, preamble: list[Line], lines: list[Line]) -> None:
    whole = "\n".join(ln.text for ln in lines)
    head = "\n".join(ln.text for ln in preamble) or whole[:2000]
    for pattern in CASE_REF_RES:
        found = pattern.search(head) or pattern.search(whole)
        if found:
            plan.case.reference = re.sub(r"\s+", " ", found.group(1)).strip()
            break
    texts = [head] + [r.text for r in plan.recommendations] + [
        a.lead_agency_raw for a in plan.actions] + [r.owning_agencies_raw for r in plan.recommendations]
    names = Counter(
        re.sub(r"^The\s+", "", re.sub(r"\s+", " ", m)) for t in texts for m in PARTNERSHIP_RE.findall(t or "")
    )
    if names:
        plan.case.partnership = names.most_common(1)[0][0]
    plan.as_of_date = review_date([head], heading=True) or review_date(
        [a.target_date_raw for a in plan.actions] + [a.update_text for a in plan.actions]
    )
    where = Provenance(plan.source_file, rows="heading")
    if not plan.case.reference:
        plan.warn(where, "case", "no case reference found (such as 'Case No. 16' or 'DHR 2021/03')")
    if not plan.case.partnership:
        plan.warn(where, "partnership", "no Community Safety Partnership named in the text")
    if plan.as_of_date:
        plan.warn(where, "as_of_date", f"as-of date {plan.as_of_date:%d %b %Y} taken from review-meeting notes", "info")


def review_date(texts: list[str], heading: bool = False) -> dt.date | None:
    """The latest review-meeting date written in full ("Reviewed at 12.01.2023"); "12 Jan" alone is not enough.
    A heading may also give the plan's date as "as at 30 April 2024"."""
    found: list[dt.date] = []
    patterns = REVIEW_DATE_RES + ((HEADING_DATE_RE,) if heading else ())
    for text in texts:
        for pattern in patterns:
            for m in pattern.finditer(text or ""):
                day, month, year = _parse_date(m.group("date"))
                if day and month and year:
                    try:
                        found.append(dt.date(year, month, day))
                    except ValueError:
                        pass  # not a real date, e.g. 31.02.2023
    return max(found) if found else None


def _parse_date(text: str) -> tuple[int | None, int | None, int | None]:
    numeric = re.match(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})", text)
    if numeric:
        d, m, y = (int(g) for g in numeric.groups())
        return d, m, y + 2000 if y < 100 else y
    named = re.match(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTHS})[a-z]*\.?(?:\s+(\d{{4}}))?", text, re.I)
    if named:
        month = MONTH_NUMBERS[named.group(2).lower()[:3]]
        return int(named.group(1)), month, int(named.group(3)) if named.group(3) else None
    return None, None, None


def _warn_low_confidence(plan: ParsedPlan) -> None:
    for rec in plan.recommendations:
        label = rec.number_raw
        for name, value in rec.confidence.items():
            if value < LOW_CONFIDENCE:
                plan.warn(rec.provenance, name, f"{label}: {name} is a guess (confidence {value:.1f})")
        if rec.unplaced_text:
            plan.warn(rec.provenance, "unplaced_text", f"{label}: text that could not be placed: {rec.unplaced_text[:80]!r}")
        for action in rec.actions:
            for name, value in action.confidence.items():
                if value < LOW_CONFIDENCE:
                    what = {
                        "status": "no status word found",
                        "target_date_raw": "the target column holds notes, not a clear date",
                    }.get(name, f"{name} is a guess (confidence {value:.1f})")
                    plan.warn(action.provenance, name, f"{label}: {what}")
