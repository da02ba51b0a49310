"""Building blocks every page uses: the demo notice, KPI rows, charts with their data and
image downloads, table downloads, and highlighted text."""
from __future__ import annotations

import html
import importlib.util
import re
from collections.abc import Callable, Iterable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dhrlearn import charts
from dhrlearn.normalise.text import fold_apostrophes
from dhrlearn.export import tables
from ui import data, filters, frame

SOURCE = "Source: DHR action plans imported into dhrlearn"


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def percent(value) -> str:
    """A share as the queries give it (one decimal), shown as given: re-rounding 66.5 to a whole
    number would disagree with the charts' labels."""
    return "–" if value is None or pd.isna(value) else f"{value:.1f}%"


def page_header(title: str, intro: str) -> None:
    frame.ensure()
    st.title(title)
    st.caption(f"{intro}  \nShowing {filters.describe(filters.current())}.")
    demo_notice()


def demo_notice() -> None:
    """Say so, on every page, whenever the database holds demo cases."""
    cases = data.query("stored_cases")
    if cases.empty or not cases["demo"].any():
        return
    demo = int(cases["demo"].sum())
    whole = "All" if demo == len(cases) else f"{demo} of {len(cases)}"
    st.warning(f"**Demo data.** {whole} cases in this database are invented examples, not real reviews. "
               "Import your own action plans on the Import page.", icon=":material/science:")


def kpi_row(metrics: list[tuple[str, object, str]], per_row: int = 3) -> None:
    """Bordered metrics, `per_row` to a row so labels and values are never cut short: (label, value, help)."""
    for start in range(0, len(metrics), per_row):
        chunk = metrics[start:start + per_row]
        for column, (label, value, help_text) in zip(st.columns(per_row), chunk):
            column.metric(label, value, help=help_text, border=True)


def _alt_text(fig: go.Figure, table: pd.DataFrame) -> str:
    title = fig.layout.title.text or "Chart"
    return f"{title}. The data behind it is in the table below the chart ({len(table)} rows)."


# Rows of a table sent to the browser at most: beyond this a table is slow to send and draw and
# nobody scrolls it; the whole table is in its download.
TABLE_ROWS = 1000


def chart(fig: go.Figure, table: pd.DataFrame, key: str, *, note: str | None = None, national: bool = False) -> None:
    """A chart, its data as a table (the text alternative), and PNG/SVG downloads."""
    st.plotly_chart(fig, key=f"chart_{key}", theme=None, config={"displaylogo": False},
                    alt=_alt_text(fig, table))
    if note:
        st.caption(note)
    with st.expander(f"Table: {fig.layout.title.text}"):
        long_table(table, key)
    image_downloads(fig, key, national)


def long_table(table: pd.DataFrame, key: str, **dataframe_args) -> None:
    """A table of at most TABLE_ROWS rows on screen; a longer one says so and offers all of it as CSV."""
    st.dataframe(table.head(TABLE_ROWS), hide_index=True, **dataframe_args)
    if len(table) > TABLE_ROWS:
        st.caption(f"The first {TABLE_ROWS:,} of {len(table):,} rows; the download has them all.")
        st.download_button("Download all rows (CSV)", data=lambda: tables.to_csv_bytes(table),
                           file_name=f"{key}.csv", key=f"all_rows_{key}", on_click="ignore", mime="text/csv",
                           icon=":material/download:")


