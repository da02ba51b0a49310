"""Theme tagging: which themes a recommendation, action or update text shows, with the words that show it.

The taxonomy is data (data/reference/themes.csv, described in data/reference/THEMES.md); this module
compiles it once and applies it. `tag_plan_version` stores theme matches and training-uptake evidence
for one plan version; `retag_all` rebuilds them, and the recurring-recommendation groups, for everything.
"""
from __future__ import annotations

import csv
import gc
import hashlib
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable, NamedTuple

import duckdb
import pandas as pd

try:  # the standard regex parser, used only to speed tagging up; without it every rule is simply tried
    import re._constants as _sre
    import re._parser as _sre_parse
except ImportError:  # pragma: no cover - other Python versions
    _sre = _sre_parse = None

from dhrlearn import config, theme_model as theme_model_module
from dhrlearn.normalise.text import fold_apostrophes
from dhrlearn.store.facts import THEMES as THEME_FACTS, refresh_facts
from dhrlearn.theme_model import Reading, ThemeModel, prepared, theme_model

THEMES_FILE = config.REFERENCE_DIR / "themes.csv"
ACCURACY_FILE = config.REFERENCE_DIR / "theme_accuracy.csv"
RELIABLE = 0.85  # precision and recall on unseen text at which a theme's share of cases can be read as it stands
AXES = ("home_office", "topic")
KINDS = ("match", "exclude", "veto", "topic", "fallback")
# Topic themes whose co-presence makes the case-level "toxic trio" (with domestic abuse, present in every DHR).
TRIO_TOPICS = ("substance_misuse", "mental_health")
TRIO_NAMED = "toxic_trio"
TAG_CACHE_SIZE = 20_000  # distinct texts remembered by tag_text (plan versions of a case repeat most texts)
PARALLEL_FROM = 20_000  # texts from which tag_texts shares the work out over the cores
PARALLEL_CHUNK = 2_500  # texts handed out at a time
LAYOUTS_KEPT = 50_000  # sets of matched themes whose output order is remembered (see Taxonomy.layout)
# Raise when a change to how texts are read (not to themes.csv, the model or the phrases) should re-tag stored
# plans too: it is part of rules_fingerprint. 2: typographic apostrophes read as plain ones ("Clare’s Law").
MATCHING_VERSION = "2"


class TaxonomyError(config.ReferenceFileError):
    """The themes file cannot be used; the message names the file and line."""


class ThemeMatch(NamedTuple):
    axis: str
    theme: str
    matched: tuple[str, ...]
    source: str = "rules"  # "rules": words a rule matched; "model": the words that weighed most for the theme model


@dataclass
class Theme:
    axis: str
    theme: str
    label: str
    match: re.Pattern | None = None
    exclude: re.Pattern | None = None
    from_topics: list[str] = field(default_factory=list)
    fallback: bool = False
    match_patterns: list[str] = field(default_factory=list)
    exclude_patterns: list[str] = field(default_factory=list)
    veto: re.Pattern | None = None  # a text it matches is never given the theme, by the rules or the model


