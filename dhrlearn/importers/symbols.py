"""Ticks and crosses written in a symbol font.

Word and Excel users mark a done row with Insert > Symbol, or type "ü" in Wingdings: the file keeps the
font's own code, which as text means nothing ("ü", "P"). Here are the marks trackers use, as the characters
they show; a status cell holding only a tick is then read as complete (data/reference/status_words.csv).
"""
from __future__ import annotations

SYMBOL_MARKS = {
    "wingdings": {0xFC: "✔", 0xFE: "☑", 0xFB: "✗", 0xFD: "☒", 0xA8: "☐", 0x6F: "☐"},
    "wingdings 2": {0x50: "✔", 0x52: "☑", 0x4F: "✗", 0x54: "☒", 0xA3: "☐"},
}


def is_symbol_font(font: str | None) -> bool:
    return (font or "").strip().lower() in SYMBOL_MARKS


def symbol_text(font: str, code: int) -> str:
    """The character one symbol shows: a known mark of a symbol font, else the code itself when it is a
    character of its own (a symbol from a Unicode font), else nothing."""
    marks = SYMBOL_MARKS.get(font.strip().lower())
    if marks is not None:
        return marks.get(code - 0xF000 if 0xF000 <= code <= 0xF0FF else code, "")
    return "" if 0xE000 <= code <= 0xF8FF else chr(code)  # a private-use code shows nothing readable


def in_symbol_font(text: str, font: str) -> str:
    """Text typed in a symbol font, its marks made the characters they show (other characters kept)."""
    return "".join(symbol_text(font, ord(char)) or char for char in text)
