"""Keep the fact tables (migration 003_facts.sql) in step with what they are made from.

Every figure on the dashboard counts rows of these tables, so they are refreshed in the same
transaction as the rows they resolve: at import (AT_IMPORT, then THEMES as the new version is
tagged), after a re-tag (THEMES), after an agency alias is taught (AGENCIES), and recurring_case_fact
whenever the recurring groups are rebuilt. plan_span (migration 009_plan_span.sql: when each version is
in force) is refreshed at import for every version of the cases given, as a new version ends the span
of the one before it. Each table is rebuilt for the plan versions given, from the
`<table>_rows(versions)` macro beside it. The search tables (migration 004_search.sql) are refreshed
the same way at import, but for search_text: it holds each distinct text once, shared by many
versions, so the texts of the versions given are added when absent and a refresh of some versions
deletes none. action_fact's lineage_id (migration 014_action_lineage.sql: which actions of a case's
versions are one action followed through them) is filled in last, for every version of the cases given,
as a version imported between two others changes what the later one follows. dhr_case.list_order (migration
015_list_order.sql: each case's place in lists) is renumbered whenever plan_span is refreshed, as a new case
moves every case after it.
"""
from __future__ import annotations

import duckdb

SEARCH = ("search_text", "search_text_use")
ALL = ("plan_span", "action_fact", "action_agency_fact", "action_theme_fact", "plan_theme_fact",
       "recurring_case_fact", "plan_text_fact", *SEARCH)
THEMES = ("action_theme_fact", "plan_theme_fact")  # refreshed with the theme matches they count
# A new version's facts at import; its theme facts (THEMES) follow when it is tagged.
AT_IMPORT = ("plan_span", "action_fact", "action_agency_fact", "plan_text_fact", *SEARCH)
AGENCIES = ("action_agency_fact",)
# Rows shared by plan versions: never deleted by version; the rows macro gives a NULL `key` to the
# rows not stored yet, and only those are added (the key is filled in by the table's default).
SHARED_BY_VERSIONS = {"search_text": "text_id"}
# Rows of a whole case: the rows macro gives every version of the cases of the versions given, so those
# cases' rows are replaced, in every batch (a case's versions may fall in two batches).
BY_CASE = ("plan_span",)
BATCH = 2_000  # plan versions refreshed at a time


def refresh_facts(con: duckdb.DuckDBPyConnection, plan_version_ids: list[int] | None = None,
                  tables: tuple[str, ...] = ALL) -> None:
    """Rebuild `tables` for these plan versions (every stored version when None), inside the
    caller's transaction when there is one."""
    unknown = [t for t in tables if t not in ALL]
    if unknown:
        raise ValueError(f"not a fact table: {unknown[0]!r}")
    everything = plan_version_ids is None
    if everything:
        plan_version_ids = [r[0] for r in con.execute("SELECT plan_version_id FROM plan_version").fetchall()]
    ids = sorted(set(plan_version_ids))
    for table in tables:
        if everything:
            con.execute(f"DELETE FROM {table}")
        # In batches of versions, so memory stays flat however large the store is (every row of a
        # fact table belongs to one version, or for BY_CASE to one case, so a batch is complete in itself).
        for start in range(0, len(ids), BATCH):
            _refresh_batch(con, table, ids[start:start + BATCH], deleted=everything)
    if "action_fact" in tables:
        refresh_lineage(con, ids)
    if "plan_span" in tables:
        refresh_list_order(con)


def refresh_lineage(con: duckdb.DuckDBPyConnection, plan_version_ids: list[int]) -> None:
    """Fill in action_fact.lineage_id for every version of the cases of these versions."""
    for start in range(0, len(plan_version_ids), BATCH):
        con.execute("UPDATE action_fact SET lineage_id = l.lineage_id FROM action_lineage_rows($versions) l "
                    "WHERE l.action_id = action_fact.action_id", {"versions": plan_version_ids[start:start + BATCH]})


def refresh_list_order(con: duckdb.DuckDBPyConnection) -> None:
    """Number every case in list order (partnership, then reference); only the cases whose place moved are written."""
    con.execute("UPDATE dhr_case SET list_order = o.list_order FROM case_list_order() o "
                "WHERE o.case_id = dhr_case.case_id AND dhr_case.list_order IS DISTINCT FROM o.list_order")


def _refresh_batch(con: duckdb.DuckDBPyConnection, table: str, ids: list[int], deleted: bool) -> None:
    versions = {"versions": ids}
    if table in SHARED_BY_VERSIONS:  # add the rows these versions use that are not stored yet
        key = SHARED_BY_VERSIONS[table]
        con.execute(f"INSERT INTO {table} BY NAME SELECT * EXCLUDE ({key}) FROM {table}_rows($versions) "
                    f"WHERE {key} IS NULL", versions)
        return
    if table in BY_CASE:
        con.execute(f"DELETE FROM {table} WHERE case_id IN "
                    "(SELECT case_id FROM plan_version WHERE plan_version_id IN (SELECT unnest($versions)))", versions)
    elif not deleted:  # the id range first skips the row groups of older versions
        con.execute(f"DELETE FROM {table} WHERE plan_version_id BETWEEN $lo AND $hi "
                    "AND plan_version_id IN (SELECT unnest($versions))", {"lo": ids[0], "hi": ids[-1], **versions})
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {table}_rows($versions)", versions)
