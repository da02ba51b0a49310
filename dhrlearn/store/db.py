"""Opening the database, building and upgrading its schema, running named queries."""
from __future__ import annotations

import re
import warnings
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from dhrlearn import config

STORE_DIR = Path(__file__).resolve().parent
SCHEMA_FILE = STORE_DIR / "schema.sql"
MIGRATIONS_DIR = STORE_DIR / "migrations"


class DatabaseBusy(RuntimeError):
    """Another process (usually the running dashboard) holds the database file."""


def connect(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) and migrate the database at `path`.

    Raises DatabaseBusy with one plain sentence when another process holds the file.
    """
    db_path = config.database_path(path)
    if str(db_path) != ":memory:":
        db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.IOException as exc:
        raise DatabaseBusy(_busy_message(db_path, str(exc))) from None
    # No progress bar: it would print over the command line's own output and the server's log.
    con.execute("SET enable_progress_bar = false")
    if not read_only:
        migrate(con)
    return con


def _busy_message(db_path: Path, error: str) -> str:
    pid = re.search(r"PID (\d+)", error)
    holder = f"process {pid.group(1)}" if pid else "another process"
    return (
        f"The database {db_path} is in use by {holder} (probably the running dashboard); "
        "stop it, or import from the dashboard's Import page, or pass --db to use another file."
    )


def migrations() -> list[tuple[int, Path]]:
    """Numbered migration files after the base schema, in order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        found.append((int(path.name[:3]), path))
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the schema up to date in place; each step is one transaction."""
    version = schema_version(con)
    steps = [(1, SCHEMA_FILE)] + migrations()
    for number, path in steps:
        if number <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text())
            con.execute("INSERT INTO schema_version VALUES (?)", [number])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        version = number
    return version


@lru_cache(maxsize=None)
def query_text(name: str) -> str:
    """The SQL of the named query in queries/<name>.sql."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"not a query name: {name!r}")
    path = config.QUERIES_DIR / f"{name}.sql"
    if not path.exists():
        raise KeyError(f"no named query {name!r} in {config.QUERIES_DIR}")
    return path.read_text()


def query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with named parameters bound ($name in the SQL).

    Only the parameters the query mentions are bound, so callers may pass a
    shared filter dict to any query.
    """
    sql = query_text(name)
    used = set(re.findall(r"\$([a-z_][a-z0-9_]*)", sql))
    missing = used - params.keys()
    if missing:
        raise TypeError(f"query {name!r} needs parameters: {', '.join(sorted(missing))}")
    return run_sql(con, sql, {k: v for k, v in params.items() if k in used})


# The Arrow copy DuckDB warns of is of a result already cut to what a page shows or downloads; the
# relation API it suggests instead binds each query twice (about 5 ms).
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    """Run SQL with its parameters bound, on a cursor of its own (pages run in threads), as a DataFrame."""
    cursor = con.cursor()
    try:
        return frame(cursor.execute(sql, params).to_arrow_table())
    finally:
        cursor.close()


_NULLABLE = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def frame(table: pa.Table) -> pd.DataFrame:
    """A query result as a DataFrame with the dtypes DuckDB's .df() gives, by way of Arrow.

    On pandas 3, .df() builds a Python string for every text value and pandas then encodes them again
    as Arrow strings; from Arrow the text columns are taken over directly, two to three times faster
    for a list of a few thousand rows with their texts.
    """
    for i, field in enumerate(table.schema):  # dates as datetime64[us] and decimals as floats, as .df() gives them
        as_type = (pa.timestamp("us") if pa.types.is_date32(field.type)
                   else pa.float64() if pa.types.is_decimal(field.type) else None)
        if as_type is not None:
            table = table.set_column(i, field.name, table.column(i).cast(as_type))
    df = table.to_pandas()
    for field, column in zip(table.schema, table.columns):
        if column.null_count and field.type in _NULLABLE:
            df[field.name] = column.to_pandas(types_mapper=_NULLABLE.get)
        elif pa.types.is_string(field.type) and column.null_count == len(column):  # no text at all
            df[field.name] = pd.Series([None] * len(column), dtype=object, index=df.index)
        elif pa.types.is_list(field.type) and column.null_count:  # a NULL list as pd.NA
            df[field.name] = df[field.name].where(df[field.name].notna(), pd.NA)
    return df
