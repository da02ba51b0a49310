"""Theme tagging: which themes a recommendation, action or update text shows, with the words that show it.

The taxonomy is data (data/reference/themes.csv, described in data/reference/THEMES.md); this module
compiles it once and applies it. `tag_plan_version` stores theme matches and training-uptake evidence
for one plan version; `retag_all` rebuilds them, and the recurring-recommendation groups, for everything.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

try:  # the standard regex parser, used only to speed tagging up; without it every theme is simply tried
    import re._constants as _sre
    import re._parser as _sre_parse
except ImportError:  # pragma: no cover - other Python versions
    _sre = _sre_parse = None

from dhrlearn import config

THEMES_FILE = config.REFERENCE_DIR / "themes.csv"
AXES = ("home_office", "topic")
KINDS = ("match", "exclude", "topic", "fallback")
# Topic themes whose co-presence makes the case-level "toxic trio" (with domestic abuse, present in every DHR).
TRIO_TOPICS = ("substance_misuse", "mental_health")
TRIO_NAMED = "toxic_trio"


class TaxonomyError(ValueError):
    """The themes file cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class ThemeMatch:
    axis: str
    theme: str
    matched: list[str]


@dataclass
class Theme:
    axis: str
    theme: str
    label: str
    match: re.Pattern | None = None
    exclude: re.Pattern | None = None
    from_topics: list[str] = field(default_factory=list)
    fallback: bool = False
    # Lower-case strings (1-3 characters) that every match starts with; None = could start anywhere.
    starts: tuple[frozenset, frozenset, frozenset] | None = None


@dataclass
class Taxonomy:
    themes: dict[tuple[str, str], Theme]
    start_index: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    themes_by_head: dict[str, tuple] = field(default_factory=dict)  # memo for _candidate_positions

    def __post_init__(self):
        self.start_index = _start_index(self.themes)
        # Finds the word starts where some theme may match (the longest such start is captured).
        trie = _trie_pattern(sorted(self.start_index))
        self.start_finder = re.compile(r"(?<!\w)(?=(" + trie + "))" if trie else r"(?!)")

    def labels(self, axis: str | None = None) -> dict[str, str]:
        """Theme id -> label, in file order."""
        return {t.theme: t.label for t in self.themes.values() if axis in (None, t.axis)}

    def topic_themes(self) -> list[str]:
        return list(self.labels("topic"))


# ---------------------------------------------------------------- loading


def _whole_words(patterns: list[str]) -> re.Pattern:
    # (?<!\w) / (?!\w) rather than \b so that patterns ending in a symbol ("LGBT+") still match.
    return re.compile("(?<!\\w)(?:" + "|".join(f"(?:{p})" for p in patterns) + ")(?!\\w)", re.IGNORECASE)