@dataclass
class Taxonomy:
    themes: dict[tuple[str, str], Theme]

    def __post_init__(self):
        self.order = {key: n for n, key in enumerate(self.themes)}  # file order, for output
        # Home Office themes that hold whenever a topic theme does (Training <- training, ...).
        self.followers: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for key, theme in self.themes.items():
            for topic in theme.from_topics:
                self.followers.setdefault(("topic", topic), []).append(key)
        self.fallbacks = [key for key, theme in self.themes.items() if theme.fallback]
        self.vetoes = {key: theme.veto for key, theme in self.themes.items() if theme.veto is not None}
        self._layouts: dict[frozenset, tuple] = {}

    def layout(self, found: frozenset[tuple[str, str]]) -> tuple[tuple[tuple[str, str], tuple[tuple[str, str], ...]], ...]:
        """For the themes whose rules matched a text: each theme the text shows, in output order (topic
        axis first, then Home Office, each in file order), with the matched themes whose words are its
        evidence. Remembered per set: 150,000 generated plan texts make about 15,000 sets (the store is
        emptied past LAYOUTS_KEPT, so odd input cannot grow it without bound)."""
        layout = self._layouts.get(found)
        if layout is None:
            if len(self._layouts) >= LAYOUTS_KEPT:
                self._layouts.clear()
            layout = self._layouts[found] = self._layout(found)
        return layout

    def _layout(self, found: frozenset[tuple[str, str]]) -> tuple:
        topics = sorted((key for key in found if key[0] == "topic"), key=self.order.__getitem__)
        others = {key for key in found if key[0] != "topic"}
        for key in topics:
            others.update(self.followers.get(key, ()))
        layout = [(key, (key,)) for key in topics]
        for key in sorted(others, key=self.order.__getitem__):
            own = (key,) if key in found else ()
            layout.append((key, own + tuple(("topic", t) for t in self.themes[key].from_topics if ("topic", t) in found)))
        if topics:
            # An axis's fallback theme ("Other") holds texts that show some topic but no other theme of that axis.
            axes_found = {"topic"} | {axis for axis, _ in others}
            layout += [(key, tuple(topics)) for key in self.fallbacks if key[0] not in axes_found]
        return tuple(layout)

    @cached_property
    def scanner(self) -> _Scanner:
        """The rules compiled for scanning text: 0.8 s of the taxonomy's 1 s load, so put off until a
        text is tagged; the pages that only name the themes (every page's filters) never wait for it."""
        return _Scanner(self.themes)

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
        if kind in ("match", "exclude", "veto"):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise TaxonomyError(f"{where}: pattern {pattern!r} is not a valid expression: {exc}") from None
        entry = rows.setdefault((axis, theme), {"label": "", "match": [], "exclude": [], "veto": [], "topic": [],
                                                "fallback": False})
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
            match_patterns=entry["match"],
            exclude_patterns=entry["exclude"],
            veto=_whole_words(entry["veto"]) if entry["veto"] else None,
        )
    return Taxonomy(themes)



# ---------------------------------------------------------------- the scanner
# Trying ~25 theme expressions on every text is slow. Instead each rule (a theme's match or exclude
# patterns) is parsed once to list the literal text (up to PREFIX_CHARS characters) any of its matches must
# start with. One regex, built as a trie of all those starts, walks the word starts of the lower-cased text;
# at each start only the rules that can begin there are tried. A rule the parser cannot bound is run over
# the whole text. The answer equals running every rule everywhere (tag_text(use_prefilter=False)).

PREFIX_CHARS = 16  # longer starts tell rules apart ("domestic abuse n" vs "domestic"): fewer tried in vain
_MAX_PREFIXES = 2000


@dataclass(frozen=True)
class _Rule:
    key: tuple[str, str]  # the theme
    excludes: bool  # True: phrases whose words must not count for the theme
    pattern: re.Pattern  # all the rule's patterns, for the whole-text scan
    alternatives: list[str]  # its top-level alternatives, in order


class _Plans(dict):
    """A dict that works out a missing key's value by `plan` (one look-up per word start on the hot path)."""

    def __init__(self, plan: Callable[[str], tuple]):
        super().__init__()
        self.plan = plan

    def __missing__(self, head: str) -> tuple:
        return self.plan(head)


