"""PDF action plans with a text layer: tables found by pdfplumber, ruled or not.

Ruled tables (drawn cell borders, as Word exports them) are read with pdfplumber's
"lines" strategy; when none has a recognisable header, tables laid out by alignment alone
are read from word positions: the header line gives the column edges and text lines are
joined back into rows.
A table that carries on from the previous page is marked so the grid reader drops the
repeated header and joins a row split by the page break. When no table is recognised
the page text goes to the text importer (dhrlearn.importers.text), which handles plans
whose columns came out interleaved.
"""
from __future__ import annotations

import bisect
import io
from functools import lru_cache

from dhrlearn.importers import sha256_of
from dhrlearn.importers.grid import (
    Grid, Merged, NoTableFound, is_header_row, plans_from_grids, split_number, sub_part)
from dhrlearn.importers.symbols import in_symbol_font, symbol_font
from dhrlearn.model import ImportFailed, ParsedPlan

IMPORTER_VERSION = "pdf-1.1"  # 1.1: ticks and crosses from symbol fonts; "Completed? (Y/N)" columns
LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def open_pdf(data: bytes, name: str):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ImportFailed(name, "is not a PDF file (it does not start with %PDF); it may be damaged or misnamed")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # parses the page tree: damage shows here
    except Exception as exc:  # pdfplumber wraps pdfminer's many errors; the original is the first argument
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFPasswordIncorrect) or "encrypt" in type(cause).__name__.lower():
            raise ImportFailed(name, "is encrypted with a password; save an unprotected copy and import that") from None
        detail = str(cause) or type(cause).__name__
        raise ImportFailed(name, f"cannot be read as a PDF (it may be damaged or cut short): {detail}") from None
    if not pdf.pages:
        raise ImportFailed(name, "has no pages")
    return pdf


# ---------------------------------------------------------------- reading a page's objects quickly

_PLAIN = {type(None), bool, int, float, str}
_PLAIN_OR_TUPLE = _PLAIN | {tuple}


def _all_plain(values) -> bool:
    """No PDF reference (or other object) to resolve among these values or in their tuples."""
    return _PLAIN_OR_TUPLE.issuperset(map(type, values)) and all(
        _PLAIN.issuperset(map(type, v)) for v in values if type(v) is tuple)


@lru_cache(maxsize=64)
def _colour_space(name):
    from pdfplumber.utils.pdfinternals import resolve_and_decode

    return resolve_and_decode(name)


def page_objects(page) -> dict[str, list[dict]]:
    """The page's chars, rects, lines... exactly as pdfplumber's Page.parse_objects gives them
    (a test compares them), with each character's dict made directly.

    pdfplumber passes every attribute of every object through a generic resolver of PDF
    references; a character's attributes are plain numbers and strings, and on a dense page
    (2,000+ characters) that resolver took most of the reading time. A character with
    anything else, and every other object, still goes through the library."""
    from pdfminer.layout import LTChar, LTContainer
    from pdfplumber.page import ALL_ATTRS

    if page.pdf.laparams is not None or page.pdf.unicode_norm is not None:
        return page.parse_objects()
    mediabox_x0, mediabox_top = page.mediabox[:2]
    height, doctop, number = page.height, page.initial_doctop, page.page_number
    objects: dict[str, list[dict]] = {}

    def char_object(char) -> dict:
        attr = {k: v for k, v in char.__dict__.items() if k in ALL_ATTRS}
        if not _all_plain(attr.values()) or not hasattr(char, "ncs"):
            return page.process_object(char)
        state = char.graphicstate
        top = (height - attr["y1"]) + mediabox_top
        attr.update(
            object_type="char", page_number=number, ncs=_colour_space(char.ncs.name), text=char.get_text(),
            stroking_color=state.scolor if isinstance(state.scolor, tuple) else (state.scolor,),
            non_stroking_color=state.ncolor if isinstance(state.ncolor, tuple) else (state.ncolor,),
            top=top, bottom=(height - attr["y0"]) + mediabox_top, doctop=doctop + top,
        )
        if mediabox_x0 != 0:
            attr["x0"] += mediabox_x0
            attr["x1"] += mediabox_x0
        return attr

    def walk(items):
        for obj in items:
            if isinstance(obj, LTContainer):
                walk(obj._objs)  # without layout analysis a container (a figure) is only its contents
            else:
                made = char_object(obj) if type(obj) is LTChar else page.process_object(obj)
                if made["object_type"] != "anno":
                    objects.setdefault(made["object_type"], []).append(made)

    walk(page.layout._objs)
    return objects


