"""The shared chart definitions: built from the named queries' own frames, titled, accessible."""
from __future__ import annotations

import pandas as pd
import pytest

import app_fixture
from dhrlearn import charts
from dhrlearn.filters import Filters
from dhrlearn.store import db

CHART_QUERIES = {
    "status_breakdown": "status_counts", "completion_by_case": "completion_by_case",
    "trend_over_time": "completion_by_year", "overdue_by_agency": "overdue_by_agency",
    "completion_by_agency": "completion_by_agency", "overdue_ageing": "overdue_actions",
    "theme_prevalence": "theme_prevalence", "theme_cooccurrence": "theme_cooccurrence",
    "theme_trend": "theme_prevalence_by_year", "toxic_trio": "toxic_trio_by_year",
    "training_uptake": "training_uptake", "national_comparison": "national_comparison",
}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("charts") / "charts.duckdb"
    app_fixture.build(str(path))
    connection = db.connect(path)
    yield connection
    connection.close()


def test_every_chart_has_a_query():
    assert set(CHART_QUERIES) == set(charts.CHARTS)


@pytest.mark.parametrize("name", sorted(CHART_QUERIES))
def test_chart_from_its_query_is_titled_templated_and_not_colour_only(con, name):
    frame = db.query(con, CHART_QUERIES[name], **Filters(as_of=app_fixture.AS_OF).params(), limit=None)
    fig = charts.CHARTS[name](frame)
    assert fig.layout.title.text and fig.layout.template.layout.font.size == 14
    assert fig.layout.xaxis.title.text or fig.layout.yaxis.title.text
    for trace in fig.data:
        if trace.type == "bar":  # every bar says its value in text, so colour is never the only carrier
            assert trace.text is not None and len(trace.text) == len(trace.x)
        if trace.type == "scatter" and trace.mode and "lines" in trace.mode:
            assert trace.marker.symbol and trace.line.dash  # lines differ by symbol and dash too


@pytest.mark.parametrize("name", sorted(CHART_QUERIES))
def test_an_empty_result_says_so(con, name):
    frame = db.query(con, CHART_QUERIES[name], **Filters(as_of=app_fixture.AS_OF, partnerships=("Nowhere",)).params(),
                     limit=None)
    fig = charts.CHARTS[name](frame.iloc[0:0])
    assert [a.text for a in fig.layout.annotations] == [charts.EMPTY_MESSAGE]


def test_status_bars_carry_a_pattern_per_status_and_the_count_and_share():
    frame = pd.DataFrame({"status": ["complete", "off_track"], "actions": [3, 1]})
    bar = charts.status_breakdown(frame).data[0]
    assert list(bar.marker.pattern.shape) == ["", "x"]
    assert list(bar.text) == ["3 (75%)", "1 (25%)"]


def test_ageing_chart_counts_the_whole_list_from_the_totals_on_its_first_rows():
    first_rows = pd.DataFrame([{"ageing_bucket": "over a year", "days_0_90": 3, "days_91_180": 0,
                                "days_181_365": 2, "over_a_year": 40}])  # one row shown of 45
    bars = charts.overdue_ageing(first_rows).data[0]
    assert list(bars.x) == ["0-90 days", "91-180 days", "181-365 days", "over a year"]
    assert list(bars.y) == [3, 0, 2, 40]
