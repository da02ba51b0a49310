"""Apply a newly taught agency alias to what is already stored.

The agency directory (dhrlearn.normalise.agencies) reads names at import. When a person maps an
unknown name to an agency (the dashboard's Data quality page), stored links that were written
with that name and left unknown take the agency at once, without re-importing the files.
"""
from __future__ import annotations

import duckdb

from dhrlearn.normalise.agencies import AgencyDirectory
from dhrlearn.store.facts import AGENCIES, refresh_facts


def apply_alias(con: duckdb.DuckDBPyConnection, alias: str, directory: AgencyDirectory) -> int:
    """Point unknown stored links written exactly as `alias` to the agency the directory now
    reads it as; returns how many links changed (0 when the directory still cannot read it)."""
    refs = directory.resolve(alias)
    if len(refs) != 1 or not refs[0].known:
        return 0
    ref = refs[0]
    cursor = con.cursor()
    cursor.execute("BEGIN TRANSACTION")
    try:
        versions = [row[0] for row in cursor.execute(
            """UPDATE agency_link SET agency = ?, agency_type = ?, known = TRUE
               WHERE agency_raw = ? AND NOT known RETURNING plan_version_id""",
            [ref.canonical, ref.agency_type, alias],
        ).fetchall()]
        refresh_facts(cursor, versions, AGENCIES)
        cursor.execute("COMMIT")
    except Exception:
        cursor.execute("ROLLBACK")
        raise
    finally:
        cursor.close()
    return len(versions)