class _Scanner:
    def __init__(self, themes: dict[tuple[str, str], Theme]):
        self.rules: list[_Rule] = []
        self.unbounded: list[int] = []  # rules tried over the whole text
        self.exclude_of: dict[int, int] = {}  # a theme's match rule -> its exclude rule
        self.theme_of: list[tuple[str, str] | None] = []  # rule -> its theme; None for an exclude rule
        # start text -> (rule, alternative) pairs that may match from there
        self.index: dict[str, list[tuple[int, int]]] = {}
        for key, theme in themes.items():
            for excludes, pattern, sources in ((False, theme.match, theme.match_patterns),
                                               (True, theme.exclude, theme.exclude_patterns)):
                if pattern is None:
                    continue
                rule_id = len(self.rules)
                alternatives = [alt for source in sources for alt in _top_level_alternatives(source)]
                self.rules.append(_Rule(key, excludes, pattern, alternatives))
                self.theme_of.append(None if excludes else key)
                if excludes and theme.match is not None:
                    self.exclude_of[rule_id - 1] = rule_id
                starts = [_match_starts([alt]) for alt in alternatives]
                if None in starts:
                    self.unbounded.append(rule_id)
                    continue
                for alt_id, alt_starts in enumerate(starts):
                    for start in alt_starts:
                        self.index.setdefault(start, []).append((rule_id, alt_id))
        trie = _trie_pattern(sorted(self.index))
        # The longest indexed start at each word start; every shorter indexed start there is a prefix of it.
        self.finder = re.compile(r"(?<!\w)(?=(" + trie + "))" if trie else r"(?!)")
        self._by_head = _Plans(self.rules_for)  # head -> rules_for(head), worked out once
        self._compiled: dict[str, re.Pattern] = {}

    def rules_for(self, head: str) -> tuple[tuple[tuple[int, Callable], ...], tuple[tuple[int, Callable], ...]]:
        """(rule, its expression's match method) to try where a word starts with `head`, match rules and
        exclude rules apart: each rule's alternatives that can begin there, in the rule's order, so the
        first that matches is the one the whole rule would pick."""
        plan = self._by_head.get(head)
        if plan is None:
            wanted: dict[int, set[int]] = {}
            for n in range(1, len(head) + 1):
                for rule_id, alt_id in self.index.get(head[:n], ()):
                    wanted.setdefault(rule_id, set()).add(alt_id)
            plan = tuple((rule_id, self._compile([self.rules[rule_id].alternatives[a] for a in sorted(alt_ids)]).match)
                         for rule_id, alt_ids in sorted(wanted.items()))
            plan = self._by_head[head] = (tuple(p for p in plan if not self.rules[p[0]].excludes),
                                          tuple(p for p in plan if self.rules[p[0]].excludes))
        return plan

    def _compile(self, alternatives: list[str]) -> re.Pattern:
        source = "|".join(f"(?:{alt})" for alt in alternatives)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compiled[source] = _whole_words([source])
        return compiled

    def hits(self, text: str) -> dict[int, list[re.Match]] | None:
        """Rule id -> its non-overlapping matches in text order; None when lower-casing moved offsets.
        A theme's exclude rule is only tried when the theme matched: its matches matter for nothing else."""
        lowered = text.lower()
        if len(lowered) != len(text):
            return None
        by_head = self._by_head
        found: dict[int, list[re.Match]] = {}
        ends: dict[int, int] = {}
        exclude_plans = []  # (position, exclude rules that may match there), for the second pass
        for start in self.finder.finditer(lowered):
            position = start.start()
            matches, excludes = by_head[start[1]]
            if excludes:
                exclude_plans.append((position, excludes))
            for rule_id, match in matches:
                if ends.get(rule_id, -1) > position:
                    continue  # inside this rule's previous match, as finditer would skip it
                m = match(text, position)
                if m:
                    found.setdefault(rule_id, []).append(m)
                    ends[rule_id] = m.end()
        wanted = {self.exclude_of[rule_id] for rule_id in found if rule_id in self.exclude_of}
        for position, excludes in exclude_plans if wanted else ():
            for rule_id, match in excludes:
                if rule_id not in wanted or ends.get(rule_id, -1) > position:
                    continue
                m = match(text, position)
                if m:
                    found.setdefault(rule_id, []).append(m)
                    ends[rule_id] = m.end()
        for rule_id in self.unbounded:
            if not self.rules[rule_id].excludes or rule_id in wanted:
                matches = list(self.rules[rule_id].pattern.finditer(text))
                if matches:
                    found[rule_id] = matches
        return found


