"""The dashboard's database connection and named queries.

One root DuckDB connection per database file for the whole server (DuckDB refuses a
connection shared by two threads, so each query takes its own cursor: see
dhrlearn.store.db.query).

Query results are cached under the database's "generation": a fingerprint of the stored cases
and plan versions, read (cheaply) at most once a minute. An import from the command line adds
plan versions, so within a minute every page sees it; anything the dashboard writes (import,
alias mapping) calls `changed()`, which forgets every cached result at once. So a result can
be kept for an hour, and a page revisited in a meeting does not run its queries again.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dhrlearn import config
from dhrlearn.analytics import ensure_dhrd
from dhrlearn.filters import Filters
from dhrlearn.store import db


@st.cache_resource(show_spinner=False)
def _connect(path: str):
    con = db.connect(path)
    ensure_dhrd(con)  # national reference figures, loaded once per database
    return con


def connection():
    """The server's root connection to the configured database ($DHR_DB or data/dhr.duckdb)."""
    return _connect(str(config.database_path()))


@st.cache_data(ttl=60, max_entries=16, show_spinner=False)
def _stored_cases(path: str) -> pd.DataFrame:
    return db.query(_connect(path), "stored_cases")


def _generation(path: str) -> tuple:
    """Changes whenever a case or plan version is added or removed."""
    cases = _stored_cases(path)
    return len(cases), int(cases["versions"].sum()) if len(cases) else 0, str(cases["latest_as_of"].max())


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _cached(path: str, name: str, params: dict, generation: tuple) -> pd.DataFrame:
    return db.query(_connect(path), name, **params)


def query(name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
    """Run a named query with the shared filters' parameters (and any extra ones)."""
    path = str(config.database_path())
    if name == "stored_cases" and not params and filters is None:
        return _stored_cases(path)
    merged = {**(filters.params() if filters else {}), **params}
    return _cached(path, name, merged, _generation(path))


def changed() -> None:
    """The database was written: forget cached results."""
    _stored_cases.clear()
    _cached.clear()


def rules_changed() -> bool:
    """Were the stored plans tagged with other theme rules than the files hold today?"""
    from dhrlearn.themes import rules_changed as changed_since_tagging

    cursor = connection().cursor()
    try:
        return changed_since_tagging(cursor)
    finally:
        cursor.close()


def retag() -> dict[str, int]:
    """Tag every stored plan again with today's rules (swapped in at once), then forget cached results."""
    from dhrlearn.themes import reload_taxonomy, retag_all

    reload_taxonomy()
    cursor = connection().cursor()
    try:
        counts = retag_all(cursor)
    finally:
        cursor.close()
    changed()
    return counts
