"""Every chart in the product: a function from a query's DataFrame to a plotly figure.

The dashboard shows these figures and the report exporter renders the same ones to
PNG/SVG, so a chart is defined once. Accessibility rules kept here, in one place:
- the Okabe-Ito palette, which stays distinct under the common colour-vision deficiencies;
- colour never carries meaning alone: bars carry text labels, statuses also get a fill
  pattern, lines get a marker symbol and dash of their own;
- every figure has a title and axis titles, and an explicit template (importing
  streamlit changes plotly's default one).
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
SERIES_COLOURS = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion", "sky_blue",
                                         "reddish_purple", "yellow", "black")]
GREY = "#8C8C8C"
# Cividis: perceptually uniform and readable with any colour-vision deficiency.
SEQUENTIAL = "cividis"

# Status: colour, pattern and label, so the chart reads in greyscale too.
STATUS_ORDER = ("complete", "in_progress", "not_started", "off_track", "closed_other", "unknown")
STATUS_LABELS = {
    "complete": "Complete",
    "in_progress": "In progress",
    "not_started": "Not started",
    "off_track": "Off track",
    "closed_other": "Closed (other)",
    "unknown": "Unknown",
}
STATUS_COLOURS = {
    "complete": OKABE_ITO["bluish_green"],
    "in_progress": OKABE_ITO["sky_blue"],
    "not_started": OKABE_ITO["yellow"],
    "off_track": OKABE_ITO["vermillion"],
    "closed_other": OKABE_ITO["reddish_purple"],
    "unknown": GREY,
}
STATUS_PATTERNS = {
    "complete": "",
    "in_progress": "/",
    "not_started": ".",
    "off_track": "x",
    "closed_other": "-",
    "unknown": "+",
}
LINE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"]
LINE_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]

FONT = "Source Sans Pro, Arial, sans-serif"
TEMPLATE = go.layout.Template(pio.templates["plotly_white"])
TEMPLATE.layout.update(
    font=dict(family=FONT, size=14, color="#1A1A1A"),
    title=dict(font=dict(size=18), x=0, xanchor="left", xref="container", y=1, yanchor="top",
               yref="container", pad=dict(t=12, l=8)),
    colorway=SERIES_COLOURS,
    margin=dict(l=10, r=30, t=60, b=50),
    # Legends sit in a row between the title and the plot.
    legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left", title_text=""),
    uniformtext=dict(minsize=11, mode="hide"),  # a number that does not fit its bar is left off, not shrunk
    hoverlabel=dict(font_size=14),
)
pio.templates["dhrlearn"] = TEMPLATE

EMPTY_MESSAGE = "No data for the filters chosen"


LEGEND_MARGIN = 110  # top margin when a legend sits under the title


def _frame(title: str, x_title: str, y_title: str, height: int | None = None, legend: bool = False) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, title_text=title, xaxis_title_text=x_title, yaxis_title_text=y_title)
    if legend:
        fig.update_layout(margin_t=LEGEND_MARGIN)
    if height:
        fig.update_layout(height=height)
    return fig


def _empty(fig: go.Figure) -> go.Figure:
    fig.add_annotation(text=EMPTY_MESSAGE, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                       font=dict(size=16, color="#444444"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _percent_axis(fig: go.Figure, axis: str = "x", top: int = 115) -> None:
    """0-100% ticks, with room past 100 for the labels written beyond the bars."""
    ticks = [0, 25, 50, 75, 100]
    getattr(fig, f"update_{axis}axes")(range=[0, top], tickmode="array", tickvals=ticks,
                                       ticktext=[f"{t}%" for t in ticks])


def _room_for_labels(fig: go.Figure, largest, axis: str = "x") -> None:
    """Leave room past the longest bar for the number written beyond it."""
    top = float(largest or 0)
    getattr(fig, f"update_{axis}axes")(range=[0, top * 1.3 + 1])


def _whole_numbers(fig: go.Figure, largest, axis: str = "x") -> None:
    """Counts get whole-number ticks: no "0.2 actions"."""
    getattr(fig, f"update_{axis}axes")(tickformat=",d", dtick=1 if float(largest or 0) <= 8 else None)


def _bar_height(n_bars: int) -> int:
    """Horizontal bar charts grow with their bars so labels never overlap."""
    return max(260, min(1400, 120 + 34 * n_bars))


def _label(name: str) -> str:
    return STATUS_LABELS.get(name, str(name).replace("_", " ").capitalize())


def _ordered_statuses(values) -> list[str]:
    present = list(dict.fromkeys(values))
    known = [s for s in STATUS_ORDER if s in present]
    return known + [s for s in present if s not in STATUS_ORDER]


def _count_bar(df: pd.DataFrame, category: str, value: str, title: str, value_title: str,
               category_title: str, colour: str, text: list[str] | None = None,
               pattern: str = "") -> go.Figure:
    """A horizontal bar per category, largest at the top, its value written on it."""
    fig = _frame(title, value_title, category_title, _bar_height(len(df)))
    if df.empty:
        return _empty(fig)
    fig.add_bar(
        y=df[category].astype(str), x=df[value], orientation="h",
        marker=dict(color=colour, pattern=dict(shape=pattern), line=dict(color="#333333", width=0.5)),
        text=text if text is not None else df[value].astype(str), textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    _room_for_labels(fig, df[value].max())
    _whole_numbers(fig, df[value].max())
    return fig


# Parts of a whole that recur: complete, overdue, and open but not yet overdue.
PROGRESS_PARTS = (
    ("complete", "Complete", OKABE_ITO["bluish_green"], ""),
    ("overdue", "Overdue", OKABE_ITO["vermillion"], "x"),
    ("open", "Open, not overdue", OKABE_ITO["sky_blue"], "/"),
)


def _progress_parts(df: pd.DataFrame, total: str = "actions", complete: str = "actions_complete",
                    overdue: str = "overdue") -> pd.DataFrame:
    """complete / overdue / open columns from a completion_by_* query's counts."""
    return df.assign(complete=df[complete], overdue=df[overdue], open=df[total] - df[complete] - df[overdue])


