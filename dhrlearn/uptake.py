"""Training-uptake evidence in update text: "poor take up", "85% of staff trained", "all officers trained by summer 2023".

The phrases are data (data/reference/uptake_phrases.csv). Each clause of an update gives at most one piece of
evidence: negative beats planned, planned beats positive, so "good uptake but this tailed off" is negative.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dhrlearn import config
from dhrlearn.normalise.text import fold_apostrophes

PHRASES_FILE = config.REFERENCE_DIR / "uptake_phrases.csv"
POLARITIES = ("negative", "planned", "positive")  # order of precedence within a clause
SNIPPET_CHARS = 240
# A clause must speak of training or uptake before phrases marked needs_context count.
_CONTEXT = re.compile(
    r"(?<!\w)(?:train\w*|tr(?:n?g)|courses?|sessions?|e-?learning|modules?|briefings?|workshops?|CPD|L ?& ?D"
    r"|induction|take[- ]?up|uptake|attend\w*|completion|compliance|delegates)(?!\w)",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"(?<=[.!?])\s+|;|\n+")


class UptakePhrasesError(config.ReferenceFileError):
    """The phrases file cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class UptakeEvidence:
    polarity: str  # negative | positive | planned
    phrase: str  # the words that matched, "; "-separated
    snippet: str  # the clause around them


@dataclass
class _Phrases:
    always: dict[str, re.Pattern]  # polarity -> phrases that are uptake evidence on their own
    in_context: dict[str, re.Pattern]  # polarity -> phrases that need a training word nearby


def _whole_words(patterns: list[str]) -> re.Pattern | None:
    if not patterns:
        return None
    return re.compile("(?<!\\w)(?:" + "|".join(f"(?:{p})" for p in patterns) + ")(?!\\w)", re.IGNORECASE)


def load_phrases(path: str | Path = PHRASES_FILE) -> _Phrases:
    path = Path(path)
    with open(path, newline="", encoding="utf-8") as handle:
        numbered = [(n, line) for n, line in enumerate(handle, 1) if line.strip() and not line.startswith("#")]
    reader = csv.DictReader([line for _, line in numbered])
    if not reader.fieldnames or set(reader.fieldnames) != {"polarity", "needs_context", "pattern"}:
        raise UptakePhrasesError(f"{path}: header must be polarity,needs_context,pattern")
    found = {True: {p: [] for p in POLARITIES}, False: {p: [] for p in POLARITIES}}
    for (line_no, _), row in zip(numbered[1:], reader):
        where = f"{path}, line {line_no}"
        if None in row or None in row.values():
            raise UptakePhrasesError(f"{where}: expected 3 fields; put a pattern that holds a comma in double quotes")
        polarity, needs, pattern = row["polarity"].strip(), row["needs_context"].strip(), row["pattern"].strip()
        if polarity not in POLARITIES:
            raise UptakePhrasesError(f"{where}: polarity {polarity!r} is not one of {', '.join(POLARITIES)}")
        if needs not in ("yes", "no"):
            raise UptakePhrasesError(f"{where}: needs_context must be yes or no, not {needs!r}")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise UptakePhrasesError(f"{where}: pattern {pattern!r} is not a valid expression: {exc}") from None
        found[needs == "yes"][polarity].append(pattern)
    return _Phrases(
        always={p: _whole_words(v) for p, v in found[False].items() if v},
        in_context={p: _whole_words(v) for p, v in found[True].items() if v},
    )


@lru_cache(maxsize=1)
def phrases() -> _Phrases:
    return load_phrases(PHRASES_FILE)


def _clause_evidence(clause: str, table: _Phrases) -> UptakeEvidence | None:
    folded = fold_apostrophes(clause)  # matched as the phrases are written; words shown as in the text
    has_context = _CONTEXT.search(folded) is not None
    for polarity in POLARITIES:
        patterns = [table.always.get(polarity)]
        if has_context:
            patterns.append(table.in_context.get(polarity))
        words = [clause[m.start():m.end()]
                 for pattern in patterns if pattern is not None for m in pattern.finditer(folded)]
        if words:
            snippet = " ".join(clause.split())
            if len(snippet) > SNIPPET_CHARS:
                snippet = snippet[: SNIPPET_CHARS - 1] + "…"
            return UptakeEvidence(polarity, "; ".join(dict.fromkeys(" ".join(w.split()) for w in words)), snippet)
    return None


def find_uptake(text: str | None) -> list[UptakeEvidence]:
    """Uptake evidence in an update text, one item per clause that shows some, in text order."""
    if not text:
        return []
    table = phrases()
    found = []
    for clause in _CLAUSE_BREAK.split(text):
        if clause and clause.strip():
            evidence = _clause_evidence(clause, table)
            if evidence is not None:
                found.append(evidence)
    return found