def load_objects(page):
    """Fill pdfplumber's per-page cache of objects (Page.objects) with page_objects, so every
    later use (chars, tables, words, text) reads from it."""
    if not hasattr(page, "_objects"):
        page._objects = page_objects(page)
        for char in page._objects.get("char", ()):
            if symbol_font(char.get("fontname")):  # a tick in Wingdings or ZapfDingbats, as the mark it shows
                char["text"] = in_symbol_font(char["text"], char["fontname"])
    return page


# ---------------------------------------------------------------- tables

def cell_text(text: str | None) -> str:
    """Lines wrapped inside a cell are one text again."""
    return " ".join(text.split()) if text else ""


def _covered(row: list, col: int, x_lefts: list[float]) -> Merged:
    """A position no cell covers (pdfplumber gives None) is covered from the left when a cell
    before it in the same row reaches over its column; otherwise a cell above reaches down into it."""
    for left in reversed(row[:col]):
        if left is not None:
            return Merged.LEFT if left[2] > x_lefts[col] + 1 else Merged.UP
    return Merged.UP


class CharIndex:
    """A page's characters ordered by the height of their centre, to find those in a cell
    without testing every character of the page for every cell."""

    def __init__(self, chars: list[dict]):
        centres = sorted(((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars))
        self.chars = chars
        self.heights = [h for h, _ in centres]
        self.order = [i for _, i in centres]

    def in_box(self, box) -> list[dict]:
        """Characters whose centre lies in the box, in page order: Table.extract's rule."""
        x0, top, x1, bottom = box
        band = self.order[bisect.bisect_left(self.heights, top):bisect.bisect_left(self.heights, bottom)]
        found = []
        for i in sorted(band):
            c = self.chars[i]
            if x0 <= (c["x0"] + c["x1"]) / 2 < x1:
                found.append(c)
        return found

    def text_in(self, box) -> str:
        """A cell's text as pdfplumber's Table.extract() reads it, on one line."""
        from pdfplumber.utils import extract_text

        inside = self.in_box(box)
        return cell_text(extract_text(inside)) if inside else ""


def ruled_grid(table, location: str, chars: CharIndex | None = None) -> Grid:
    boxes = [row.cells for row in table.rows]  # once: Table.rows sorts all the cells on each use
    x_lefts = sorted({round(box[0], 1) for row in boxes for box in row if box is not None})
    chars = chars or CharIndex(table.page.chars)
    rows = []
    for row in boxes:
        cells = []
        for c, box in enumerate(row):
            if box is not None:
                cells.append(chars.text_in(box))
            else:
                cells.append(_covered(row, c, x_lefts) if c < len(x_lefts) else "")
        rows.append(cells)
    return Grid(rows, location, [f"row {i + 1}" for i in range(len(rows))])


def _lines_of_words(page) -> list[list[dict]]:
    """Words grouped into text lines, top to bottom, each line left to right."""
    lines: list[list[dict]] = []
    for word in sorted(page.extract_words(x_tolerance=2, y_tolerance=2), key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _chunks(line: list[dict], gap: float) -> list[list[dict]]:
    """Runs of words with less than `gap` points between them: one cell's worth of a line."""
    chunks = [[line[0]]]
    for word in line[1:]:
        if word["x0"] - chunks[-1][-1]["x1"] > gap:
            chunks.append([word])
        else:
            chunks[-1].append(word)
    return chunks


def _text(words: list[dict]) -> str:
    return " ".join(w["text"] for w in words)


def aligned_grid(page, location: str) -> Grid | None:
    """A table drawn without borders, read by alignment: the header line's cells give the
    column edges, each line's words fall in the column where they start, and a line whose
    first cell starts a recommendation, a sub-part or a banner starts a new row."""
    lines = _lines_of_words(page)
    gap = 6.0
    header_at, lefts = None, []
    for i, line in enumerate(lines):
        chunks = _chunks(line, gap)
        if len(chunks) >= 3 and is_header_row([_text(c) for c in chunks]):
            header_at, lefts = i, [c[0]["x0"] for c in chunks]
            break
    if header_at is None:
        return None
    rows: list[list] = []
    labels: list[str] = []
    title = [[_text(line)] + [""] * (len(lefts) - 1) for line in lines[:header_at]]
    for i, line in enumerate(lines[header_at:], start=header_at):
        chunks = _chunks(line, gap)
        if len(chunks) == 1 and i > header_at and chunks[0][-1]["x1"] > lefts[1] + 2 and chunks[0][0]["x0"] < lefts[1]:
            rows.append([_text(chunks[0])] + [Merged.LEFT] * (len(lefts) - 1))  # a banner across the row
            labels.append(f"line {i + 1}")
            continue
        cells = [""] * len(lefts)
        for chunk in chunks:
            col = max(k for k, left in enumerate(lefts) if left <= chunk[0]["x0"] + 2) if chunk[0]["x0"] + 2 >= lefts[0] else 0
            cells[col] = f"{cells[col]} {_text(chunk)}".strip()
        first = cells[0]
        starts = (i == header_at or not rows or rows[-1] and any(isinstance(c, Merged) for c in rows[-1])
                  or (first and (len(first) <= 12 or split_number(first)[0] or sub_part(first))))
        if starts:
            rows.append(cells)
            labels.append(f"line {i + 1}")
        else:
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells)]
            labels[-1] = f"lines {labels[-1].split()[-1].split('-')[0]}-{i + 1}"
    return Grid(title + rows, location, [f"line {i + 1}" for i in range(header_at)] + labels)