def _top_level_alternatives(pattern: str) -> list[str]:
    """`pattern` split at the | that stand outside any group or character class."""
    parts, depth, in_class, current = [], 0, False, 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            if char == "]" and pattern[i - 1] != "[" and pattern[i - 2:i] != "[^":
                in_class = False
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[current:i])
            current = i + 1
        i += 1
    parts.append(pattern[current:])
    return parts


def _match_starts(patterns: list[str]) -> frozenset[str] | None:
    """Every lower-case text (1..PREFIX_CHARS characters) a match of the patterns may start with; None = any."""
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
    return frozenset(found)


def _sequence_starts(items) -> set[tuple[str, bool]] | None:
    """Possible starts of a match of `items`: (text, open) where open means the text can go on."""
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


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    """The project's taxonomy, compiled once per process."""
    return load_taxonomy(THEMES_FILE)


def reload_taxonomy() -> Taxonomy:
    """Forget the compiled taxonomy, the theme model and the tags remembered with them; read the files again."""
    taxonomy.cache_clear()
    theme_model.cache_clear()
    _tag_default.cache_clear()
    return taxonomy()


# ---------------------------------------------------------------- tagging


def _unique(words: list[str]) -> list[str]:
    """Words with runs of white space made single, each once (ignoring case), in order."""
    if len(words) == 1:
        return [" ".join(words[0].split())]
    seen, out = set(), []
    for word in words:
        word = " ".join(word.split())
        key = word.lower()
        if key not in seen:
            seen.add(key)
            out.append(word)
    return out


def _without_excluded(matches: list[re.Match], excluded: list[re.Match]) -> list[re.Match]:
    blocked = [m.span() for m in excluded]
    return [m for m in matches if not any(s < m.end() and m.start() < e for s, e in blocked)]


def _hits_everywhere(tax: Taxonomy, text: str) -> dict[int, list[re.Match]]:
    """The scanner's answer the slow way: every rule over the whole text (the reference for the tests)."""
    found = {}
    for rule_id, rule in enumerate(tax.scanner.rules):
        matches = list(rule.pattern.finditer(text))
        if matches:
            found[rule_id] = matches
    return found


def _tag(text: str, tax: Taxonomy, use_prefilter: bool, model: ThemeModel | None = None,
         reading: Reading | None = None) -> tuple[tuple[str, str, tuple[str, ...], str], ...]:
    """(axis, theme, matched words, source) for each theme of `text`: topic axis first, then Home Office.
    With a model, the topic themes the rules found are read again by it (see dhrlearn.theme_model), and
    a theme whose words all come from themes the model added has source "model" ("rules" otherwise);
    `reading`: the model's, when worked out for many texts at once."""
    folded = fold_apostrophes(text)
    hits = tax.scanner.hits(folded) if use_prefilter else None
    if hits is None:
        hits = _hits_everywhere(tax, folded)
    theme_of, exclude_of = tax.scanner.theme_of, tax.scanner.exclude_of
    words: dict[tuple[str, str], list[str]] = {}
    for rule_id, found in hits.items():
        key = theme_of[rule_id]
        if key is None:
            continue  # an exclude rule
        excluded = hits.get(exclude_of.get(rule_id))
        if excluded:
            found = _without_excluded(found, excluded)
        if found:
            words[key] = _unique([text[m.start():m.end()] for m in found])  # as written
    added: set | tuple = ()
    if model is not None:
        reviewed = _reviewed(text, words, model, reading, tax)
        if reviewed is not words:
            added, words = reviewed.keys() - words.keys(), reviewed
    vetoed = _vetoed(tax, folded) if tax.vetoes else ()
    if vetoed:
        words = {key: found for key, found in words.items() if key not in vetoed}
    if not words:
        return ()
    result = []
    for (axis, theme), sources in tax.layout(frozenset(words)):
        if (axis, theme) in vetoed:
            continue  # a Home Office theme vetoed, that a topic theme would bring
        theme_words = words[sources[0]] if len(sources) == 1 else _unique([w for s in sources for w in words[s]])
        source = "model" if added and all(s in added for s in sources) else "rules"
        result.append((axis, theme, tuple(theme_words), source))
    return tuple(result)


