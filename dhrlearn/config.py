"""Paths and limits, in one place."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = DATA_DIR / "dhr.duckdb"

# Largest file accepted by any importer. Real action plans are well under 5 MB;
# 25 MB leaves room for PDFs with embedded images while refusing archives and dumps.
MAX_FILE_BYTES = 25 * 1024 * 1024
# A DOCX/XLSX is a zip: refuse one whose contents expand past this (zip bombs).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024


class ReferenceFileError(ValueError):
    """A file of data/reference/ that tagging follows (themes.csv, theme_model.npz, uptake_phrases.csv) cannot be
    used; the message names the file, and where and how to mend it."""


def database_path(option: str | os.PathLike | None = None) -> Path:
    """The database file: an explicit option, else $DHR_DB, else data/dhr.duckdb."""
    return Path(option or os.environ.get("DHR_DB") or DEFAULT_DB)