def _data_lines(path: Path):
    """(line number, text) of the non-comment lines."""
    with open(path, newline="", encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip() and not line.lstrip().startswith("#"):
                yield number, line


def load_taxonomy(path: str | Path = THEMES_FILE) -> Taxonomy:
    """Read and compile the themes file; a bad row raises TaxonomyError naming the file and line."""
    path = Path(path)
    numbered = list(_data_lines(path))
    reader = csv.DictReader([line for _, line in numbered])
    wanted = {"axis", "theme", "label", "kind", "pattern"}
    if not reader.fieldnames or not wanted <= set(reader.fieldnames):
        raise TaxonomyError(f"{path}: header must have columns {', '.join(sorted(wanted))}")
    rows: dict[tuple[str, str], dict] = {}
    for (line_no, _), row in zip(numbered[1:], reader):
        where = f"{path}, line {line_no}"
        if None in row or None in row.values():
            raise TaxonomyError(f"{where}: expected 5 fields; put a pattern that holds a comma in double quotes")
        axis, theme, kind = row["axis"].strip(), row["theme"].strip(), row["kind"].strip()
        pattern = (row["pattern"] or "").strip()
        if axis not in AXES:
            raise TaxonomyError(f"{where}: axis {axis!r} is not one of {', '.join(AXES)}")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", theme):
            raise TaxonomyError(f"{where}: theme id {theme!r} must be snake_case")
        if kind not in KINDS:
            raise TaxonomyError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
        if kind != "fallback" and not pattern:
            raise TaxonomyError(f"{where}: kind {kind!r} needs a pattern")
        if kind in ("match", "exclude"):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise TaxonomyError(f"{where}: pattern {pattern!r} is not a valid expression: {exc}") from None
        entry = rows.setdefault((axis, theme), {"label": "", "match": [], "exclude": [], "topic": [], "fallback": False})
        entry["label"] = entry["label"] or (row["label"] or "").strip()
        if kind == "fallback":
            entry["fallback"] = True
        else:
            entry[kind].append(pattern)
    topics = {theme for axis, theme in rows if axis == "topic"}
    themes = {}
    for (axis, theme), entry in rows.items():
        unknown = [t for t in entry["topic"] if t not in topics]
        if unknown:
            raise TaxonomyError(f"{path}: theme {theme!r} refers to unknown topic(s) {', '.join(unknown)}")
        themes[(axis, theme)] = Theme(
            axis=axis,
            theme=theme,
            label=entry["label"] or theme.replace("_", " ").capitalize(),
            match=_whole_words(entry["match"]) if entry["match"] else None,
            exclude=_whole_words(entry["exclude"]) if entry["exclude"] else None,
            from_topics=entry["topic"],
            fallback=entry["fallback"],
            starts=_match_starts(entry["match"]),
        )
    return Taxonomy(themes)


# ---------------------------------------------------------------- prefilter
# Running ~25 regular expressions over every text is the slow part of tagging. Each theme's patterns are
# parsed once to list the few characters any match must start with; a text is tried against a theme only
# when some word in it starts that way. Whatever the parser cannot bound makes the theme always tried.

PREFIX_CHARS = 3
_MAX_PREFIXES = 400


def _match_starts(patterns: list[str]) -> tuple[frozenset, frozenset, frozenset] | None:
    if not patterns or _sre_parse is None:
        return None
    try:
        found = set()
        for pattern in patterns:
            options = _sequence_starts(list(_sre_parse.parse(pattern, re.IGNORECASE)))
            if options is None:
                return None
            found |= {text for text, _ in options}
    except Exception:  # a construct this reader does not know: no prefilter, still correct
        return None
    if "" in found:
        return None
    return tuple(frozenset(t for t in found if len(t) == n) for n in range(1, PREFIX_CHARS + 1))


def _sequence_starts(items) -> set[tuple[str, bool]] | None:
    """Possible starts of a match of `items`: (text, complete) where complete means the text can go on."""
    current = {("", True)}
    for op, av in items:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero width; skipping a condition only adds possibilities
        options = _element_starts(op, av)
        following = set()
        for text, open_ in current:
            if not open_ or len(text) >= PREFIX_CHARS:
                following.add((text[:PREFIX_CHARS], False))
            elif options is None:
                following.add((text, False))
            else:
                following |= {(text + more, more_open) for more, more_open in options}
        if len(following) > _MAX_PREFIXES:
            return None
        current = following
    return {(text[:PREFIX_CHARS], open_ and len(text) < PREFIX_CHARS) for text, open_ in current}


def _element_starts(op, av) -> set[tuple[str, bool]] | None:
    if op is _sre.LITERAL:
        return {(chr(av).lower(), True)}
    if op is _sre.IN:
        chars = set()
        for kind, value in av:
            if kind is _sre.LITERAL:
                chars.add(chr(value).lower())
            elif kind is _sre.RANGE and value[1] - value[0] < 40:
                chars |= {chr(c).lower() for c in range(value[0], value[1] + 1)}
            else:
                return None
        return {(c, True) for c in chars}
    if op is _sre.SUBPATTERN:
        return _sequence_starts(list(av[-1]))
    if op is _sre.BRANCH:
        union = set()
        for branch in av[1]:
            options = _sequence_starts(list(branch))
            if options is None:
                return None
            union |= options
        return union
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        options = _sequence_starts(list(body))
        if options is None:
            return None
        if high != 1:  # more repetitions may follow: stop extending here
            options = {(text, False) for text, _ in options}
        return options | ({("", True)} if low == 0 else set())
    return None


def _start_index(themes: dict[tuple[str, str], Theme]) -> dict[str, list[tuple[str, str]]]:
    """Start string (1-3 lower-case characters) -> the themes that may match from there."""
    index: dict[str, list[tuple[str, str]]] = {}
    for key, theme in themes.items():
        for length_group in theme.starts or ():
            for start in length_group:
                index.setdefault(start, []).append(key)
    return index


def _trie_pattern(words: list[str]) -> str:
    """One regex for many literal strings, common prefixes shared: the regex engine has no trie of its own,
    and a flat alternation of hundreds of strings is tried string by string at every word start."""
    if not words:
        return ""
    branches = {}
    ends_here = False
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
        else:
            ends_here = True
    if not branches:
        return ""
    parts = [re.escape(first) + _trie_pattern(rest) for first, rest in sorted(branches.items())]
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    # Longest first: take the longer string when it is there, else stop at this one.
    return f"(?:{body})?" if ends_here else body


def _themes_from(head: str, index) -> tuple[tuple[str, str], ...]:
    """Themes that may match text starting with `head` (up to 3 lower-case characters)."""
    return tuple(dict.fromkeys(key for n in range(1, len(head) + 1) for key in index.get(head[:n], ())))


def _candidate_positions(text: str, tax: "Taxonomy") -> dict[tuple[str, str], list[int]] | None:
    """Theme -> the word starts in `text` where a match could begin; None when lower-casing moved offsets."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return None
    by_head = tax.themes_by_head
    candidates: dict[tuple[str, str], list[int]] = {}
    for m in tax.start_finder.finditer(lowered):
        head = m.group(1)
        keys = by_head.get(head)
        if keys is None:
            keys = by_head[head] = _themes_from(head, tax.start_index)
        for key in keys:
            candidates.setdefault(key, []).append(m.start())
    return candidates


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    """The project's taxonomy, compiled once per process."""
    return load_taxonomy(THEMES_FILE)


# ---------------------------------------------------------------- tagging


def _unique(words: list[str]) -> list[str]:
    seen, out = set(), []
    for word in words:
        key = word.lower()
        if key not in seen:
            seen.add(key)
            out.append(word)
    return out


def _matched_words(theme: Theme, text: str, positions: list[int] | None = None) -> list[str]:
    """Words of `text` matching the theme, tried only at `positions` when given (the prefilter's)."""
    if positions is None:
        hits = [(m.start(), m.end(), m.group()) for m in theme.match.finditer(text)]
    else:
        hits, end = [], -1
        for position in positions:  # ascending and distinct: built in text order, a theme once per head
            m = theme.match.match(text, position) if position >= end else None
            if m:
                hits.append((m.start(), m.end(), m.group()))
                end = m.end()
    if hits and theme.exclude is not None:
        blocked = [(m.start(), m.end()) for m in theme.exclude.finditer(text)]
        hits = [h for h in hits if not any(s < h[1] and h[0] < e for s, e in blocked)]
    if len(hits) == 1:
        return [" ".join(hits[0][2].split())]
    return _unique([" ".join(word.split()) for _, _, word in hits])


def tag_text(text: str | None, tax: Taxonomy | None = None, use_prefilter: bool = True) -> list[ThemeMatch]:
    """Themes shown by `text`, each with the words that matched (topic axis first, then Home Office).

    `use_prefilter=False` tries every theme everywhere: slower, same answer (the tests compare the two).
    """
    if not text or not text.strip():
        return []
    tax = tax or taxonomy()
    found: dict[tuple[str, str], list[str]] = {}
    candidates = _candidate_positions(text, tax) if use_prefilter else None

    def words_for(key: tuple[str, str], theme: Theme) -> list[str]:
        if theme.match is None:
            return []
        if candidates is None or theme.starts is None:
            return _matched_words(theme, text)
        positions = candidates.get(key)
        return _matched_words(theme, text, positions) if positions else []

    for key, theme in tax.themes.items():
        if key[0] == "topic":
            words = words_for(key, theme)
            if words:
                found[key] = words
    for key, theme in tax.themes.items():
        if key[0] == "topic":
            continue
        words = words_for(key, theme)
        for topic in theme.from_topics:
            words += found.get(("topic", topic), [])
        if words:
            found[key] = _unique(words)
    _add_fallbacks(tax, found)
    return [ThemeMatch(axis, theme, words) for (axis, theme), words in found.items()]


def _add_fallbacks(tax: Taxonomy, found: dict[tuple[str, str], list[str]]) -> None:
    """An axis's fallback theme ("Other") holds texts that show some topic but no other theme of that axis."""
    topic_words = _unique([w for (axis, _), words in found.items() if axis == "topic" for w in words])
    if not topic_words:
        return
    for key, theme in tax.themes.items():
        if theme.fallback and not any(axis == key[0] for axis, _ in found):
            found[key] = topic_words


def topic_themes(text: str | None) -> set[str]:
    """Just the topic theme ids of `text`."""
    return {m.theme for m in tag_text(text) if m.axis == "topic"}


# ---------------------------------------------------------------- storing

THEME_COLUMNS = ["case_id", "plan_version_id", "recommendation_id", "action_id", "axis", "theme", "field", "matched"]
UPTAKE_COLUMNS = ["case_id", "plan_version_id", "recommendation_id", "action_id", "polarity", "phrase", "snippet"]

_SOURCE_TEXTS = """
    SELECT r.case_id, r.plan_version_id, r.recommendation_id, NULL::INTEGER AS action_id,
           'recommendation' AS field, r.text
    FROM recommendation r WHERE {where_r}
    UNION ALL
    SELECT a.case_id, a.plan_version_id, a.recommendation_id, a.action_id, 'action', a.text
    FROM action a WHERE {where_a} AND a.text IS NOT NULL
    UNION ALL
    SELECT a.case_id, a.plan_version_id, a.recommendation_id, a.action_id, 'update', a.update_text
    FROM action a WHERE {where_a} AND a.update_text IS NOT NULL
"""


def _source_texts(con: duckdb.DuckDBPyConnection, plan_version_id: int | None) -> pd.DataFrame:
    if plan_version_id is None:
        sql = _SOURCE_TEXTS.format(where_r="TRUE", where_a="TRUE")
        return con.execute(sql).df()
    sql = _SOURCE_TEXTS.format(where_r="r.plan_version_id = $pv", where_a="a.plan_version_id = $pv")
    return con.execute(sql, {"pv": plan_version_id}).df()


def _tag_rows(texts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Theme-match rows and uptake-evidence rows for the texts (one DataFrame each)."""
    from dhrlearn.uptake import find_uptake

    tax = taxonomy()
    themes, uptake = [], []
    cache: dict[str, list[ThemeMatch]] = {}  # plans repeat texts ("Complete", standard actions)
    for case_id, pv, rec, act, fld, text in texts.itertuples(index=False, name=None):
        if text not in cache:
            cache[text] = tag_text(text, tax)
        act = None if pd.isna(act) else int(act)
        for m in cache[text]:
            themes.append((case_id, pv, rec, act, m.axis, m.theme, fld, "; ".join(m.matched)))
        if fld == "update":
            for ev in find_uptake(text):
                uptake.append((case_id, pv, rec, act, ev.polarity, ev.phrase, ev.snippet))
    return (
        pd.DataFrame(themes, columns=THEME_COLUMNS).astype({"action_id": "Int64"}),
        pd.DataFrame(uptake, columns=UPTAKE_COLUMNS).astype({"action_id": "Int64"}),
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    name = f"_new_{table}"
    con.register(name, frame)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(frame.columns)}) SELECT * FROM {name}")
    finally:
        con.unregister(name)


def tag_plan_version(con: duckdb.DuckDBPyConnection, plan_version_id: int) -> tuple[int, int]:
    """(Re)compute theme_match and uptake_evidence for one plan version from its stored rows.

    Runs inside the caller's transaction when there is one. Returns (theme rows, uptake rows).
    """
    themes, uptake = _tag_rows(_source_texts(con, plan_version_id))
    con.execute("DELETE FROM theme_match WHERE plan_version_id = ?", [plan_version_id])
    con.execute("DELETE FROM uptake_evidence WHERE plan_version_id = ?", [plan_version_id])
    _insert(con, "theme_match", themes)
    _insert(con, "uptake_evidence", uptake)
    return len(themes), len(uptake)


_LATEST_RECOMMENDATIONS = """
    WITH latest AS (  -- each case's newest plan version: latest as-of date, then latest import
        SELECT case_id, plan_version_id AS pv FROM plan_version
        QUALIFY row_number() OVER (
            PARTITION BY case_id ORDER BY as_of_date DESC NULLS LAST, plan_version_id DESC) = 1
    )
    SELECT r.recommendation_id, r.case_id, r.text
    FROM recommendation r JOIN latest l ON r.plan_version_id = l.pv
    ORDER BY r.recommendation_id
"""


def retag_all(con: duckdb.DuckDBPyConnection, own_transaction: bool = True) -> dict[str, int]:
    """Rebuild theme_match, uptake_evidence and recurring_member for every stored plan, in one transaction.

    Recurring groups use each case's latest plan version. A caller that already holds a transaction
    passes own_transaction=False and commits itself (DuckDB cannot nest transactions).
    """
    from dhrlearn.recurring import group_recommendations

    if own_transaction:
        con.execute("BEGIN TRANSACTION")
    try:
        themes, uptake = _tag_rows(_source_texts(con, None))
        groups = group_recommendations(con.execute(_LATEST_RECOMMENDATIONS).df())
        for table in ("theme_match", "uptake_evidence", "recurring_member"):
            con.execute(f"DELETE FROM {table}")
        _insert(con, "theme_match", themes)
        _insert(con, "uptake_evidence", uptake)
        _insert(con, "recurring_member", groups[["group_id", "recommendation_id", "case_id", "similarity"]])
        if own_transaction:
            con.execute("COMMIT")
    except Exception:
        if own_transaction:
            con.execute("ROLLBACK")
        raise
    return {
        "theme_match": len(themes),
        "uptake_evidence": len(uptake),
        "recurring_member": len(groups),
        "recurring_groups": int(groups["group_id"].nunique()),
    }


def run_cli(args) -> int:
    """`python -m dhrlearn retag`: rebuild derived tables after the taxonomy or phrases change."""
    from dhrlearn.store.db import connect

    try:
        taxonomy.cache_clear()
        taxonomy()
    except TaxonomyError as exc:
        print(f"error: {exc}")
        return 2
    con = connect(args.db)
    try:
        counts = retag_all(con)
    finally:
        con.close()
    print(
        f"Re-tagged: {counts['theme_match']} theme matches, {counts['uptake_evidence']} uptake evidence rows, "
        f"{counts['recurring_groups']} recurring groups ({counts['recurring_member']} recommendations)."
    )
    return 0
