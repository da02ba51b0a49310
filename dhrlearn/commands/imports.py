"""`import` and `list` commands."""
from __future__ import annotations

import sys

import pandas as pd

from dhrlearn import review
from dhrlearn.analytics import ensure_dhrd
from dhrlearn.store import db
from dhrlearn.themes import regroup_recurring

PREVIEW_COLUMNS = ["case", "number", "level", "lead_agency", "target_date", "status", "confidence", "source"]


def _overrides(args) -> review.Overrides:
    return review.Overrides(partnership=args.partnership, case_reference=args.case_reference)


def run_import(args) -> int:
    """Import files; exit 1 when any file failed (the others are still imported)."""
    if args.dry_run:
        return _dry_run(args)
    con = db.connect(args.db)
    ensure_dhrd(con)  # national reference figures beside the local ones
    failed = imported = 0
    for path in args.files:
        result = review.import_file(con, path, _overrides(args))
        stream = sys.stderr if result.outcome == "failed" else sys.stdout
        prefix = "error: " if result.outcome == "failed" else ""
        print(f"{prefix}{result.message}", file=stream)
        failed += result.outcome == "failed"
        imported += result.outcome == "imported"
    if imported:
        groups = regroup_recurring(con)  # once for the batch: groups span every stored case
        print(f"Recurring recommendations regrouped: {groups} groups across cases.")
    con.close()
    return 1 if failed else 0


def _dry_run(args) -> int:
    failed = 0
    for path in args.files:
        preview = review.preview_path(path, _overrides(args))
        if not preview.ok:
            print(f"error: {preview.error}", file=sys.stderr)
            failed += 1
            continue
        summary = preview.summary()
        print(f"{preview.name}: would import {summary['cases']} case(s), {summary['recommendations']} "
              f"recommendations, {summary['actions']} actions, {summary['warnings']} warnings")
        print(_table(preview.actions_frame()[PREVIEW_COLUMNS]))
        warnings = preview.warnings_frame()
        if len(warnings):
            print("\nWarnings:")
            print(_table(warnings[["where", "field", "message"]]))
        print()
    return 1 if failed else 0


def _table(frame: pd.DataFrame) -> str:
    with pd.option_context("display.max_rows", None, "display.max_colwidth", 60, "display.width", 200):
        return frame.to_string(index=False)


def run_list(args) -> int:
    con = db.connect(args.db, read_only=True) if db_exists(args.db) else db.connect(args.db)
    frame = db.query(con, "stored_cases")
    con.close()
    if frame.empty:
        print("No cases stored yet. Import files with: python -m dhrlearn import FILE...")
    else:
        print(_table(frame))
    return 0


def db_exists(option) -> bool:
    from dhrlearn.config import database_path

    return database_path(option).exists()
