"""CSV action plans: the encoding and delimiter are sniffed, then the rows go to the grid reader."""
from __future__ import annotations

import csv
import io
from collections import Counter

from dhrlearn.importers import sha256_of
from dhrlearn.importers.grid import Grid, NoTableFound, plans_from_grids
from dhrlearn.model import ImportFailed, ParsedPlan, Provenance

IMPORTER_VERSION = "csv-1.1"  # 1.1: a "Completed? (Y/N)" column answered Y, N or with a tick is read
DELIMITERS = (",", ";", "\t", "|")
# Excel on Windows saves "CSV" in the ANSI code page; Excel's "CSV UTF-8" adds a BOM.
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding it was read with."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFailed(name, "cannot be read as text in any common encoding")  # latin-1 never fails; kept for clarity


def sniff_delimiter(text: str) -> str:
    """The delimiter that gives the most rows of the same width (more than one column)."""
    sample = text[:65536]
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(c.strip() for c in r)]
        widths = Counter(len(r) for r in rows)
        if not widths:
            continue
        width, count = widths.most_common(1)[0]
        score = count * (width > 1) + (width > 1) * 0.01 * width
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_rows(data: bytes, name: str) -> tuple[list[list[str]], str, str]:
    text, encoding = decode(data, name)
    if "\x00" in text:
        raise ImportFailed(name, "holds binary data, not CSV text (is it a spreadsheet saved with a .csv name?)")
    if not text.strip(" \r\n\"" + "".join(DELIMITERS)):
        raise ImportFailed(name, "holds no text")
    delimiter = sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFailed(name, f"is not valid CSV: {exc}") from None
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows], encoding, delimiter


def parse(data: bytes, name: str) -> list[ParsedPlan]:
    rows, encoding, delimiter = read_rows(data, name)
    if not any(c.strip() for r in rows for c in r):
        raise ImportFailed(name, "holds no text")
    try:
        plans = plans_from_grids(
            [Grid(rows, "")], file=name, sha256=sha256_of(data), fmt="csv", importer_version=IMPORTER_VERSION
        )
    except NoTableFound:
        raise ImportFailed(
            name, "no header row naming a Recommendation or Action column was found in the first 25 rows "
            "(see data/templates/ for the expected columns)", "rows 1-25") from None
    for plan in plans:
        if encoding != "utf-8-sig":
            plan.warn(Provenance(name), "encoding", f"read as {encoding} text", "info")
    return plans
