"""Read an action-plan file of any supported format into a ParsedPlan.

Each format module exposes `parse(data: bytes, name: str) -> list[ParsedPlan]`:
one plan per case in the file (a tracker spreadsheet may hold several cases, most
documents hold one). It fills raw fields and provenance only; normalisation
happens afterwards in dhrlearn.normalise.plan, the same for every format.
"""
from __future__ import annotations

import hashlib
from importlib import import_module
from pathlib import Path

from dhrlearn import config
from dhrlearn.model import ImportFailed, ParsedPlan

# extension -> module in this package
FORMATS = {
    ".csv": "tabular_csv",
    ".xlsx": "tabular_xlsx",
    ".xlsm": "tabular_xlsx",
    ".docx": "docx",
    ".pdf": "pdf",
    ".txt": "text",
}
SUPPORTED = ", ".join(sorted(FORMATS))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_file(data: bytes, name: str) -> str:
    """The format module for this file, or ImportFailed saying what is wrong."""
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        hint = " (save it as .docx from Word first)" if suffix in {".doc", ".rtf", ".odt"} else ""
        raise ImportFailed(name, f"'{suffix or 'no extension'}' files are not supported{hint}; use one of {SUPPORTED}")
    if len(data) == 0:
        raise ImportFailed(name, "the file is empty")
    check_size(len(data), name)
    return FORMATS[suffix]


def check_size(size: int, name: str) -> None:
    if size > config.MAX_FILE_BYTES:
        raise ImportFailed(
            name, f"the file is {size / 1e6:.1f} MB; the limit is {config.MAX_FILE_BYTES / 1e6:.0f} MB"
        )


def parse_bytes(data: bytes, name: str) -> list[ParsedPlan]:
    """Parse one file's bytes; `name` is the file name shown to the user."""
    name = Path(name).name
    module = import_module(f"{__name__}.{check_file(data, name)}")
    return module.parse(data, name)


def parse_path(path: str | Path) -> list[ParsedPlan]:
    path = Path(path)
    if path.is_file():
        check_size(path.stat().st_size, path.name)  # before reading a huge file into memory
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(path.name, f"cannot be read: {exc.strerror}") from None
    return parse_bytes(data, path.name)