def _stack(df: pd.DataFrame, category: str, parts, title: str, value_title: str, category_title: str,
           percent: bool = False, vertical: bool = False) -> go.Figure:
    """Bars stacked from columns, each part with its own colour, pattern, legend label and numbers."""
    n = len(df)
    fig = _frame(title, category_title if vertical else value_title, value_title if vertical else category_title,
                 420 if vertical else _bar_height(n) + 40, legend=True)
    if df.empty:
        return _empty(fig)
    categories = df[category].astype(str).tolist()
    totals = df[[p[0] for p in parts]].sum(axis=1)
    for column, name, colour, pattern in parts:
        values = df[column].fillna(0)
        shown = (100 * values / totals.where(totals > 0)).fillna(0).round(0) if percent else values
        text = [(f"{v:g}%" if percent else f"{v:g}") if v else "" for v in shown]
        axes = dict(x=categories, y=shown) if vertical else dict(y=categories, x=shown, orientation="h")
        fig.add_bar(
            **axes, name=name, text=text, textposition="inside", insidetextanchor="middle",
            insidetextfont=dict(color="#000000"),
            marker=dict(color=colour, pattern=dict(shape=pattern), line=dict(color="#333333", width=0.5)),
            customdata=values, hovertemplate=f"{name}: %{{customdata}}<extra>%{{{'x' if vertical else 'y'}}}</extra>",
        )
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    if vertical:
        fig.update_xaxes(type="category")
    else:
        fig.update_yaxes(autorange="reversed", automargin=True)
    if percent:
        _percent_axis(fig, "y" if vertical else "x", top=100)
    else:
        _whole_numbers(fig, totals.max(), "y" if vertical else "x")
    return fig