def _vetoed(tax: Taxonomy, folded: str) -> set[tuple[str, str]]:
    """The themes whose veto rows match the text: a reader's "not this theme", which neither the rules nor the
    model may overrule."""
    return {key for key, veto in tax.vetoes.items() if veto.search(folded)}


def _reviewed(text: str, words: dict[tuple[str, str], list[str]], model: ThemeModel,
              reading: Reading | None, tax: Taxonomy) -> dict[tuple[str, str], list[str]]:
    """The rules' words per theme with the topic themes as the model reads them (only the taxonomy's own:
    a theme taken out of themes.csv is not brought back by a model trained before)."""
    topics = {theme: found for (axis, theme), found in words.items() if axis == "topic"}
    reviewed = model.review(text, topics, reading)
    if reviewed == topics:
        return words
    others = {key: found for key, found in words.items() if key[0] != "topic"}
    return {**{("topic", theme): found for theme, found in reviewed.items() if ("topic", theme) in tax.order},
            **others}


@lru_cache(maxsize=TAG_CACHE_SIZE)
def _tag_default(text: str) -> tuple[tuple[str, str, tuple[str, ...], str], ...]:
    return _tag(text, taxonomy(), True, theme_model())


def tag_text(text: str | None, tax: Taxonomy | None = None, use_prefilter: bool = True,
             use_model: bool = True) -> list[ThemeMatch]:
    """Themes shown by `text`, each with the words that matched (topic axis first, then Home Office).

    For the project's taxonomy the rules' topic themes are read again by the theme model
    (`use_model=False`: the rules alone), and answers are remembered by text. `use_prefilter=False` tries
    every rule everywhere: slower, same answer (the tests compare the two).
    """
    if not text or text.isspace():
        return []
    if tax is None and use_prefilter and use_model:
        found = _tag_default(text)
    else:
        model = theme_model() if tax is None and use_model else None
        found = _tag(text, tax or taxonomy(), use_prefilter, model)
    return [ThemeMatch(*match) for match in found]


