"""Text as the matching rules read it.

Word and PDF turn the apostrophe into a typographic one ("Clare’s Law", "didn’t"); the theme rules and
uptake phrases are written with the plain one. Folding is one character for one, so every match keeps
its place in the text as written, and the words shown as evidence are taken from that text.
"""
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'"})


def fold_apostrophes(text: str) -> str:
    """The text with typographic apostrophes made plain; the same length."""
    # Most texts have none: four look-ups cost a thirtieth of a translation (every text is tagged).
    if "\u2019" in text or "\u2018" in text or "\u02bc" in text or "\u2032" in text:
        return text.translate(_APOSTROPHES)
    return text