def _lines(df: pd.DataFrame, x: str, series: str, value: str, title: str, x_title: str,
           y_title: str, label: Callable[[str], str] = _label, percent: bool = False) -> go.Figure:
    """One line per series, each with its own colour, marker symbol and dash."""
    fig = _frame(title, x_title, y_title, 440, legend=True)
    if df.empty:
        return _empty(fig)
    for i, (name, part) in enumerate(df.groupby(series, sort=False)):
        part = part.sort_values(x)
        fig.add_scatter(
            x=part[x], y=part[value], name=label(str(name)), mode="lines+markers",
            line=dict(color=SERIES_COLOURS[i % len(SERIES_COLOURS)], dash=LINE_DASHES[i % len(LINE_DASHES)], width=2.5),
            marker=dict(symbol=LINE_SYMBOLS[i % len(LINE_SYMBOLS)], size=9),
            hovertemplate=f"{label(str(name))}: %{{y}}{'%' if percent else ''}<extra>%{{x}}</extra>",
        )
    if percent:
        _percent_axis(fig, "y", top=110)
    else:
        fig.update_yaxes(rangemode="tozero")
    return fig


# ---- Overview -----------------------------------------------------------------------------------

def status_breakdown(df: pd.DataFrame, *, status: str = "status", value: str = "actions",
                     title: str = "Actions by status") -> go.Figure:
    """From query status_counts: one bar per status, with its pattern, count and share written on it."""
    order = _ordered_statuses(df[status]) if not df.empty else []
    data = df.set_index(status).reindex(order).reset_index() if order else df
    fig = _frame(title, "Actions", "Status", _bar_height(len(data)))
    if data.empty:
        return _empty(fig)
    total = data[value].sum() or 1
    fig.add_bar(
        y=[_label(s) for s in data[status]], x=data[value], orientation="h",
        marker=dict(color=[STATUS_COLOURS.get(s, GREY) for s in data[status]],
                    pattern=dict(shape=[STATUS_PATTERNS.get(s, "") for s in data[status]]),
                    line=dict(color="#333333", width=0.5)),
        text=[f"{v:g} ({100 * v / total:.0f}%)" for v in data[value]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    _room_for_labels(fig, data[value].max())
    return fig


def _case_labels(df: pd.DataFrame) -> pd.Series:
    """The case reference, with its partnership where two partnerships use the same reference."""
    repeated = df["reference"].duplicated(keep=False)
    return df["reference"].where(~repeated, df["reference"] + " (" + df["partnership"] + ")")


def completion_by_case(df: pd.DataFrame, *, title: str = "Completion by case") -> go.Figure:
    """From query completion_by_case: each case's actions split into complete, overdue and open,
    as a share of its actions; the case furthest behind at the top."""
    data = df.copy()
    if not data.empty:
        data["case"] = _case_labels(data)
        data = _progress_parts(data).sort_values(["pct_actions_complete", "overdue"], ascending=[True, False])
    return _stack(data, "case", PROGRESS_PARTS, title, "Share of the case's actions (%)", "Case", percent=True)


def trend_over_time(df: pd.DataFrame, *, title: str = "Actions by case year: complete, overdue, open"
                    ) -> go.Figure:
    """From query completion_by_year: each case year's actions, complete / overdue / open."""
    data = df.dropna(subset=["year"]) if not df.empty else df
    if not data.empty:
        data = _progress_parts(data).assign(year=data["year"].astype(int).astype(str))
    return _stack(data, "year", PROGRESS_PARTS, title, "Actions", "Year of the case", vertical=True)


# ---- Agencies -----------------------------------------------------------------------------------

AGEING_PARTS = (
    ("over_a_year", "Over a year", OKABE_ITO["vermillion"], "x"),
    ("days_181_365", "181-365 days", OKABE_ITO["orange"], "/"),
    ("days_91_180", "91-180 days", OKABE_ITO["yellow"], "."),
    ("days_0_90", "Up to 90 days", OKABE_ITO["sky_blue"], ""),
)


def overdue_by_agency(df: pd.DataFrame, *, title: str = "Overdue actions by agency, by how long overdue"
                      ) -> go.Figure:
    """From query overdue_by_agency: one bar per agency, most overdue at the top, split by age;
    the total is written at the end of each bar."""
    data = df.sort_values(["overdue", "agency"], ascending=[False, True]) if not df.empty else df
    fig = _stack(data, "agency", AGEING_PARTS, title, "Overdue actions", "Agency")
    if not data.empty:
        fig.add_scatter(y=data["agency"].astype(str), x=data["overdue"], mode="text", text=data["overdue"].astype(str),
                        textposition="middle right", showlegend=False, hoverinfo="skip",
                        textfont=dict(size=14, color="#1A1A1A"))
        fig.update_xaxes(range=[0, data["overdue"].max() * 1.12 + 0.5])
    return fig


def completion_by_agency(df: pd.DataFrame, *, title: str = "Completion by agency (share of each agency's actions)"
                         ) -> go.Figure:
    """From query completion_by_agency: complete / overdue / open as a share of each agency's actions."""
    data = _progress_parts(df) if not df.empty else df
    return _stack(data, "agency", PROGRESS_PARTS, title, "Share of the agency's actions (%)", "Agency", percent=True)


AGEING_ORDER = ("0-90 days", "91-180 days", "181-365 days", "over a year")
AGEING_TOTALS = ("days_0_90", "days_91_180", "days_181_365", "over_a_year")  # overdue_actions' columns


def ageing_counts(df: pd.DataFrame) -> pd.Series:
    """Overdue actions per ageing bucket, from the totals every overdue_actions row carries (the rows
    themselves may be only the first of the list)."""
    first = df.iloc[0]
    return pd.Series([int(first[c]) for c in AGEING_TOTALS], index=list(AGEING_ORDER))


def overdue_ageing(df: pd.DataFrame, *, title: str = "How long overdue actions have been overdue") -> go.Figure:
    """From query overdue_actions: overdue actions counted by ageing bucket."""
    fig = _frame(title, "Time overdue", "Overdue actions", 380)
    if df.empty:
        return _empty(fig)
    counts = ageing_counts(df)
    fig.add_bar(x=list(counts.index), y=counts.values, text=[str(v) for v in counts.values], textposition="outside",
                cliponaxis=False, marker=dict(color=OKABE_ITO["orange"], pattern=dict(shape="/"),
                                              line=dict(color="#333333", width=0.5)),
                hovertemplate="%{x}: %{y}<extra></extra>")
    fig.update_yaxes(rangemode="tozero")
    _whole_numbers(fig, counts.max(), "y")
    return fig


# ---- Themes -------------------------------------------------------------------------------------

def theme_label(theme: str) -> str:
    """A theme id's label from the taxonomy file (data/reference/themes.csv)."""
    from dhrlearn.themes import taxonomy

    return taxonomy().labels().get(theme, str(theme).replace("_", " ").capitalize())


def theme_prevalence(df: pd.DataFrame, *, title: str = "Themes: share of cases whose plans raise each") -> go.Figure:
    """From query theme_prevalence: the share of cases with each theme, "n%  (cases)" on each bar."""
    data = df.sort_values(["pct_cases", "theme"], ascending=[False, True]) if not df.empty else df
    if not data.empty:
        data = data.assign(label=data["theme"].map(theme_label))
    text = [f"{p:.0f}% ({c:g} of {t:g})" for p, c, t in zip(data.get("pct_cases", []), data.get("cases", []),
                                                          data.get("cases_total", []))]
    fig = _count_bar(data, "label", "pct_cases", title, "Cases (%)", "Theme", OKABE_ITO["blue"], text)
    if not data.empty:
        _percent_axis(fig, top=125)
    return fig


def theme_cooccurrence(df: pd.DataFrame, *, title: str = "Themes raised together (cases with both)") -> go.Figure:
    """From query theme_cooccurrence: a heatmap whose every cell also shows its number of cases."""
    themes = sorted(set(df["theme_a"]).union(df["theme_b"]), key=theme_label) if not df.empty else []
    labels = [theme_label(t) for t in themes]
    fig = _frame(title, "Theme", "Theme", max(480, 300 + 34 * len(themes)))
    if df.empty:
        return _empty(fig)
    grid = pd.DataFrame(0.0, index=themes, columns=themes)
    for a, b, n in df[["theme_a", "theme_b", "cases_both"]].itertuples(index=False):
        grid.loc[a, b] = n
        grid.loc[b, a] = n
    top = grid.values.max() or 1
    for theme in themes:  # a theme with itself says nothing: leave the diagonal blank
        grid.loc[theme, theme] = float("nan")
    fig.add_heatmap(z=grid.values, x=labels, y=labels, colorscale=SEQUENTIAL, zmin=0, zmax=top,
                    hovertemplate="%{y} with %{x}: %{z} cases<extra></extra>",
                    colorbar=dict(title=dict(text="Cases")))
    # Each cell's number, dark on the light end of the scale and light on the dark end.
    cells = [(labels[i], labels[j], grid.iat[j, i]) for j in range(len(themes)) for i in range(len(themes))]
    fig.add_scatter(x=[c[0] for c in cells], y=[c[1] for c in cells], mode="text", hoverinfo="skip",
                    text=["" if pd.isna(c[2]) else f"{c[2]:g}" for c in cells], showlegend=False,
                    textfont=dict(size=13, color=["#000000" if c[2] / top > 0.6 else "#FFFFFF" for c in cells]))
    fig.update_xaxes(tickangle=-40, automargin=True)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def theme_trend(df: pd.DataFrame, *, top: int = 6, themes: list[str] | None = None,
                title: str = "Themes by case year (share of that year's cases)") -> go.Figure:
    """From query theme_prevalence_by_year: a line per theme (`themes`, else the `top` most common),
    each with its own colour, marker and dash."""
    data = df.dropna(subset=["year"]) if not df.empty else df
    if not data.empty:
        keep = themes if themes else data.groupby("theme")["cases"].sum().sort_values(ascending=False).head(top).index
        data = data[data["theme"].isin(keep)].sort_values("year")
        data = data.assign(year=data["year"].astype(int).astype(str))
    fig = _lines(data, "year", "theme", "pct_cases", title, "Year of the case", "Cases (%)", label=theme_label,
                 percent=True)
    fig.update_xaxes(type="category", categoryorder="category ascending")  # one tick per year, no fractions
    return fig


def toxic_trio(df: pd.DataFrame, *,
               title: str = "Toxic trio by case year: domestic abuse, substance misuse and mental ill-health"
               ) -> go.Figure:
    """From query toxic_trio_by_year: the share of each year's cases showing the trio."""
    fig = _frame(title, "Year of the case", "Cases (%)", 400)
    data = df.dropna(subset=["year"]) if not df.empty else df
    if data.empty:
        return _empty(fig)
    fig.add_bar(x=data["year"].astype(int).astype(str), y=data["pct_trio_cases"],
                text=[f"{p:.0f}% ({t:g} of {c:g})" for p, t, c in
                      zip(data["pct_trio_cases"], data["trio_cases"], data["cases"])],
                textposition="outside", cliponaxis=False,
                marker=dict(color=OKABE_ITO["reddish_purple"], pattern=dict(shape="/"),
                            line=dict(color="#333333", width=0.5)),
                hovertemplate="%{x}: %{y:.0f}%<extra></extra>")
    _percent_axis(fig, "y")
    fig.update_xaxes(type="category")
    return fig


UPTAKE_PARTS = (
    ("evidence_negative", "Poor or falling uptake", OKABE_ITO["vermillion"], "x"),
    ("evidence_planned", "Training planned", OKABE_ITO["sky_blue"], "/"),
    ("evidence_positive", "Good uptake", OKABE_ITO["bluish_green"], ""),
)


def training_uptake(df: pd.DataFrame, *, title: str = "What agency updates say about training uptake"
                    ) -> go.Figure:
    """From query training_uptake (one row): update passages showing poor, planned or good uptake."""
    fig = _frame(title, "Passages in update text", "", _bar_height(len(UPTAKE_PARTS)))
    if df.empty:
        return _empty(fig)
    row = df.iloc[0]
    values = [int(row[column] or 0) for column, *_ in UPTAKE_PARTS]
    fig.add_bar(y=[p[1] for p in UPTAKE_PARTS], x=values, orientation="h",
                marker=dict(color=[p[2] for p in UPTAKE_PARTS], pattern=dict(shape=[p[3] for p in UPTAKE_PARTS]),
                            line=dict(color="#333333", width=0.5)),
                text=[str(v) for v in values], textposition="outside", cliponaxis=False,
                hovertemplate="%{y}: %{x}<extra></extra>")
    fig.update_yaxes(autorange="reversed", automargin=True)
    _room_for_labels(fig, max(values))
    return fig


DHRD_CREDIT = ("Domestic Homicide Review Dataset (DHRD), Cook & Cook, City St George's, "
               "University of London, CC BY 4.0")


def national_comparison(df: pd.DataFrame, *, title: str = "Local cases beside national reviews (DHRD)"
                        ) -> go.Figure:
    """From query national_comparison: paired bars, local (solid) and national (hatched), each
    with its percentage and base written on it."""
    fig = _frame(title, "Share of cases (%)", "", _bar_height(2 * len(df)) + 60, legend=True)
    if df.empty:
        return _empty(fig)
    series = (("local_pct", "local_cases_with", "local_cases", "Local cases", OKABE_ITO["blue"], ""),
              ("national_pct", "national_cases_with", "national_cases_known", "National (DHRD)",
               OKABE_ITO["orange"], "/"))
    for pct, with_it, base, name, colour, pattern in series:
        text = [f"{name.split()[0]}: {p:.0f}% ({w:g} of {b:g})" if pd.notna(p) else f"{name.split()[0]}: no data"
                for p, w, b in zip(df[pct], df[with_it].fillna(0), df[base].fillna(0))]
        fig.add_bar(y=df["label"], x=df[pct].fillna(0), name=name, orientation="h", text=text,
                    marker=dict(color=colour, pattern=dict(shape=pattern), line=dict(color="#333333", width=0.5)),
                    textposition="outside", cliponaxis=False, hovertemplate=f"{name}: %{{x:.0f}}%<extra>%{{y}}</extra>")
    fig.update_layout(barmode="group")
    _percent_axis(fig, top=150)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_layout(title_subtitle_text=f"National figures: {DHRD_CREDIT}",
                      title_subtitle_font=dict(size=12, color="#444444"), margin_t=LEGEND_MARGIN + 20)
    return fig


# Every chart by name, for the report exporter and the tests.
CHARTS: dict[str, Callable[..., go.Figure]] = {
    "status_breakdown": status_breakdown,
    "completion_by_case": completion_by_case,
    "trend_over_time": trend_over_time,
    "overdue_by_agency": overdue_by_agency,
    "completion_by_agency": completion_by_agency,
    "overdue_ageing": overdue_ageing,
    "theme_prevalence": theme_prevalence,
    "theme_cooccurrence": theme_cooccurrence,
    "theme_trend": theme_trend,
    "toxic_trio": toxic_trio,
    "training_uptake": training_uptake,
    "national_comparison": national_comparison,
}