def tag_texts(texts: list[str]) -> list[tuple[tuple[str, str, tuple[str, ...], str], ...]]:
    """tag_text for many texts, as imports and re-tagging need it: the theme model reads them all at once,
    and from PARALLEL_FROM texts on the work is shared out over one process per core. Each text's matches
    are plain tuples of ThemeMatch's fields (axis, theme, matched, source), as the processes send them:
    made into named tuples here, after the processes finish, 150,000 texts would wait about a second more."""
    distinct = list(dict.fromkeys(texts))  # plan versions repeat most texts: each is tagged once
    parallel = len(distinct) >= PARALLEL_FROM and _cores() > 1 and "fork" in multiprocessing.get_all_start_methods()
    with _no_cycle_collection():
        found = dict(zip(distinct, _tag_in_processes(distinct) if parallel else _tag_many(distinct)))
        return [found[text] for text in texts]


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector off while a bulk of texts is tagged (and in the processes forked meanwhile).
    Tagging makes millions of small objects and no reference cycles: the collector would walk the whole
    heap again and again for nothing (a fifth of the time for 150,000 texts). Freed objects are still
    freed at once by reference counting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _tag_many(texts: list[str]) -> list[tuple[tuple[str, str, tuple[str, ...], str], ...]]:
    """_tag for each text, the model's reading worked out for all of them in one go."""
    model, tax = theme_model(), taxonomy()
    wanted = [text for text in texts if text and not text.isspace()]
    readings = dict(zip(wanted, model.readings([prepared(text) for text in wanted]))) if model else {}
    return [_tag(text, tax, True, model, readings.get(text)) if text and not text.isspace() else () for text in texts]


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _tag_in_processes(texts: list[str]) -> list[tuple]:
    """_tag_many over chunks of the texts, in one process per core.

    The processes are forked from this one, so they read the taxonomy and the model already loaded
    here: started afresh ("spawn") they would import the main module again, which under Streamlit is the
    page being run. They run only the tagger's Python, regex and numpy code, never DuckDB, whose threads
    this process holds. This process tags the first chunk before they start, so they inherit the rules
    compiled for the commonest words; then it only hands out chunks and gathers the answers. (Tagging
    chunks here as well was slower: taking the answers in competes with that work for this process.)"""
    chunks = [texts[i:i + PARALLEL_CHUNK] for i in range(0, len(texts), PARALLEL_CHUNK)]
    first = _tag_many(chunks[0])
    with ProcessPoolExecutor(_cores(), mp_context=multiprocessing.get_context("fork")) as pool:
        rest = list(pool.map(_tag_many, chunks[1:]))
    return [tags for chunk in (first, *rest) for tags in chunk]


def tagging_accuracy(path: str | Path = ACCURACY_FILE) -> pd.DataFrame:
    """How often each topic theme's tags agree with a person reading the labelling guide, on text no rule was
    written from and the theme model never learnt from (theme, labels, precision, recall), with a reading of
    them in words."""
    table = pd.read_csv(path, comment="#", dtype={"theme": str, "labels": int, "precision": float, "recall": float})
    missed, over = table["recall"] < RELIABLE, table["precision"] < RELIABLE
    table["reading"] = "Found reliably"
    table.loc[missed, "reading"] = "Misses some"
    table.loc[over, "reading"] = "Over-counts some"
    table.loc[missed & over, "reading"] = "Misses and over-counts some"
    return table


def topic_themes(text: str | None, use_model: bool = True) -> set[str]:
    """Just the topic theme ids of `text` (`use_model=False`: as the rules alone find them)."""
    return {m.theme for m in tag_text(text, use_model=use_model) if m.axis == "topic"}


# ---------------------------------------------------------------- storing

THEME_COLUMNS = ["case_id", "plan_version_id", "recommendation_id", "action_id", "axis", "theme", "field", "matched",
                 "source"]
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


_DISTINCT_TEXTS = """
    SELECT DISTINCT text FROM (
        SELECT text FROM recommendation UNION ALL SELECT text FROM action UNION ALL SELECT update_text FROM action
    ) WHERE text IS NOT NULL
"""


def _source_texts(con: duckdb.DuckDBPyConnection, plan_version_ids: list[int] | None) -> pd.DataFrame:
    if plan_version_ids is None:
        sql = _SOURCE_TEXTS.format(where_r="TRUE", where_a="TRUE")
        return con.execute(sql).df()
    # The range lets DuckDB skip row groups outside the batch before testing membership.
    where = "{t}.plan_version_id BETWEEN $lo AND $hi AND list_contains($pvs, {t}.plan_version_id)"
    sql = _SOURCE_TEXTS.format(where_r=where.format(t="r"), where_a=where.format(t="a"))
    ids = list(plan_version_ids)
    return con.execute(sql, {"pvs": ids, "lo": min(ids), "hi": max(ids)}).df()


