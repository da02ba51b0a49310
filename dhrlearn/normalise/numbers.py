"""Recommendation numbers as written -> a clean number and a key that sorts numerically.

"Recommendation No 1" -> ("1", "0001"); "5.1" -> ("5.1", "0005.0001");
"3.140(a)" -> ("3.140(a)", "0003.0140.a"); "12 b)" -> ("12b", "0012.b").
Text with no number keeps its words and sorts after every number ("~..." key).
"""
from __future__ import annotations

import re

_PREFIX = re.compile(
    r"^\s*(?:(?:single\s+agency\s+|overview\s+)?(?:recommendations?|recs?|r)\b\.?|rec(?=\d)|r(?=\d))?"
    r"\s*(?:(?:no|number|num)\b\.?|#)?\s*",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"^(?P<digits>\d+(?:\.\d+)*)\.?\s*"
    r"(?:(?P<paren>\(\s*(?P<p_letter>[a-z]{1,4})\s*\))|(?P<letter>[a-z])\)?|\.(?P<dot_letter>[a-z])\)?)?"
    r"(?![a-z0-9])",
    re.IGNORECASE,
)
_PART_WIDTH = 4


def clean_number(raw: str | int | float | None) -> tuple[str, str]:
    """(number, sort_key) for a recommendation number as written."""
    if raw is None:
        return "", ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a spreadsheet cell holding 3.0
    text = " ".join(str(raw).split())
    if not text:
        return "", ""
    rest = _PREFIX.sub("", text, count=1)
    m = _NUMBER.match(rest)
    if not m:
        words = text.strip(" .:")
        return words, "~" + words.lower()
    digits = m["digits"]
    letter = (m["p_letter"] or m["letter"] or m["dot_letter"] or "").lower()
    if m["paren"]:
        number = f"{digits}({letter})"
    else:
        number = digits + letter
    parts = [part.zfill(_PART_WIDTH) for part in digits.split(".")]
    if letter:
        parts.append(letter)
    return number, ".".join(parts)
