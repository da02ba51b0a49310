"""Word action plans (.docx): every table, merged cells, and the paragraphs around them.

Cells are read straight from the table XML: python-docx's `row.cells` repeats a merged
cell once per grid column it covers, which would duplicate its text; here a cell spanning
columns (gridSpan) gives Merged.LEFT for the columns it covers, and a cell continuing a
vertical merge (vMerge) gives Merged.UP. A table nested inside a cell is read as part of
that cell's text.
"""
from __future__ import annotations

import io
import zipfile

from dhrlearn.importers import sha256_of
from dhrlearn.importers.grid import Grid, Merged, NoTableFound, check_zip, plans_from_grids
from dhrlearn.importers.symbols import in_symbol_font, symbol_text
from dhrlearn.model import ImportFailed, ParsedPlan

IMPORTER_VERSION = "docx-1.1"  # 1.1: ticks and crosses from symbol fonts; "Completed? (Y/N)" columns
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def open_document(data: bytes, name: str):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(OLE_MAGIC):
        raise ImportFailed(name, "is an old-style .doc file or is protected with a password; "
                                 "open it in Word and save it as an unprotected .docx")
    check_zip(data, name, "Word document")
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFailed(name, f"is not a readable Word document (it may be damaged): {exc}") from None
    except Exception as exc:  # lxml raises its own errors for broken XML parts
        raise ImportFailed(name, f"is not a readable Word document (it may be damaged): {exc}") from None


def _run_font(t) -> str:
    """The font of the run holding a <w:t>, as its properties name it ("" when inherited)."""
    fonts = t.getparent().find(f"{W}rPr/{W}rFonts")
    return "" if fonts is None else fonts.get(f"{W}ascii") or fonts.get(f"{W}hAnsi") or ""


def paragraph_text(p) -> str:
    """Text of a <w:p>: runs, tabs and line breaks, hyperlinks and fields included, symbols as the marks
    they show."""
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}sym"):
        if node.tag == f"{W}t":
            text = node.text or ""
            parts.append(in_symbol_font(text, _run_font(node)) if text else "")
        elif node.tag == f"{W}sym":
            try:
                parts.append(symbol_text(node.get(f"{W}font", ""), int(node.get(f"{W}char", ""), 16)))
            except ValueError:
                pass  # a symbol without a readable code shows nothing we can read
        elif node.tag == f"{W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def cell_text(tc) -> str:
    """Paragraphs joined by new lines; a nested table's rows become lines of the same cell."""
    lines = []
    for child in tc:
        if child.tag == f"{W}p":
            lines.append(paragraph_text(child))
        elif child.tag == f"{W}tbl":
            for tr in child.iter(f"{W}tr"):
                cells = [cell_text(c).replace("\n", " ") for c in tr.findall(f"{W}tc")]
                lines.append(" ".join(c for c in cells if c.strip()))
    return "\n".join(line.strip() for line in lines if line.strip())


def _int_attr(element, path: str, default: int = 0) -> int:
    found = element.find(path)
    if found is None:
        return default
    try:
        return int(found.get(f"{W}val"))
    except (TypeError, ValueError):
        return default


def cell_fill(tc) -> str:
    shd = tc.find(f"{W}tcPr/{W}shd")
    fill = shd.get(f"{W}fill") if shd is not None else None
    return fill.upper() if fill and fill.lower() != "auto" else ""


def table_grid(tbl, location: str, preamble: list[str]) -> Grid:
    rows: list[list] = []
    fills: dict[tuple[int, int], str] = {}
    for tr in tbl.findall(f"{W}tr"):
        row: list = [""] * _int_attr(tr, f"{W}trPr/{W}gridBefore")
        for tc in tr.findall(f"{W}tc"):
            span = max(1, _int_attr(tc, f"{W}tcPr/{W}gridSpan", 1))
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            continues = vmerge is not None and vmerge.get(f"{W}val") in (None, "continue")
            if (fill := cell_fill(tc)):
                fills[(len(rows), len(row))] = fill
            row.append(Merged.UP if continues else cell_text(tc))
            row.extend([Merged.UP if continues else Merged.LEFT] * (span - 1))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return Grid(rows, location, [f"row {i + 1}" for i in range(len(rows))], preamble=preamble, fills=fills)


def read_body(document) -> tuple[list[Grid], list[str]]:
    """The tables in document order, each with the paragraphs just before it; and all paragraphs."""
    grids, paragraphs, since_last_table = [], [], []
    for child in document.element.body:
        if child.tag == f"{W}p":
            text = paragraph_text(child).strip()
            if text:
                paragraphs.append(text)
                since_last_table.append(text)
        elif child.tag == f"{W}tbl":
            grids.append(table_grid(child, f"table {len(grids) + 1}", since_last_table))
            since_last_table = []
    for section in document.sections:  # page headers often carry the case reference
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                paragraphs.extend(p.text.strip() for p in part.paragraphs if p.text.strip())
    return grids, paragraphs


def parse(data: bytes, name: str) -> list[ParsedPlan]:
    document = open_document(data, name)
    grids, paragraphs = read_body(document)
    try:
        return plans_from_grids(grids, file=name, sha256=sha256_of(data), fmt="docx",
                                importer_version=IMPORTER_VERSION, metadata_lines=paragraphs)
    except NoTableFound:
        if paragraphs:
            return _parse_as_text(paragraphs, name, data, looked_at=[g.location for g in grids])
        raise ImportFailed(name, "holds no tables and no text") from None


def _parse_as_text(paragraphs: list[str], name: str, data: bytes, looked_at: list[str]) -> list[ParsedPlan]:
    """A plan written as paragraphs rather than a table goes to the text reader."""
    try:
        from dhrlearn.importers.text import parse_text
    except ImportError:
        where = "tables looked at: " + ", ".join(looked_at) if looked_at else "the document has no tables"
        raise ImportFailed(name, "no table with a recognisable header was found", where) from None
    return parse_text("\n".join(paragraphs), name, fmt="docx", sha256=sha256_of(data))