def _tag_rows(texts: pd.DataFrame, memo: dict | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Theme-match rows and uptake-evidence rows for the texts (one DataFrame each).

    Each distinct text is tagged once: plans repeat texts ("Complete", standard actions, whole plans
    re-imported as a later version).
    """
    from dhrlearn.uptake import find_uptake

    memo = {} if memo is None else memo  # text -> [themes, uptake]; shared by retag_all's batches
    new = [text for text in texts["text"].unique() if text not in memo]
    for text, tags in zip(new, tag_texts(new)):
        memo[text] = [tags, None]
    for text in texts.loc[texts["field"] == "update", "text"].unique():
        if memo[text][1] is None:
            memo[text][1] = find_uptake(text)
    themes, uptake = [], []
    for case_id, pv, rec, act, fld, text in texts.itertuples(index=False, name=None):
        act = None if pd.isna(act) else int(act)
        tags, evidence = memo[text]
        for axis, theme, matched, source in tags:
            themes.append((case_id, pv, rec, act, axis, theme, fld, "; ".join(matched), source))
        if fld == "update":
            for ev in evidence:
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
    """(Re)compute theme_match and uptake_evidence for one plan version from its stored rows."""
    return tag_plan_versions(con, [plan_version_id])


def tag_plan_versions(con: duckdb.DuckDBPyConnection, plan_version_ids: list[int]) -> tuple[int, int]:
    """(Re)compute theme_match and uptake_evidence for plan versions from their stored rows.

    One pass for a whole imported file, however many cases it holds. Runs inside the caller's
    transaction when there is one. Returns (theme rows, uptake rows).
    """
    ids = {"pvs": list(plan_version_ids), "lo": min(plan_version_ids), "hi": max(plan_version_ids)}
    themes, uptake = _tag_rows(_source_texts(con, plan_version_ids))
    for table in ("theme_match", "uptake_evidence"):  # the range skips row groups of older versions
        con.execute(f"DELETE FROM {table} WHERE plan_version_id BETWEEN $lo AND $hi "
                    "AND list_contains($pvs, plan_version_id)", ids)
    _insert(con, "theme_match", themes)
    _insert(con, "uptake_evidence", uptake)
    refresh_facts(con, plan_version_ids, THEME_FACTS)
    if con.execute("SELECT count(*) FROM tagging_state").fetchone()[0] == 0 and _only_versions(con, plan_version_ids):
        _record_rules(con)  # a new database's first plans: tagged with today's rules
    return len(themes), len(uptake)


def rules_fingerprint() -> str:
    """A digest of what the tagging follows: the taxonomy, the theme model, the uptake phrases and MATCHING_VERSION."""
    from dhrlearn.uptake import PHRASES_FILE

    digest = hashlib.sha256(MATCHING_VERSION.encode())
    for path in (THEMES_FILE, theme_model_module.MODEL_FILE, PHRASES_FILE):
        digest.update(Path(path).read_bytes() if Path(path).exists() else b"")
    return digest.hexdigest()


def rules_changed(con: duckdb.DuckDBPyConnection) -> bool:
    """Were the stored plans tagged with other rules than today's (or with rules not recorded)?"""
    stored = con.execute("SELECT any_value(rules_sha) FROM tagging_state").fetchone()[0]
    if stored is None:
        return con.execute("SELECT count(*) FROM plan_version").fetchone()[0] > 0
    return stored != rules_fingerprint()


def _only_versions(con, plan_version_ids: list[int]) -> bool:
    return con.execute("SELECT count(*) FROM plan_version").fetchone()[0] == len(set(plan_version_ids))


def _record_rules(con) -> None:
    con.execute("DELETE FROM tagging_state")
    con.execute("INSERT INTO tagging_state (rules_sha) VALUES (?)", [rules_fingerprint()])


def regroup_recurring(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild the recurring-recommendation groups after imports; returns the number of groups."""
    members = _recurring_members(con)
    con.execute("BEGIN TRANSACTION")
    try:
        _store_recurring(con, members)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return int(members["group_id"].nunique())


def _recurring_members(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The rows of recurring_member: each case's latest recommendations grouped into near-duplicates."""
    from dhrlearn.recurring import group_recommendations

    groups = group_recommendations(con.execute(_LATEST_RECOMMENDATIONS).df())
    return groups[["group_id", "recommendation_id", "case_id", "similarity"]]


def _store_recurring(con: duckdb.DuckDBPyConnection, members: pd.DataFrame) -> None:
    """Replace recurring_member and its summaries, inside the caller's transaction."""
    con.execute("DELETE FROM recurring_member")
    _insert(con, "recurring_member", members)
    refresh_recurring_facts(con)


def refresh_recurring_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the summaries of recurring_member (migration 005) after it has been rewritten."""
    refresh_facts(con, None, ("recurring_case_fact",))
    con.execute("DELETE FROM recurring_member_fact")  # groups span cases: rebuilt whole
    con.execute("INSERT INTO recurring_member_fact SELECT * FROM recurring_member_fact_rows()")


RETAG_BATCH = 2_000  # plan versions tagged at a time by retag_all

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


_STAGED = ("theme_match", "uptake_evidence")  # filled batch by batch by retag_all, then swapped in


def retag_all(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild theme_match, uptake_evidence and recurring_member for every stored plan.

    The new rows are tagged in batches into staging tables, each batch committed, then swapped in with
    the fact tables in one transaction: a reader, or a failure part-way, sees the old rows or the new,
    never a mix. (One transaction holding every batch kept each batch's inserted frames alive until
    COMMIT: peak memory 864 MB at 10,000 cases, 547 MB staged.) Recurring groups use each case's latest
    plan version.
    """
    for table in _STAGED:  # in the database file: a TEMP table would hold every staged row in memory
        con.execute(f"CREATE OR REPLACE TABLE staged_{table} AS FROM {table} LIMIT 0")
    try:
        themes, uptake = _stage_tags(con)
        members = _recurring_members(con)
        _swap_in_tags(con, members)
    finally:
        for table in _STAGED:
            con.execute(f"DROP TABLE IF EXISTS staged_{table}")
    return {
        "theme_match": themes,
        "uptake_evidence": uptake,
        "recurring_member": len(members),
        "recurring_groups": int(members["group_id"].nunique()),
    }



def _stage_tags(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Tag every stored plan into the staging tables, RETAG_BATCH plan versions at a time; the row counts."""
    versions = [row[0] for row in con.execute("SELECT plan_version_id FROM plan_version ORDER BY 1").fetchall()]
    themes = uptake = 0
    # Plan versions repeat most texts: each distinct text is tagged once, all of them in one go up front
    # (tag_texts shares a long list out over the cores), and the batches look them up.
    distinct = [row[0] for row in con.execute(_DISTINCT_TEXTS).fetchall()]
    memo: dict = {text: [tags, None] for text, tags in zip(distinct, tag_texts(distinct))}
    for start in range(0, len(versions), RETAG_BATCH):
        batch_themes, batch_uptake = _tag_rows(_source_texts(con, versions[start:start + RETAG_BATCH]), memo)
        _insert(con, "staged_theme_match", batch_themes)
        _insert(con, "staged_uptake_evidence", batch_uptake)
        themes, uptake = themes + len(batch_themes), uptake + len(batch_uptake)
    return themes, uptake


def _swap_in_tags(con: duckdb.DuckDBPyConnection, recurring_members: pd.DataFrame) -> None:
    """Replace the stored tags and groups with the new ones, and rebuild what reads them, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        for table in _STAGED:
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} FROM staged_{table}")
        refresh_facts(con, None, THEME_FACTS)
        _record_rules(con)
        _store_recurring(con, recurring_members)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def run_cli(args) -> int:
    """`python -m dhrlearn retag`: rebuild derived tables after the taxonomy or phrases change."""
    from dhrlearn.store.db import connect

    from dhrlearn.uptake import phrases

    try:
        reload_taxonomy()
        theme_model()
        phrases()
    except config.ReferenceFileError as exc:
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
