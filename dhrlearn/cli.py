"""Command line: `python -m dhrlearn COMMAND ...`. Run with --help for the commands."""
from __future__ import annotations

import argparse
import sys

from dhrlearn.store.db import DatabaseBusy


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dhrlearn", description=__doc__)
    parser.add_argument(
        "--db", help="database file (default: $DHR_DB, else data/dhr.duckdb)", default=None
    )
    commands = parser.add_subparsers(dest="command", required=True)

    imp = commands.add_parser("import", help="import action-plan files (PDF, DOCX, XLSX, CSV, TXT)")
    imp.add_argument("files", nargs="+", help="files to import")
    imp.add_argument("--dry-run", action="store_true", help="show what would be imported; store nothing")
    imp.add_argument("--partnership", help="partnership (CSP) when the file does not say")
    imp.add_argument("--case", dest="case_reference", help="case reference when the file does not say")
    imp.set_defaults(run="dhrlearn.commands.imports:run_import")

    lst = commands.add_parser("list", help="list stored cases and their plan versions")
    lst.set_defaults(run="dhrlearn.commands.imports:run_list")

    demo = commands.add_parser("demo", help="build the demo database from the demo corpus")
    demo.add_argument("--if-missing", action="store_true", help="only when the database does not exist yet")
    demo.set_defaults(run="dhrlearn.demo:run_cli")

    retag = commands.add_parser("retag", help="re-tag themes, uptake and recurring recommendations")
    retag.set_defaults(run="dhrlearn.themes:run_cli")

    report = commands.add_parser("report", help="write the annual-report pack (DOCX or PDF)")
    report.add_argument("--partnership", action="append", default=[], help="repeat for several")
    report.add_argument("--from", dest="date_from", help="period start, YYYY-MM-DD")
    report.add_argument("--to", dest="date_to", help="period end and as-of date, YYYY-MM-DD")
    report.add_argument("--theme", action="append", default=[], help="limit to themes; repeat for several")
    report.add_argument("--with-names", action="store_true", help="keep staff names (not for publication)")
    report.add_argument("--out", required=True, help="output file, .docx or .pdf")
    report.set_defaults(run="dhrlearn.export.report:run_cli")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    module_name, func_name = args.run.split(":")
    from importlib import import_module

    try:
        return getattr(import_module(module_name), func_name)(args) or 0
    except DatabaseBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
