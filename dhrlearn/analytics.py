"""Helpers around the named queries in queries/: their catalogue, and the national DHRD reference data.

Every .sql file starts with a header: one line saying what it answers, then `-- params: a, b`
listing its parameters (`-- params: (none)` for none). `query_catalogue()` reads those headers
so pages, reports and the bench can discover the queries without running them.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dhrlearn import config

DHRD_DIR = config.REFERENCE_DIR / "dhrd"
DHRD_CREDIT = (
    "National figures: The Domestic Homicide Review Dataset (DHRD) for England and Wales, "
    "Cook & Cook (2026), CC BY 4.0, doi:10.5281/zenodo.21108268; derived counts, data unchanged."
)
# Parameters every filtering query accepts (dhrlearn.filters.Filters.params()).
SHARED_FILTERS = ("as_of", "partnerships", "year_from", "year_to", "agencies", "agency_types", "levels", "themes")

_PARAM_USE = re.compile(r"\$([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class QueryInfo:
    name: str
    summary: str  # the header's first line: what the query answers
    params: tuple[str, ...]  # as declared in the header, in order
    notes: str  # the rest of the header comment

    @property
    def extra_params(self) -> tuple[str, ...]:
        """Parameters beyond the shared filters (e.g. case_id, q, date_from)."""
        return tuple(p for p in self.params if p not in SHARED_FILTERS)


def query_info(name: str, queries_dir: Path | None = None) -> QueryInfo:
    """The header of queries/<name>.sql. Raises ValueError naming the file when the header is malformed."""
    path = (queries_dir or config.QUERIES_DIR) / f"{name}.sql"
    header = []
    for line in path.read_text().splitlines():
        if not line.startswith("--"):
            break
        header.append(line[2:].strip())
    if len(header) < 2 or not header[1].startswith("params:"):
        raise ValueError(f"{path}: the header must be '-- what it answers' then '-- params: a, b'")
    declared = header[1].removeprefix("params:").strip()
    params = () if declared in ("", "(none)") else tuple(p.strip() for p in declared.split(","))
    return QueryInfo(name, header[0], params, "\n".join(header[2:]))


def query_catalogue(queries_dir: Path | None = None) -> list[QueryInfo]:
    """Every named query with its declared parameters, by name."""
    directory = queries_dir or config.QUERIES_DIR
    return [query_info(p.stem, directory) for p in sorted(directory.glob("*.sql"))]


def used_params(name: str, queries_dir: Path | None = None) -> set[str]:
    """The $parameters the SQL of queries/<name>.sql actually mentions (outside the header too)."""
    return set(_PARAM_USE.findall(((queries_dir or config.QUERIES_DIR) / f"{name}.sql").read_text()))


# --- National reference data (DHRD) -------------------------------------------------------------

_DHRD_FILES = {"incidents": "incidents.csv", "victims": "victims.csv", "perpetrators": "perpetrators.csv"}
_DHRD_TABLES = {"victims": "dhrd_victim", "perpetrators": "dhrd_perpetrator"}


def _read_measures(path: Path) -> list[dict]:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for line, row in enumerate(rows, start=2):
        if row.get("combine") not in ("any", "all_of") or not row.get("measure") or not row.get("sources"):
            raise ValueError(f"{path}, line {line}: need measure, combine (any | all_of) and sources")
    return rows


def _any_expression(path: Path, line: int, sources: str, columns: dict[str, set[str]]) -> str:
    """SQL for "any of these DHRD cells is TRUE" (NULL when none is TRUE and some are unknown)."""
    alias = {"incidents": "i", "victims": "v", "perpetrators": "p"}
    parts = []
    for source in (s.strip() for s in sources.split(";") if s.strip()):
        file, _, column = source.partition(".")
        if file not in alias or column not in columns[file]:
            raise ValueError(f"{path}, line {line}: no DHRD column {source!r}")
        parts.append(f'CAST({alias[file]}."{column}" AS BOOLEAN)')
    return "(" + " OR ".join(parts) + ")"


def load_dhrd(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> int:
    """(Re)load the DHRD files from data/reference/dhrd into the dhrd_* tables; returns incidents loaded.

    dhrd_victim and dhrd_perpetrator hold the CSVs as they are; dhrd_incident the case keys and
    death year; dhrd_flag one value per incident and measure of measures.csv (NULL = unknown).
    """
    directory = Path(directory or DHRD_DIR)
    paths = {key: directory / name for key, name in _DHRD_FILES.items()}
    for path in paths.values():
        if not path.exists():
            raise FileNotFoundError(f"{path}: DHRD file missing (see data/reference/dhrd/SOURCE.md)")
    measures_path = directory / "measures.csv"
    measures = _read_measures(measures_path)
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        for key, table in _DHRD_TABLES.items():
            cur.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_csv(?, header = true)", [str(paths[key])])
        cur.execute("CREATE OR REPLACE TEMP TABLE dhrd_incident_csv AS SELECT * FROM read_csv(?, header = true)",
                    [str(paths["incidents"])])
        cur.execute("DELETE FROM dhrd_flag; DELETE FROM dhrd_measure; DELETE FROM dhrd_incident;")
        cur.execute("""
            INSERT INTO dhrd_incident
            SELECT incident_id, csp, region, death_date,
                   TRY_CAST(regexp_extract(death_date, '(\\d{4})', 1) AS INTEGER)
            FROM dhrd_incident_csv""")
        columns = {
            key: {row[0] for row in cur.execute(f"DESCRIBE {table}").fetchall()}
            for key, table in {"incidents": "dhrd_incident_csv", **_DHRD_TABLES}.items()
        }
        for line, m in enumerate(measures, start=2):
            cur.execute("INSERT INTO dhrd_measure VALUES (?, ?, ?, ?, ?)",
                        [m["measure"], m["label"], m["theme"] or None, m["sources"], m["description"]])
            if m["combine"] == "any":
                expression = _any_expression(measures_path, line, m["sources"], columns)
                cur.execute(f"""
                    INSERT INTO dhrd_flag
                    SELECT i.incident_id, ?, {expression}
                    FROM dhrd_incident_csv i
                    LEFT JOIN dhrd_victim v ON v.incident_id = i.incident_id
                    LEFT JOIN dhrd_perpetrator p ON p.incident_id = i.incident_id""", [m["measure"]])
            else:  # all_of: every named measure TRUE (three-valued AND: unknown stays unknown)
                parts = [s.strip() for s in m["sources"].split(";") if s.strip()]
                cur.execute("""
                    INSERT INTO dhrd_flag
                    SELECT incident_id, ?,
                           CASE WHEN bool_or(NOT value) THEN false
                                WHEN count(value) = ? AND bool_and(value) THEN true END
                    FROM dhrd_flag WHERE list_contains(?, measure)
                    GROUP BY incident_id""", [m["measure"], len(parts), parts])
        cur.execute("DROP TABLE dhrd_incident_csv")
        cur.execute("COMMIT")
    except Exception:
        cur.execute("ROLLBACK")
        raise
    finally:
        count = con.execute("SELECT count(*) FROM dhrd_incident").fetchone()[0]
        cur.close()
    return count


def ensure_dhrd(con: duckdb.DuckDBPyConnection) -> int:
    """Load the DHRD reference data unless it is already there; returns incidents in the tables."""
    count = con.execute("SELECT count(*) FROM dhrd_incident").fetchone()[0]
    return count or load_dhrd(con)
