"""The long lists (overdue actions, search, training-uptake evidence, progress between dates) read
only the rows a page shows: $limit keeps the first rows of the very list an unlimited run gives,
and the totals each row carries count the whole list. Checked on generated cases imported through
the real CSV path, so the lists are long enough for a limit to cut them."""
from __future__ import annotations

import datetime as dt
import sys

import pandas as pd
import pytest

from dhrlearn.filters import Filters
from dhrlearn.store import db
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import run as bench  # noqa: E402  the benchmark's corpus builder and CSV import

AS_OF = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long_lists")
    bench.build_corpus(30, folder / "corpus")
    connection = db.connect(folder / "lists.duckdb")
    bench.import_corpus(connection, folder / "corpus")
    yield connection
    connection.close()


def run(con, name, limit, filters=None, **extra):
    return db.query(con, name, **(filters or Filters(as_of=AS_OF)).params(), limit=limit, **extra)


def agency_filter(con) -> Filters:
    agency = con.execute("SELECT agency FROM agency_link WHERE agency IS NOT NULL "
                         "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]
    return Filters(as_of=AS_OF, agencies=(agency,))


def assert_first_rows(everything: pd.DataFrame, first: pd.DataFrame, limit: int) -> None:
    assert len(first) == min(limit, len(everything))
    pd.testing.assert_frame_equal(first.reset_index(drop=True), everything.head(limit).reset_index(drop=True))


@pytest.mark.parametrize("limit", [1, 7, 40])
def test_overdue_actions_limit_keeps_the_oldest_rows_and_counts_them_all(con, limit):
    everything = run(con, "overdue_actions", None)
    assert len(everything) > 40
    first = run(con, "overdue_actions", limit)
    assert_first_rows(everything, first, limit)
    assert (first["total_rows"] == len(everything)).all()
    buckets = everything["ageing_bucket"].value_counts()
    for column, bucket in (("days_0_90", "0-90 days"), ("days_91_180", "91-180 days"),
                           ("days_181_365", "181-365 days"), ("over_a_year", "over a year")):
        assert (first[column] == buckets.get(bucket, 0)).all(), column
    assert everything["days_overdue"].is_monotonic_decreasing


def test_overdue_actions_limit_with_an_agency_filter(con):
    chosen = agency_filter(con)
    everything = run(con, "overdue_actions", None, chosen)
    assert 0 < len(everything) < len(run(con, "overdue_actions", None))
    assert_first_rows(everything, run(con, "overdue_actions", 5, chosen), 5)


@pytest.mark.parametrize("limit", [1, 9, 60])
def test_uptake_evidence_list_limit_keeps_the_first_rows_and_counts_them_all(con, limit):
    everything = run(con, "uptake_evidence_list", None)
    assert len(everything) > 60
    first = run(con, "uptake_evidence_list", limit)
    assert_first_rows(everything, first, limit)
    assert (first["total_rows"] == len(everything)).all()
    order = everything["polarity"].map({"negative": 1, "planned": 2, "positive": 3})
    assert order.is_monotonic_increasing
    for _, passages in everything.groupby(order):  # then case by case, by partnership and reference
        cases = list(zip(passages.partnership, passages.reference))
        assert cases == sorted(cases)
