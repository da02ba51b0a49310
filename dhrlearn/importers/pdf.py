"""PDF action plans with a text layer: tables found by pdfplumber, ruled or not.

Ruled tables (drawn cell borders, as Word exports them) are read with the "lines"
strategy; when none has a recognisable header the "text" strategy reads tables laid out
by alignment alone, one text line per table row, which are joined back into rows here.
A table that carries on from the previous page is marked so the grid reader drops the
repeated header and joins a row split by the page break. When no table is recognised
the page text goes to the text importer (dhrlearn.importers.text), which handles plans
whose columns came out interleaved.
"""
from __future__ import annotations

import io

from dhrlearn.importers import sha256_of
from dhrlearn.importers.grid import (
    Grid, Merged, NoTableFound, is_header_row, looks_like_banner, plans_from_grids, split_number, sub_part)
from dhrlearn.model import ImportFailed, ParsedPlan

IMPORTER_VERSION = "pdf-1.0"
LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
TEXT = {"vertical_strategy": "text", "horizontal_strategy": "text", "text_x_tolerance": 2, "min_words_vertical": 3}


def open_pdf(data: bytes, name: str):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ImportFailed(name, "is not a PDF file (it does not start with %PDF); it may be damaged or misnamed")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # parses the page tree: damage shows here
    except PDFPasswordIncorrect:
        raise ImportFailed(name, "is encrypted with a password; save an unprotected copy and import that") from None
    except Exception as exc:  # pdfminer raises many kinds of error for damaged files
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise ImportFailed(name, "is encrypted; save an unprotected copy and import that") from None
        raise ImportFailed(name, f"cannot be read as a PDF (it may be damaged): {type(exc).__name__} {exc}".strip()) from None
    if not pdf.pages:
        raise ImportFailed(name, "has no pages")
    return pdf


def cell_text(text: str | None) -> str:
    """Lines wrapped inside a cell are one text again."""
    return " ".join(text.split()) if text else ""


def _covered(table, row_index: int, col: int, x_lefts: list[float]) -> Merged:
    """A cell pdfplumber left empty (None) is covered from the left when a cell before it in
    the same row reaches over its column; otherwise a cell above reaches down into it."""
    cells = table.rows[row_index].cells
    for left in reversed(cells[:col]):
        if left is not None:
            return Merged.LEFT if left[2] > x_lefts[col] + 1 else Merged.UP
    return Merged.UP


def ruled_grid(table, location: str) -> Grid:
    extracted = table.extract()
    x_lefts = sorted({round(c[0], 1) for row in table.rows for c in row.cells if c is not None})
    rows = []
    for r, row in enumerate(extracted):
        cells = []
        for c, text in enumerate(row):
            if text is None and table.rows[r].cells[c] is None and c < len(x_lefts):
                cells.append(_covered(table, r, c, x_lefts))
            else:
                cells.append(cell_text(text))
        rows.append(cells)
    return Grid(rows, location, [f"row {i + 1}" for i in range(len(rows))])


def unruled_grid(table, location: str) -> Grid:
    """Text-strategy tables give one row per text line: a line whose first cell starts a
    recommendation, a sub-part or a banner starts a row; other lines continue it."""
    lines = [[cell_text(c) for c in row] for row in table.extract()]
    header_at = next((i for i, line in enumerate(lines) if is_header_row(line)), None)
    rows, labels = [], []
    for i, line in enumerate(lines):
        if not any(line):
            continue
        first = line[0]
        starts = (header_at is None or i <= header_at + 1 or not rows
                  or (first and (len(first) <= 12 or split_number(first)[0] or sub_part(first)
                                 or (looks_like_banner(first) and not any(line[1:])))))
        if starts:
            rows.append(list(line))
            labels.append(f"line {i + 1}")
        else:
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], line)]
            labels[-1] = labels[-1].split("-")[0] + f"-{i + 1}"
    return Grid(rows, location, [label.replace("line ", "lines ") if "-" in label else label for label in labels])


def page_grids(pdf, settings: dict, ruled: bool) -> list[Grid]:
    grids: list[Grid] = []
    for page_number, page in enumerate(pdf.pages, start=1):
        tables = page.find_tables(settings)
        for k, table in enumerate(sorted(tables, key=lambda t: t.bbox[1]), start=1):
            location = f"page {page_number} table {k}"
            grid = ruled_grid(table, location) if ruled else unruled_grid(table, location)
            if not grid.rows:
                continue
            previous = grids[-1] if grids else None
            grid.continues_previous = (
                k == 1 and previous is not None and previous.location.split()[1] != str(page_number)
                and len(previous.rows[0]) == len(grid.rows[0])
            )
            grids.append(grid)
    return grids


def text_outside_tables(pdf, settings: dict) -> list[str]:
    lines = []
    for page in pdf.pages:
        boxes = [t.bbox for t in page.find_tables(settings)]

        def outside(obj, boxes=boxes):
            x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
            y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
            return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

        text = page.filter(outside).extract_text() or ""
        lines.extend(line.strip() for line in text.splitlines() if line.strip())
    return lines


def parse(data: bytes, name: str) -> list[ParsedPlan]:
    with open_pdf(data, name) as pdf:
        page_texts = [page.extract_text() or "" for page in pdf.pages]
        if not any(t.strip() for t in page_texts):
            raise ImportFailed(name, "has no text layer: it is a scanned image. Run OCR on it first "
                                     "(for example with ocrmypdf) and import the result", f"{len(pdf.pages)} pages")
        sha = sha256_of(data)
        for settings, ruled in ((LINES, True), (TEXT, False)):
            grids = page_grids(pdf, settings, ruled)
            if not grids:
                continue
            try:
                return plans_from_grids(grids, file=name, sha256=sha, fmt="pdf", importer_version=IMPORTER_VERSION,
                                        metadata_lines=text_outside_tables(pdf, settings))
            except NoTableFound:
                continue
        return _parse_as_text(page_texts, name, sha)


def _parse_as_text(page_texts: list[str], name: str, sha: str) -> list[ParsedPlan]:
    try:
        from dhrlearn.importers.text import parse_text
    except ImportError:
        raise ImportFailed(name, "no table with a recognisable header was found, and the text reader is not "
                                 "available", f"{len(page_texts)} pages") from None
    return parse_text("\f".join(page_texts), name, fmt="pdf", sha256=sha)
