"""Chart images: print size and resolution, title/as-of/source lines, the on-screen figure untouched."""
from __future__ import annotations

import datetime as dt
import io
from xml.etree import ElementTree

import plotly.graph_objects as go
import pytest
from PIL import Image

from dhrlearn import charts
from dhrlearn.export.images import figure_png, figure_svg, source_text

AS_OF = dt.date(2024, 3, 31)


@pytest.fixture(scope="module")
def overdue_figure():
    """A chart shaped like the product's (its template, a horizontal bar per agency)."""
    fig = go.Figure(layout=dict(template=charts.TEMPLATE, title_text="Overdue actions by agency"))
    fig.add_bar(y=["West Mercia Police", "Cranstoun Worcestershire"], x=[5, 3], orientation="h")
    return fig


def test_png_is_a4_text_width_at_300_dpi(overdue_figure):
    png = figure_png(overdue_figure, title="Overdue actions by agency", as_of=AS_OF, source=source_text(AS_OF))
    with Image.open(io.BytesIO(png)) as image:
        width_mm = image.size[0] / 300 * 25.4
        assert abs(width_mm - 170) < 1, width_mm
        assert tuple(round(d) for d in image.info["dpi"]) == (300, 300)
        assert image.size[1] < 1000 / 96 * 300  # never taller than a page


def test_svg_carries_title_as_of_and_source_lines(overdue_figure):
    svg = figure_svg(overdue_figure, title="Overdue <actions> & more", as_of=AS_OF,
                     source=source_text(AS_OF, national=True))
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = [" ".join(node.itertext()) for node in root.iter() if node.tag.endswith("}text")]
    assert "Overdue <actions> & more" in texts  # user text shown literally, not read as markup
    svg = " ".join(texts)
    assert "As at 31/03/2024" in svg
    assert "Source: DHR action plans as at 31/03/2024" in svg
    assert "Domestic Homicide Review Dataset (DHRD)" in svg and "CC BY 4.0" in svg
    assert "West Mercia Police" in svg


def test_on_screen_figure_is_not_changed(overdue_figure):
    before = overdue_figure.to_json()
    figure_svg(overdue_figure, title="A title", as_of=AS_OF, source="Source: test")
    assert overdue_figure.to_json() == before


def test_chart_own_dhrd_note_is_not_repeated():
    fig = go.Figure(layout=dict(template=charts.TEMPLATE))
    fig.add_bar(y=["Mental health"], x=[40], orientation="h")
    fig.add_annotation(text=f"National: {charts.DHRD_CREDIT}", xref="paper", yref="paper", x=0, y=-0.1,
                       showarrow=False)
    svg = figure_svg(fig, title="National", as_of=AS_OF,
                     source=source_text(AS_OF, national=True)).decode("utf-8")
    assert svg.count("Cook &amp; Cook") == 1
