"""The dashboard's database connection and named queries.

One root DuckDB connection per database file for the whole server (DuckDB refuses a
connection shared by two threads, so each query takes its own cursor: see
dhrlearn.store.db.query). Query results are cached briefly; anything that writes
(import, alias mapping) calls `changed()` so every page sees the new data at once.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dhrlearn import config
from dhrlearn.filters import Filters
from dhrlearn.store import db


@st.cache_resource(show_spinner=False)
def _connect(path: str):
    return db.connect(path)


def connection():
    """The server's root connection to the configured database ($DHR_DB or data/dhr.duckdb)."""
    return _connect(str(config.database_path()))


@st.cache_data(ttl=300, max_entries=512, show_spinner=False)
def _cached(path: str, name: str, params: dict) -> pd.DataFrame:
    return db.query(_connect(path), name, **params)


def query(name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
    """Run a named query with the shared filters' parameters (and any extra ones)."""
    merged = {**(filters.params() if filters else {}), **params}
    return _cached(str(config.database_path()), name, merged)


def changed() -> None:
    """The database was written: forget cached results."""
    _cached.clear()