def page_grids(pdf, ruled: bool) -> list[Grid]:
    grids: list[Grid] = []
    for page_number, page in enumerate(pdf.pages, start=1):
        load_objects(page)
        if ruled:
            tables = sorted(page.find_tables(LINES), key=lambda t: t.bbox[1])
            chars = CharIndex(page.chars) if tables else None
            found = [ruled_grid(t, f"page {page_number} table {k}", chars) for k, t in enumerate(tables, start=1)]
        else:
            found = [g for g in [aligned_grid(page, f"page {page_number} table 1")] if g is not None]
        for k, grid in enumerate(found, start=1):
            if not grid.rows:
                continue
            previous = grids[-1] if grids else None
            grid.continues_previous = (
                k == 1 and previous is not None and previous.location.split()[1] != str(page_number)
                and len(previous.rows[0]) == len(grid.rows[0])
            )
            grids.append(grid)
    return grids


METADATA_PAGES = 2  # case details sit on the first page; page headers repeat them


def text_outside_tables(pdf) -> list[str]:
    """Text of the first pages that is not inside a table: title lines, case details."""
    lines = []
    for page in pdf.pages[:METADATA_PAGES]:
        load_objects(page)
        boxes = [t.bbox for t in page.find_tables(LINES)]

        def outside(obj, boxes=boxes):
            x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
            y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
            return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

        text = page.filter(outside).extract_text() or ""
        lines.extend(line.strip() for line in text.splitlines() if line.strip())
    return lines


def has_text_layer(pdf) -> bool:
    return any(load_objects(page).chars for page in pdf.pages)


def parse(data: bytes, name: str) -> list[ParsedPlan]:
    with open_pdf(data, name) as pdf:
        if not has_text_layer(pdf):
            raise ImportFailed(name, "has no text layer: it is a scanned image. Run OCR on it first "
                                     "(for example with ocrmypdf) and import the result", f"{len(pdf.pages)} pages")
        sha = sha256_of(data)
        for ruled in (True, False):
            grids = page_grids(pdf, ruled)
            if not grids:
                continue
            try:
                return plans_from_grids(grids, file=name, sha256=sha, fmt="pdf", importer_version=IMPORTER_VERSION,
                                        metadata_lines=text_outside_tables(pdf) if ruled else [])
            except NoTableFound:
                continue
        return _parse_as_text([load_objects(page).extract_text() or "" for page in pdf.pages], name, sha)


def _parse_as_text(page_texts: list[str], name: str, sha: str) -> list[ParsedPlan]:
    try:
        from dhrlearn.importers.text import parse_text
    except ImportError:
        raise ImportFailed(name, "no table with a recognisable header was found, and the text reader is not "
                                 "available", f"{len(page_texts)} pages") from None
    return parse_text("\f".join(page_texts), name, fmt="pdf", sha256=sha)