def image_downloads(fig: go.Figure, key: str, national: bool = False) -> None:
    """PNG (print quality) and SVG of the chart, with title, as-of date and source line, drawn
    only when clicked (the image exporter, kaleido and chromium, loads only then too)."""
    if not _has_module("dhrlearn.export.images"):
        return
    as_of = filters.current().as_of
    title = fig.layout.title.text or key.replace("_", " ").capitalize()

    def image(kind: str) -> bytes:
        from dhrlearn.export import images

        draw = images.figure_png if kind == "png" else images.figure_svg
        return draw(fig, title=title, as_of=as_of, source=images.source_text(as_of, national=national))

    row = st.container(horizontal=True)
    row.download_button("PNG image", data=lambda: image("png"),
                        file_name=f"{key}.png", mime="image/png", key=f"png_{key}", on_click="ignore",
                        icon=":material/image:", help="Print-quality image (300 dpi) with title, as-of date and source")
    row.download_button("SVG image", data=lambda: image("svg"),
                        file_name=f"{key}.svg", mime="image/svg+xml", key=f"svg_{key}", on_click="ignore",
                        icon=":material/draw:", help="Scalable image for documents and the web")


def table_downloads(table: pd.DataFrame | Callable[[], pd.DataFrame], name: str, key: str,
                    sheet: str | None = None) -> None:
    """XLSX and CSV of a table, built only when clicked. `table` may be a callable giving the table,
    so that a list shown in part is fetched whole only for its download."""
    def rows() -> pd.DataFrame:
        return table() if callable(table) else table

    row = st.container(horizontal=True)
    row.download_button("Download XLSX", data=lambda: tables.to_xlsx_bytes({sheet or name: rows()}),
                         file_name=f"{name}.xlsx", key=f"xlsx_{key}", on_click="ignore", icon=":material/download:",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    row.download_button("Download CSV", data=lambda: tables.to_csv_bytes(rows()), file_name=f"{name}.csv",
                          key=f"csv_{key}", on_click="ignore", icon=":material/download:", mime="text/csv")


_PLAIN_APOSTROPHE = re.escape(html.escape("'"))
_ANY_APOSTROPHE = "(?:" + _PLAIN_APOSTROPHE + "|[\u2019\u2018\u02bc\u2032])"


def highlight(text: str, words: Iterable[str]) -> str:
    """HTML of `text` (escaped) with every matched word in bold on a highlight, so the mark
    survives greyscale and screen readers announce it as marked text."""
    escaped = html.escape(text or "")
    terms = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    if not terms:
        return escaped
    # An apostrophe in a term marks a plain or a typographic one in the text (searches fold them alike).
    alternatives = (re.escape(html.escape(fold_apostrophes(t))).replace(_PLAIN_APOSTROPHE, _ANY_APOSTROPHE)
                    for t in terms)
    pattern = re.compile("|".join(alternatives), re.IGNORECASE)
    return pattern.sub(lambda m: f"<mark><strong>{m.group(0)}</strong></mark>", escaped)


def html_text(value) -> str:
    """A value as escaped HTML text."""
    return html.escape("" if value is None else str(value))


def evidence(text: str, words: Iterable[str]) -> None:
    st.markdown(highlight(text, words), unsafe_allow_html=True)


def empty(message: str = "Nothing matches the filters chosen. Widen them in the sidebar.") -> None:
    st.info(message, icon=":material/filter_alt_off:")


def snippet(text: str, words: Iterable[str], width: int = 140) -> str:
    """The part of `text` around its first matched word: update logs name staff, so show
    only as much as explains the match."""
    text = text or ""
    positions = [text.lower().find(w.lower()) for w in words if w]
    positions = [p for p in positions if p >= 0]
    if not positions or len(text) <= 2 * width:
        return text
    start = max(0, min(positions) - width)
    end = min(len(text), min(positions) + width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


# A symbol beside each status word, so a status reads without colour.
STATUS_SYMBOLS = {"complete": "✔", "in_progress": "◐", "not_started": "○", "off_track": "✖",
                  "closed_other": "⊘", "unknown": "?"}


def status_text(status) -> str:
    if status is None or status != status:
        return ""
    return f"{STATUS_SYMBOLS.get(status, '')} {charts.STATUS_LABELS.get(status, status)}".strip()


def source_text(file, location, rows) -> str:
    """Provenance in one line: file, place in the file, rows."""
    return ", ".join(str(p) for p in (file, location, rows) if p is not None and p == p and str(p))
