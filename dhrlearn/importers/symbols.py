"""Ticks and crosses written in a symbol font.

Word and Excel users mark a done row with Insert > Symbol, or type "ü" in Wingdings; PDFs carry the same
marks in Wingdings or ZapfDingbats. The file keeps the font's own code, which as text means nothing ("ü",
"P", "4"). Here are the marks trackers use, as the characters they show; a status cell holding only a tick
is then read as complete (data/reference/status_words.csv).
"""
from __future__ import annotations

import re
from functools import lru_cache

SYMBOL_MARKS = {
    "wingdings": {0xFC: "✔", 0xFE: "☑", 0xFB: "✗", 0xFD: "☒", 0xA8: "☐", 0x6F: "☐"},
    "wingdings 2": {0x50: "✔", 0x52: "☑", 0x4F: "✗", 0x54: "☒", 0xA3: "☐"},
    "zapfdingbats": {0x33: "✔", 0x34: "✔", 0x35: "✗", 0x36: "✗", 0x37: "✗", 0x38: "✗"},
}


@lru_cache(maxsize=256)  # a file names a few fonts, over and over
def symbol_font(name: str | None) -> str | None:
    """The symbol font a font name stands for (a key of SYMBOL_MARKS), or None for any other font.
    Names as Word, Excel and PDFs write them: "Wingdings 2", "ABCDEF+Wingdings-Regular", "ZapfDingbats"."""
    plain = re.sub(r"[^a-z0-9]", "", (name or "").split("+")[-1].lower())
    if plain.startswith("wingdings2"):
        return "wingdings 2"
    if plain.startswith("wingdings") and not plain.startswith("wingdings3"):
        return "wingdings"
    if "dingbats" in plain:
        return "zapfdingbats"
    return None


def _font_code(code: int) -> int:
    """A symbol font's character code: Word and PDFs often write it in the private-use page F0xx."""
    return code - 0xF000 if 0xF000 <= code <= 0xF0FF else code


def symbol_text(font: str | None, code: int) -> str:
    """The character one symbol shows: a known mark of a symbol font, else the code itself when it is a
    character of its own (a symbol from a Unicode font), else nothing."""
    marks = SYMBOL_MARKS.get(symbol_font(font))
    if marks is not None:
        return marks.get(_font_code(code), "")
    return "" if 0xE000 <= code <= 0xF8FF else chr(code)  # a private-use code shows nothing readable


def in_symbol_font(text: str, font: str | None) -> str:
    """Text written in `font`: in a symbol font, its marks made the characters they show (other
    characters kept); in any other font, the text as it is."""
    marks = SYMBOL_MARKS.get(symbol_font(font))
    if marks is None:
        return text
    return "".join(marks.get(_font_code(ord(c)), c) for c in text)
