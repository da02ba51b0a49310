"""Agency names as written -> canonical agencies and their type.

Data, not code, holds the names (data/reference/README.md says how to extend them):
- agencies.csv: canonical, type, aliases ("|"-separated abbreviations and spellings);
- agency_patterns.csv: name endings that give a type to an agency not listed,
  e.g. any "... Police" or "... Constabulary" is a police force;
- agency_aliases_local.csv (optional, written by `add_alias`): alias, canonical[, type].

How one field is read (`match`):
1. the whole field, if it names one agency ("H&W H&C Trust", "Change Grow Live");
2. otherwise split on "/", ",", ";", blank lines, and read each part;
3. a part that is not a name is split on "and", "&" and line breaks only when every
   piece is then a known agency ("WCF and ASC"), so names with "and" inside stay
   whole ("Herefordshire and Worcestershire Health and Care NHS Trust");
4. a part whose ending says what it is ("Devon and Cornwall Police") becomes a new
   agency of that type, named as written (known=True: its type is certain);
5. anything else is kept as written with known=False, never guessed.
A name is looked up exactly (case, punctuation and "&"/"and" ignored), then by
spelling similarity (rapidfuzz) only when one agency is clearly closest.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from dhrlearn import config
from dhrlearn.model import AgencyRef
from dhrlearn.normalise.text import fold_apostrophes

AGENCY_TYPES = (
    "Police",
    "Health commissioners",
    "Primary care",
    "NHS trusts",
    "Adult social care",
    "Children's services",
    "Local authority / CSP",
    "Probation",
    "Domestic abuse services",
    "Substance misuse services",
    "Housing",
    "Other",
)
AGENCIES_FILE = "agencies.csv"
PATTERNS_FILE = "agency_patterns.csv"
LOCAL_ALIASES_FILE = "agency_aliases_local.csv"

# Spelling similarity: high enough that "West Mercia Polce" and the PDF-broken
# "Clinical Commission oning Group" are read, low enough to refuse guesses.
FUZZY_MIN_SCORE = 90.0
FUZZY_MIN_LENGTH = 6  # "WCF" vs "WCC": never guess between short abbreviations
FUZZY_MARGIN = 3.0  # the best agency must beat the next-best agency by this much

# A full stop ends a name only after a whole word ("All Agencies. South ..."), not "St." or "Dr.".
_STRONG_SEP = re.compile(r"\s*(?:[/;,|+•]|\n\s*\n|\n\s*[-*]\s|(?<=[A-Za-z]{3})\.\s+)\s*")
_WEAK_SEP = re.compile(r"\s+(?:and|&)\s+|\s*\n\s*", re.IGNORECASE)
_MAX_PIECES_PER_NAME = 4
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class AgencyMatch:
    """One agency read from a field, and how it was read."""

    ref: AgencyRef
    how: str  # "exact" | "fuzzy" | "pattern" | "unknown"
    score: float = 100.0  # spelling similarity for "fuzzy"


def name_key(text: str) -> str:
    """The lookup form of a name: case, apostrophes, punctuation, "&"/"and", a leading "the" ignored."""
    text = fold_apostrophes(text).lower().replace("&", " and ").replace("'", "")
    words = _WORDS.findall(text)
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


class AgencyDirectory:
    def __init__(self, local_file: Path | None = None):
        self.local_file = local_file
        self._canonical_type: dict[str, str] = {}  # canonical -> type
        self._by_key: dict[str, str] = {}  # name_key(alias or canonical) -> canonical
        self._patterns: list[tuple[str, str]] = []  # (name_key of ending, type)
        self._fuzzy_keys: list[str] = []
        self._cache: dict[str, list[AgencyMatch]] = {}

    # -- loading ---------------------------------------------------------------
    @classmethod
    def load(cls, reference_dir: Path | None = None, local_file: Path | None = None) -> "AgencyDirectory":
        """Read agencies.csv, agency_patterns.csv and the local alias file (if any) from reference_dir."""
        reference_dir = Path(reference_dir or config.REFERENCE_DIR)
        directory = cls(Path(local_file) if local_file else reference_dir / LOCAL_ALIASES_FILE)
        for line_no, row in _read_csv(reference_dir / AGENCIES_FILE, ("canonical", "type", "aliases")):
            canonical, agency_type = row["canonical"].strip(), row["type"].strip()
            where = f"{AGENCIES_FILE} line {line_no}"
            directory._add_canonical(canonical, agency_type, where)
            for alias in (row["aliases"] or "").split("|"):
                directory._add_key(alias, canonical)
        patterns_path = reference_dir / PATTERNS_FILE
        if patterns_path.exists():
            for line_no, row in _read_csv(patterns_path, ("ends_with", "type")):
                _check_type(row["type"].strip(), f"{PATTERNS_FILE} line {line_no}")
                directory._patterns.append((name_key(row["ends_with"]), row["type"].strip()))
        if directory.local_file.exists():
            for line_no, row in _read_csv(directory.local_file, ("alias", "canonical")):
                directory._apply_alias(
                    row["alias"], row["canonical"], row.get("type"), f"{directory.local_file.name} line {line_no}"
                )
        directory._refresh()
        return directory

    def _add_canonical(self, canonical: str, agency_type: str, where: str) -> None:
        if not canonical:
            raise ValueError(f"{where}: the canonical name is empty")
        _check_type(agency_type, where)
        self._canonical_type[canonical] = agency_type
        self._add_key(canonical, canonical)

    def _add_key(self, alias: str, canonical: str) -> None:
        key = name_key(alias)
        if key:
            self._by_key[key] = canonical

    def _apply_alias(self, alias: str, canonical: str, agency_type: str | None, where: str) -> None:
        alias, canonical, agency_type = alias.strip(), canonical.strip(), (agency_type or "").strip()
        if not name_key(alias):
            raise ValueError(f"{where}: the alias is empty")
        if canonical not in self._canonical_type:
            if not agency_type:
                raise ValueError(
                    f"{where}: '{canonical}' is not a known agency; give its type to add it as a new agency"
                )
            self._add_canonical(canonical, agency_type, where)
        self._add_key(alias, canonical)

    def _refresh(self) -> None:
        self._fuzzy_keys = [k for k in self._by_key if len(k) >= FUZZY_MIN_LENGTH]
        self._cache.clear()

    # -- what a user can see and change --------------------------------------
    def canonical_names(self) -> list[str]:
        return sorted(self._canonical_type, key=str.lower)

    def types(self) -> list[str]:
        return list(AGENCY_TYPES)

    def type_of(self, canonical: str) -> str | None:
        return self._canonical_type.get(canonical)

    def add_alias(self, alias: str, canonical: str, agency_type: str | None = None) -> None:
        """Teach the directory a name: effective at once and kept in the local alias file.

        `canonical` must be a known agency, or `agency_type` must be given to add a new one.
        """
        self._apply_alias(alias, canonical, agency_type, "new alias")
        self.local_file.parent.mkdir(parents=True, exist_ok=True)
        is_new_file = not self.local_file.exists() or self.local_file.stat().st_size == 0
        with open(self.local_file, "a", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            if is_new_file:
                writer.writerow(["alias", "canonical", "type"])
            writer.writerow([alias.strip(), canonical.strip(), (agency_type or "").strip()])
        self._refresh()

    # -- reading fields --------------------------------------------------------
    def resolve(self, raw: str) -> list[AgencyRef]:
        """The agencies a field names, in order, one ref each (duplicates dropped)."""
        return [m.ref for m in self.match(raw)]

    def match(self, raw: str) -> list[AgencyMatch]:
        """Like `resolve`, saying how each agency was read (exact, fuzzy, pattern, unknown)."""
        raw = raw or ""
        cached = self._cache.get(raw)
        if cached is None:
            cached = self._cache[raw] = _dedupe(self._read_field(raw))
        return list(cached)

    def _read_field(self, raw: str) -> list[AgencyMatch]:
        text = raw.strip()
        if not name_key(text):
            return []
        whole = self._lookup(text)
        if whole:
            return [whole]
        matches: list[AgencyMatch] = []
        for part in self._split(text, _STRONG_SEP, allow_unknown=True):
            matches.extend([part] if isinstance(part, AgencyMatch) else self._read_part(part))
        return matches

    def _read_part(self, part: str) -> list[AgencyMatch]:
        found = self._lookup(part)
        if found:
            return [found]
        pieces = self._split(part, _WEAK_SEP, allow_unknown=False)
        if pieces is not None and len(pieces) > 1:
            return pieces
        return [self._by_pattern(part) or _unknown(part)]

    def _split(self, text: str, separator: re.Pattern, allow_unknown: bool):
        """Cut `text` at separators into as few known names as possible.

        allow_unknown=True: pieces that are no name come back as text to read further;
        allow_unknown=False: None unless every piece is a known name.
        """
        pieces = [p for p in separator.split(text) if name_key(p)]
        seps = [m.group(0) for m in separator.finditer(text)]
        if not pieces:
            return [] if allow_unknown else None
        # best[i] = (cost, segments) for pieces[:i]; see _cost; a leftover piece costs 100
        best: list[tuple[float, list] | None] = [None] * (len(pieces) + 1)
        best[0] = (0.0, [])
        for end in range(1, len(pieces) + 1):
            for start in range(max(0, end - _MAX_PIECES_PER_NAME), end):
                if best[start] is None:
                    continue
                name = _join(text, separator, pieces, seps, start, end)
                found = self._lookup(name) or (None if allow_unknown else self._by_pattern(name))
                if found:
                    step, segment = _cost(found, end - start), found
                elif allow_unknown and end - start == 1:
                    step, segment = 100.0, name
                else:
                    continue
                cost = best[start][0] + step
                if best[end] is None or cost < best[end][0]:
                    best[end] = (cost, best[start][1] + [segment])
        return best[-1][1] if best[-1] else None

    def _lookup(self, name: str) -> AgencyMatch | None:
        key = name_key(name)
        canonical = self._by_key.get(key)
        if canonical:
            return AgencyMatch(self._ref(name, canonical), "exact")
        return self._fuzzy(name, key)

    def _fuzzy(self, name: str, key: str) -> AgencyMatch | None:
        if len(key) < FUZZY_MIN_LENGTH or not self._fuzzy_keys:
            return None
        candidates = process.extract(
            key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE - FUZZY_MARGIN, limit=5
        )
        # One candidate per agency, best first; refuse when two agencies are about as close.
        per_agency: dict[str, float] = {}
        for candidate, score, _ in candidates:
            if candidate[0] != key[0]:  # "North ..." vs "South ...": a different first letter is a different name
                continue
            canonical = self._by_key[candidate]
            per_agency[canonical] = max(score, per_agency.get(canonical, 0.0))
        ranked = sorted(per_agency.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < FUZZY_MIN_SCORE:
            return None
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < FUZZY_MARGIN:
            return None
        canonical, score = ranked[0]
        return AgencyMatch(self._ref(name, canonical), "fuzzy", round(score, 1))

    def _by_pattern(self, name: str) -> AgencyMatch | None:
        key = name_key(name)
        for ending, agency_type in self._patterns:
            if key.endswith(" " + ending):
                written = " ".join(name.split()).strip(" .,;:")
                return AgencyMatch(AgencyRef(raw=name.strip(), canonical=written, agency_type=agency_type, known=True), "pattern")
        return None

    def _ref(self, raw: str, canonical: str) -> AgencyRef:
        return AgencyRef(raw=raw.strip(), canonical=canonical, agency_type=self._canonical_type[canonical], known=True)


def _cost(found: AgencyMatch, pieces: int) -> float:
    """Fewer names is better, but a name read from its ending ("... Police") must not
    swallow known agencies: "Cranstoun and West Mercia Police" is two agencies."""
    if found.how == "pattern":
        return 1.0 + 2.0 * (pieces - 1)
    return 1.5 if found.how == "fuzzy" else 1.0


def _join(text: str, separator: re.Pattern, pieces: list[str], seps: list[str], start: int, end: int) -> str:
    if end - start == 1:
        return pieces[start]
    # Rebuild the original span (with its separators) so a name like "NHSE/I" is looked up as written.
    out = pieces[start]
    for i in range(start, end - 1):
        out += (seps[i] if i < len(seps) else " ") + pieces[i + 1]
    return out


def _unknown(raw: str) -> AgencyMatch:
    return AgencyMatch(AgencyRef(raw=" ".join(raw.split()), canonical=None, agency_type=None, known=False), "unknown")


def _dedupe(matches: list[AgencyMatch]) -> list[AgencyMatch]:
    seen, out = set(), []
    for m in matches:
        key = m.ref.canonical if m.ref.known else ("?", name_key(m.ref.raw))
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _check_type(agency_type: str, where: str) -> None:
    if agency_type not in AGENCY_TYPES:
        raise ValueError(f"{where}: type '{agency_type}' is not one of: {'; '.join(AGENCY_TYPES)}")


def _read_csv(path: Path, required: tuple[str, ...]):
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path.name}: missing column(s) {', '.join(missing)}")
        rows = list(reader)
    return [(i, row) for i, row in enumerate(rows, start=2) if any((v or "").strip() for v in row.values() if isinstance(v, str))]


# -- the process-wide default directory --------------------------------------
_default: AgencyDirectory | None = None


def default_directory() -> AgencyDirectory:
    """The directory over data/reference, loaded once per process."""
    global _default
    if _default is None:
        _default = AgencyDirectory.load()
    return _default


def reload_default_directory() -> AgencyDirectory:
    """Re-read the reference files (after a user edited them or another process added aliases)."""
    global _default
    _default = AgencyDirectory.load()
    return _default
