"""The fictional demo corpus: generator, file writers and the `demo` command.

`python -m dhrlearn demo [--if-missing]` builds the database from the plan files
in data/demo through the real import pipeline, so the demo shows exactly what an
import of those files would. The build is atomic: it fills a temporary file and
renames it into place, so a failed or interrupted build never leaves a
half-built database. Regenerate the files themselves with
`python -m dhrlearn.demo.writers`.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from dhrlearn import config

DEMO_DIR = config.DATA_DIR / "demo"
PLAN_SUFFIXES = (".csv", ".xlsx", ".docx", ".pdf")


class DemoBuildFailed(RuntimeError):
    """A demo file did not import; the message names the file and why."""


def demo_files(source_dir: Path = DEMO_DIR) -> list[Path]:
    """The plan files, oldest version of each case first (names end _v<n>_<date>)."""
    files = sorted(p for p in Path(source_dir).iterdir() if p.suffix in PLAN_SUFFIXES)
    if not files:
        raise DemoBuildFailed(f"{source_dir}: no demo plan files; run `python -m dhrlearn.demo.writers`")
    return files


def build_database(target: str | Path, source_dir: Path = DEMO_DIR, progress=None) -> dict:
    """Import every demo file into a new database at `target`, atomically.

    Returns counts: files, actions, seconds. Raises DemoBuildFailed naming the
    first file that did not import; `target` is then left as it was.
    """
    from dhrlearn.review import import_file
    from dhrlearn.store.db import connect

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.name}.building-{os.getpid()}")
    _remove(building)
    started = time.perf_counter()
    files = demo_files(source_dir)
    actions = 0
    try:
        con = connect(building)
        try:
            for number, path in enumerate(files, start=1):
                result = import_file(con, path, {"is_demo": True})
                if result.outcome != "imported":
                    raise DemoBuildFailed(f"demo file {path.name} did not import: {result.message}")
                actions += result.actions
                if progress:
                    progress(number, len(files), path.name)
            _finish(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(building, target)
    finally:
        _remove(building)
    return {"files": len(files), "actions": actions, "seconds": time.perf_counter() - started}


def _finish(con) -> None:
    """Themes were tagged file by file at import; recurring groups span cases, so they come last,
    with the national reference figures."""
    from dhrlearn.analytics import ensure_dhrd
    from dhrlearn.themes import regroup_recurring

    regroup_recurring(con)
    ensure_dhrd(con)


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        if leftover.exists():
            leftover.unlink()


def _retag_if_rules_changed(target: Path) -> int:
    """An existing database tagged with older theme rules (an edited taxonomy, or a newer version of
    the product) is re-tagged, so that its theme figures follow the rules shipped today."""
    from dhrlearn.store.db import DatabaseBusy, connect
    from dhrlearn.themes import reload_taxonomy, retag_all, rules_changed

    try:
        con = connect(target)
    except DatabaseBusy as exc:  # the dashboard has it open: it offers the re-tag itself
        print(exc)
        return 0
    try:
        if not rules_changed(con):
            return 0
        print("The theme rules have changed since these plans were tagged: re-tagging ...", flush=True)
        reload_taxonomy()
        counts = retag_all(con)
    finally:
        con.close()
    print(f"Re-tagged: {counts['theme_match']} theme matches, {counts['uptake_evidence']} uptake evidence rows.")
    return 0


def run_cli(args) -> int:
    """`python -m dhrlearn demo [--if-missing]`."""
    target = config.database_path(args.db)
    if getattr(args, "if_missing", False) and target.exists():
        print(f"{target} exists; leaving it as it is.")
        return _retag_if_rules_changed(target)
    if target.exists():
        from dhrlearn.store.db import connect

        connect(target, read_only=True).close()  # DatabaseBusy when the dashboard holds it
        print(f"Replacing {target} with a fresh demo database.")
    print(f"Building the demo database {target} from {DEMO_DIR} ...", flush=True)

    def show(number: int, total: int, name: str) -> None:
        if number % 20 == 0 or number == total:
            print(f"  {number}/{total} files imported", flush=True)

    try:
        counts = build_database(target, progress=show)
    except DemoBuildFailed as exc:
        print(f"error: {exc}")
        return 1
    print(f"Done: {counts['files']} files, {counts['actions']} actions in {counts['seconds']:.1f} s.")
    return 0
