"""Raw status words -> a normalised status (dhrlearn.model.STATUSES).

The vocabulary lives in data/reference/status_words.csv (word, status, match,
confidence, notes); this module only interprets it. Where to look, in order:

1. the status cell, when it holds a known word or phrase;
2. the END of the free update text ("... Complete", "... Incomplete - to be
   updated"): only the last status phrase counts, so "we have completed the first
   two actions" in the middle of a running log never decides anything;
3. a phrase marked `anywhere` (e.g. "business as usual") anywhere in the update text;
4. the RAG cell (Blue/Green/Amber/Red).

Longer phrases win over the words inside them ("Not started" over "started",
"Partially complete" over "complete"); "Incomplete" never matches "complete"
because a phrase must start and end on a word boundary.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dhrlearn import config
from dhrlearn.model import STATUSES

STATUS_WORDS_FILE = "status_words.csv"
MATCH_MODES = ("end", "cell", "whole", "answer", "anywhere")

# Words just before a status word that make it a plan, not a fact:
# "will be completed", "once complete", "not closed".
HEDGES = frozenset(
    "be being become becomes to will would should must can could may might once when until if before not".split()
)
# What may follow the final status word in update text: punctuation, or a short
# aside that starts with a separator ("- to be updated", "(see minutes)"), or a date, itself
# followed by such an aside or not ("in May 2025 - JB", trackers sign their updates).
_SEPARATOR_TRAILER = re.compile(r"^\s*[-–—:;,.(\[]")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_TRAILER = re.compile(
    rf"^[\s\-–—:,.()]*(?:(?:on|at|in|by|as\s+of)\s+)?"
    rf"(?:\d{{1,4}}(?:[./\-]\d{{1,4}}){{0,2}}(?:st|nd|rd|th)?|{_MONTH})(?:[\s,.\-/]+(?:\d{{1,4}}(?:st|nd|rd|th)?|{_MONTH})){{0,3}}"
    r"(?:[\s.)]*$|\s*[\-–—:;,(\[])",
    re.IGNORECASE,
)
_MAX_TRAILER_WORDS = 10
_WORD_SEP = r"[\s\-–—_:,/]+"
_WORDS = re.compile(r"[a-z0-9]+|✔")  # a tick counts as a word, so status_words.csv can list it
_TICKS = str.maketrans(dict.fromkeys("✓☑✅🗸", "✔"))  # every tick mark is read as ✔
_LETTERS = re.compile(r"[a-z]+")
_TAIL_CHARS = 200  # enough for the final phrase and its longest allowed trailer


@dataclass(frozen=True)
class StatusResult:
    status: str  # one of dhrlearn.model.STATUSES
    word: str = ""  # the raw word or phrase that decided it, as written
    confidence: float = 0.0  # 0..1


UNKNOWN = StatusResult("unknown", "", 0.0)


@dataclass(frozen=True)
class StatusWord:
    word: str
    status: str
    match: str = "end"
    confidence: float = 1.0


class StatusVocabulary:
    """The status words of one file, compiled into one regex per match mode."""

    def __init__(self, words: list[StatusWord]):
        self.words = words
        self._by_key = {_key(w.word): w for w in words}
        self._cell = _compile([w for w in words if w.match not in ("whole", "answer")])
        self._text_reversed = _compile([w for w in words if w.match in ("end", "anywhere")], reverse=True)
        self._anywhere = _compile([w for w in words if w.match == "anywhere"])

    @classmethod
    def load(cls, path: Path | None = None) -> "StatusVocabulary":
        path = path or config.REFERENCE_DIR / STATUS_WORDS_FILE
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        words = []
        for line_no, row in enumerate(rows, start=2):
            words.append(_word_from_row(row, path, line_no))
        return cls(words)

    def lookup(self, phrase: str) -> StatusWord:
        return self._by_key[_key(phrase)]

    # -- the three places a status can be read from --------------------------
    def from_cell(self, cell: str, rag: bool = False) -> StatusResult | None:
        """The status a status cell (rag=True: a RAG cell) says."""
        cell = cell.strip()
        if not cell:
            return None
        whole = self._by_key.get(_key(cell))
        if whole and not (rag and whole.match == "answer"):  # "Y" in a RAG column may be yellow
            return StatusResult(whole.status, cell, whole.confidence)
        for found in self._cell.finditer(cell):
            if not _is_hedged(cell[: found.start()]):  # "To be completed by March" is no completion
                entry = self.lookup(found.group(0))
                return StatusResult(entry.status, found.group(0), round(entry.confidence * 0.9, 3))
        return None

    def from_text_end(self, text: str) -> StatusResult | None:
        found = self._last_phrase(text)
        if found is None:
            return None
        start, end, entry = found
        trailer = text[end:]
        if _is_hedged(text[:start]) or not _is_acceptable_trailer(trailer):
            return None
        factor = 0.9 if not trailer.strip(" .!\n\t") else 0.8
        return StatusResult(entry.status, text[start:end], round(entry.confidence * factor, 3))

    def _last_phrase(self, text: str) -> tuple[int, int, StatusWord] | None:
        """The last status phrase in `text` (the longest, where phrases share their last word).

        Searches the reversed tail of the text with the reversed phrases, so the search
        stops at the first hit from the end instead of scanning a long running log.
        """
        offset = max(0, len(text) - _TAIL_CHARS)
        backwards = text[offset:][::-1]
        m = self._text_reversed.search(backwards)
        if m is None:
            return None
        if offset and m.end() == len(backwards) and text[offset - 1].isalnum():
            return None  # a word cut in half by the window
        start, end = len(text) - m.end(), len(text) - m.start()
        return start, end, self.lookup(text[start:end])

    def from_text_anywhere(self, text: str) -> StatusResult | None:
        for found in self._anywhere.finditer(text):
            if not _is_hedged(text[: found.start()]):
                entry = self.lookup(found.group(0))
                return StatusResult(entry.status, found.group(0), round(entry.confidence * 0.6, 3))
        return None


def _word_from_row(row: dict, path: Path, line_no: int) -> StatusWord:
    word = (row.get("word") or "").strip()
    status = (row.get("status") or "").strip()
    match = (row.get("match") or "end").strip() or "end"
    if not word:
        raise ValueError(f"{path.name} line {line_no}: the word is empty")
    if not _key(word):
        raise ValueError(f"{path.name} line {line_no}: '{word}' has no letter, digit or tick, so no cell could match it")
    if status not in STATUSES:
        raise ValueError(f"{path.name} line {line_no}: status '{status}' is not one of {', '.join(STATUSES)}")
    if match not in MATCH_MODES:
        raise ValueError(f"{path.name} line {line_no}: match '{match}' is not one of {', '.join(MATCH_MODES)}")
    try:
        confidence = float(row.get("confidence") or 1.0)
    except ValueError:
        raise ValueError(f"{path.name} line {line_no}: confidence '{row['confidence']}' is not a number") from None
    return StatusWord(word, status, match, confidence)


def _key(phrase: str) -> str:
    return " ".join(_WORDS.findall(phrase.lower().translate(_TICKS)))


def _compile(words: list[StatusWord], reverse: bool = False) -> re.Pattern:
    # Longest first, so the regex prefers "partially complete" to "complete" at one position.
    phrases = sorted({_key(w.word)[:: -1 if reverse else 1] for w in words}, key=len, reverse=True)
    alternatives = [_WORD_SEP.join(re.escape(part) for part in p.split()) for p in phrases if p]
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])", re.IGNORECASE)


def _is_hedged(before: str) -> bool:
    previous = _LETTERS.findall(before[-30:].lower())
    return bool(previous) and previous[-1] in HEDGES


def _is_acceptable_trailer(trailer: str) -> bool:
    if not trailer.strip(" .!\n\t\r"):
        return True
    if len(trailer.split()) > _MAX_TRAILER_WORDS:
        return False
    return bool(_SEPARATOR_TRAILER.match(trailer) or _DATE_TRAILER.match(trailer))


# -- the module's default vocabulary, loaded once per process --------------------
_default: StatusVocabulary | None = None


def default_vocabulary() -> StatusVocabulary:
    global _default
    if _default is None:
        _default = StatusVocabulary.load()
    return _default


def reload_default_vocabulary() -> StatusVocabulary:
    """Re-read status_words.csv (after a user edited it)."""
    global _default
    _default = StatusVocabulary.load()
    _classify_cached.cache_clear()
    return _default


def classify_status(
    status_raw: str, update_text: str = "", rag: str = "", vocabulary: StatusVocabulary | None = None
) -> StatusResult:
    """The normalised status of one action, and the word that decided it."""
    if vocabulary is not None:
        return _classify(vocabulary, status_raw or "", update_text or "", rag or "")
    return _classify_cached(status_raw or "", update_text or "", rag or "")


@lru_cache(maxsize=100_000)
def _classify_cached(status_raw: str, update_text: str, rag: str) -> StatusResult:
    return _classify(default_vocabulary(), status_raw, update_text, rag)


def _classify(vocab: StatusVocabulary, status_raw: str, update_text: str, rag: str) -> StatusResult:
    result = (
        vocab.from_cell(status_raw)
        or vocab.from_text_end(update_text)
        or vocab.from_text_anywhere(update_text)
        or _from_rag(vocab, rag)
    )
    return result or UNKNOWN


def _from_rag(vocab: StatusVocabulary, rag: str) -> StatusResult | None:
    found = vocab.from_cell(rag, rag=True)
    if found is None:
        return None
    # A RAG colour is a local habit, so it counts for a little less than a word.
    return StatusResult(found.status, found.word, round(found.confidence * 0.9, 3))
