"""The annual-report pack: DOCX (to edit) and PDF (to publish), built from the named queries and charts.

Every figure comes from a named query in queries/ and every chart from dhrlearn.charts, so the
pack agrees with the dashboard. Staff names are left out unless asked for: personal-data columns
are dropped from every table (dhrlearn.export.tables.drop_personal) and no update text is shown.
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dhrlearn import charts, themes
from dhrlearn.export.images import figure_png, source_text
from dhrlearn.export.tables import drop_personal
from dhrlearn.filters import Filters
from dhrlearn.store import db

DHRD_CREDIT = charts.DHRD_CREDIT
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
TEXT_WIDTH_MM = 170  # A4 (210 mm) less 20 mm margins


@dataclass(frozen=True)
class ReportOptions:
    date_from: dt.date
    date_to: dt.date  # the period's end is also the date the figures are "as at"
    partnerships: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    with_names: bool = False  # staff names are personal data: left out unless asked for
    title: str = "Domestic Homicide Review action plans: annual report"

    def __post_init__(self):
        if self.date_from > self.date_to:
            raise ValueError(f"the period starts ({self.date_from}) after it ends ({self.date_to})")

    def filters(self) -> Filters:
        return Filters(as_of=self.date_to, partnerships=tuple(self.partnerships), themes=tuple(self.themes))

    def params(self) -> dict:
        return {**self.filters().params(), "date_from": self.date_from, "date_to": self.date_to}


@dataclass(frozen=True)
class ChartSpec:
    """One standard chart: the chart function, the query feeding it, and its data table's columns."""
    chart: str  # function name in dhrlearn.charts
    query: str  # named query in queries/
    heading: str
    caption: str
    columns: dict[str, str]  # query column -> table heading, in table order
    national: bool = False


STANDARD_CHARTS = (
    ChartSpec("status_breakdown", "status_counts", "Actions by status",
              "Actions in each status at the as-of date.",
              {"status": "Status", "actions": "Actions", "pct_actions": "% of actions"}),
    ChartSpec("completion_by_agency", "completion_by_agency", "Completion by agency",
              "Each agency's actions: complete, overdue, and open but not yet due.",
              {"agency": "Agency", "actions": "Actions", "actions_complete": "Complete",
               "pct_actions_complete": "% complete", "overdue": "Overdue"}),
    ChartSpec("overdue_by_agency", "overdue_by_agency", "Overdue actions by agency",
              "Overdue actions by agency and how long they have been overdue. An action led by two "
              "agencies counts for each.",
              {"agency": "Agency", "overdue": "Overdue", "days_0_90": "Up to 90 days",
               "days_91_180": "91-180 days", "days_181_365": "181-365 days", "over_a_year": "Over a year",
               "oldest_target_date": "Oldest target date"}),
    ChartSpec("completion_by_case", "completion_by_case", "Completion by case",
              "Each case's actions: complete, overdue, and open; the case furthest behind first.",
              {"partnership": "Partnership", "reference": "Case", "year": "Year", "actions": "Actions",
               "actions_complete": "Complete", "pct_actions_complete": "% complete", "overdue": "Overdue"}),
    ChartSpec("trend_over_time", "completion_by_year", "Completion by year of the case",
              "Actions by the year of the case: complete, overdue and open.",
              {"year": "Year", "actions": "Actions", "actions_complete": "Complete",
               "pct_actions_complete": "% complete", "overdue": "Overdue"}),
    ChartSpec("theme_prevalence", "theme_prevalence", "Recurring themes",
              "The share of cases whose plans raise each theme (in a recommendation, action or update).",
              {"theme": "Theme", "cases": "Cases", "pct_cases": "% of cases", "recommendations": "Recommendations"}),
    ChartSpec("toxic_trio", "toxic_trio_by_year", "The toxic trio",
              "Cases whose plans raise domestic abuse, substance misuse and mental ill-health together, "
              "by year of the case.",
              {"year": "Year", "cases": "Cases", "trio_cases": "Cases with the trio", "pct_trio_cases": "% of cases"}),
    ChartSpec("training_uptake", "training_uptake", "Training uptake",
              "What agency updates say about training uptake.",
              {"evidence_negative": "Poor or falling uptake", "evidence_positive": "Good uptake",
               "evidence_planned": "Training planned"}),
    ChartSpec("national_comparison", "national_comparison", "Local cases beside national reviews",
              "Local cases beside the national Domestic Homicide Review Dataset (DHRD).",
              {"label": "Measure", "local_cases_with": "Local cases with it", "local_cases": "Local cases",
               "local_pct": "Local %", "national_cases_with": "National reviews with it",
               "national_cases_known": "National reviews known", "national_pct": "National %"},
              national=True),
)

OVERDUE_ACTION_COLUMNS = {
    "agencies": "Agency", "reference": "Case", "recommendation_number": "Rec.", "action_text": "Action",
    "target_date": "Target date", "days_overdue": "Days overdue",
}


@dataclass
class Section:
    spec: ChartSpec
    data: pd.DataFrame  # the query's result, personal columns dropped
    table: pd.DataFrame  # what the report prints: chosen columns, display headings
    figure: go.Figure
    alt_text: str


@dataclass
class ReportData:
    options: ReportOptions
    kpis: dict
    summary: list[str]
    sections: list[Section]
    overdue_actions: pd.DataFrame
    missing: list[str] = field(default_factory=list)  # standard charts without a query or chart yet

    @property
    def is_demo(self) -> bool:
        return bool(self.kpis.get("demo_cases"))


# ---- Gathering the figures ----------------------------------------------------------------------

def _query(con, name: str, options: ReportOptions, **extra) -> pd.DataFrame:
    df = db.query(con, name, **options.params(), **extra)
    return df if options.with_names else drop_personal(df)


def _with_theme_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Theme ids ("substance_misuse") as the taxonomy's labels, for print."""
    labels = theme_labels()
    columns = [c for c in ("theme", "theme_a", "theme_b") if c in df.columns]
    return df.assign(**{c: df[c].map(lambda t: labels.get(t, t)) for c in columns}) if columns else df


def theme_labels() -> dict[str, str]:
    return themes.taxonomy().labels("topic")


def _available(spec: ChartSpec) -> bool:
    try:
        db.query_text(spec.query)
    except KeyError:
        return False
    return hasattr(charts, spec.chart)


def gather(con, options: ReportOptions) -> ReportData:
    """Run every query the pack needs and build the charts (no rendering)."""
    kpis = _query(con, "kpis", options).iloc[0].to_dict()
    sections, missing = [], []
    for spec in STANDARD_CHARTS:
        if not _available(spec):
            missing.append(f"{spec.chart} from query {spec.query}: not written yet")
            continue
        data = _with_theme_labels(_query(con, spec.query, options))
        if spec.national and ("national_pct" not in data or data["national_pct"].isna().all()):
            missing.append(f"{spec.chart}: no national (DHRD) figures loaded")
            continue
        try:
            figure = getattr(charts, spec.chart)(data)
        except KeyError as exc:  # the chart does not yet read this query's columns
            missing.append(f"{spec.chart} cannot draw query {spec.query} (no column {exc})")
            continue
        table = display_table(data, spec.columns)
        sections.append(Section(spec, data, table, figure, alt_text(spec, figure, table)))
    overdue = _query(con, "overdue_actions", options, limit=None)  # every row
    overdue = overdue.sort_values(["agencies", "days_overdue"], ascending=[True, False], kind="stable")
    data = ReportData(options, kpis, [], sections, display_table(overdue, OVERDUE_ACTION_COLUMNS), missing)
    data.summary = executive_summary(con, data)
    return data


def display_table(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The chosen columns, in order, under their display headings, values formatted for print."""
    present = [c for c in columns if c in df.columns]
    table = df[present].copy()
    for column in present:
        table[column] = [_cell_text(column, v) for v in table[column]]
    return table.rename(columns=columns)


def _cell_text(column: str, value) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    if column == "status":
        return charts.STATUS_LABELS.get(value, str(value))
    if column == "polarity":
        return getattr(charts, "UPTAKE_LABELS", {}).get(value, str(value))
    if isinstance(value, (dt.date, pd.Timestamp)):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        return f"{value:.1f}" if "pct" in column else f"{value:g}"
    return str(value)


def alt_text(spec: ChartSpec, figure: go.Figure, table: pd.DataFrame, limit: int = 12) -> str:
    """A description for screen readers: what the chart shows and its first rows of figures."""
    kind = {"bar": "Bar chart", "heatmap": "Heat map", "scatter": "Line chart"}.get(
        figure.data[0].type if figure.data else "", "Chart")
    if table.empty:
        return f"{kind}: {spec.heading}. {charts.EMPTY_MESSAGE}."
    headings = list(table.columns)
    rows = []
    for values in table.head(limit).itertuples(index=False):
        label, rest = values[0], values[1:]
        rows.append(f"{label}: " + ", ".join(f"{h.lower()} {v}" for h, v in zip(headings[1:], rest) if v != ""))
    more = f" and {len(table) - limit} more rows in the table below" if len(table) > limit else ""
    return f"{kind}: {spec.heading}. " + "; ".join(rows) + more + "."


# ---- The executive summary ----------------------------------------------------------------------

def _n(value) -> str:
    if value is None or pd.isna(value):
        return "0"
    return f"{int(value):,}"


def _pct(value) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{float(value):.1f}%"


def _plural(n, word: str, plural: str | None = None) -> str:
    return f"{_n(n)} {word if n == 1 else (plural or word + 's')}"


def _date_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def executive_summary(con, data: ReportData) -> list[str]:
    """Plain sentences written from the figures, one a paragraph."""
    k, o = data.kpis, data.options
    sentences = [
        f"At {_date_text(o.date_to)}, {_plural(k['cases'], 'case')} were being monitored, with "
        f"{_plural(k['recommendations'], 'recommendation')} and {_plural(k['actions'], 'action')}.",
        f"{_n(k['actions_complete'])} of {_n(k['actions'])} actions were complete ({_pct(k['pct_actions_complete'])}), "
        f"and {_n(k['recommendations_complete'])} of {_n(k['recommendations'])} recommendations had every "
        f"action complete ({_pct(k['pct_recommendations_complete'])}).",
    ]
    overdue = next((s.data for s in data.sections if s.spec.query == "overdue_by_agency"), None)
    if k["overdue"]:
        text = f"{_plural(k['overdue'], 'action')} {'was' if k['overdue'] == 1 else 'were'} overdue"
        if k.get("oldest_overdue_days"):
            text += f", the oldest by {_plural(k['oldest_overdue_days'], 'day')}"
        if overdue is not None and not overdue.empty:
            top = overdue.head(3)
            text += ". Most overdue: " + ", ".join(f"{a} ({_n(n)})" for a, n in zip(top["agency"], top["overdue"]))
        sentences.append(text + ".")
    else:
        sentences.append("No actions were overdue.")
    if k.get("no_target_date"):
        sentences.append(f"{_plural(k['no_target_date'], 'action')} had no target date that could be read, "
                         "so cannot be counted as overdue.")
    sentences += _period_sentences(con, data)
    sentences += _theme_sentences(con, data)
    if data.is_demo:
        sentences.append(f"Demo data: {_plural(k['demo_cases'], 'case')} in these figures "
                         f"{'is' if k['demo_cases'] == 1 else 'are'} fictional demonstration data.")
    return sentences


def _period_sentences(con, data: ReportData) -> list[str]:
    """What changed between the start and the end of the period."""
    try:
        # One row of each kind of change is enough: every row carries its kind's count.
        changes = _query(con, "progress_between", data.options, limit=1)
    except KeyError:
        return []
    counts = changes.groupby("change")["change_total"].first()
    return [f"Between {_date_text(data.options.date_from)} and {_date_text(data.options.date_to)}, "
            f"{_plural(counts.get('completed', 0), 'action')} {'was' if counts.get('completed', 0) == 1 else 'were'} "
            f"completed, {_n(counts.get('slipped', 0))} slipped and {_n(counts.get('new', 0))} "
            f"{'was' if counts.get('new', 0) == 1 else 'were'} added."]


def _section_data(data: ReportData, query: str) -> pd.DataFrame | None:
    return next((s.data for s in data.sections if s.spec.query == query), None)


def _theme_sentences(con, data: ReportData) -> list[str]:
    sentences = []
    prevalence = _section_data(data, "theme_prevalence")
    if prevalence is None:
        prevalence = _with_theme_labels(_query(con, "theme_prevalence", data.options))
    if not prevalence.empty:
        top = prevalence.sort_values(["cases", "theme"], ascending=[False, True]).head(3)
        sentences.append("The most recurrent themes were " + _and_list(
            f"{t} ({_plural(c, 'case')}, {_pct(p)})" for t, c, p in zip(top["theme"], top["cases"], top["pct_cases"])
        ) + ".")
    trio = _query(con, "toxic_trio_summary", data.options).iloc[0]
    if trio["cases"]:
        sentences.append(
            f"The toxic trio (domestic abuse, substance misuse and mental ill-health together) was present in "
            f"{_n(trio['trio_cases'])} of {_plural(trio['cases'], 'case')} ({_pct(trio['pct_trio_cases'])}); "
            f"{_n(trio['trio_actions_complete'])} of their {_plural(trio['trio_actions'], 'related action')} "
            f"were complete ({_pct(trio['pct_trio_actions_complete'])}).")
    uptake = _query(con, "training_uptake", data.options).iloc[0]
    if uptake["training_actions"] or uptake["evidence_negative"] or uptake["evidence_positive"]:
        sentences.append(
            f"Training: {_n(uptake['training_actions_complete'])} of {_plural(uptake['training_actions'], 'training action')} "
            f"were complete ({_pct(uptake['pct_training_actions_complete'])}). Agency updates reported poor or "
            f"falling uptake {_plural(uptake['evidence_negative'], 'time')}, good uptake "
            f"{_plural(uptake['evidence_positive'], 'time')} and training planned "
            f"{_plural(uptake['evidence_planned'], 'time')}.")
    return sentences


def _and_list(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# ---- Shared words -------------------------------------------------------------------------------

def period_text(options: ReportOptions) -> str:
    return f"{_date_text(options.date_from)} to {_date_text(options.date_to)}"


def partnership_text(options: ReportOptions) -> str:
    return _and_list(options.partnerships) if options.partnerships else "All partnerships"


def method_notes(data: ReportData) -> list[tuple[str, str]]:
    """(heading, paragraph) pairs explaining how the figures are made."""
    o = data.options
    notes = [
        ("Which plan counts", "For each case, the figures use the latest version of its action plan dated on or "
         f"before the as-of date ({o.date_to:%d/%m/%Y})."),
        ("Complete", "An action is complete when its plan says so in words such as Complete, Completed, Achieved, "
         "Implemented or Embedded (the word found is kept beside the normalised status). A recommendation is "
         "complete when all of its actions are complete."),
        ("Overdue", "An action is overdue when its target date is before the as-of date and it is neither "
         "complete nor closed (superseded, withdrawn or transferred). A month-only target such as \"Jan 2023\" "
         "means the end of that month; a quarter or season means its end. Actions without a target date that "
         "could be read are never counted as overdue."),
        ("Themes", "Recommendations and actions are tagged with topic themes (for example training and learning, "
         "risk identification, information sharing, substance misuse, mental health) by matching the words listed "
         "for each theme in the theme taxonomy, a data file that can be read and extended. Each text is then read "
         "again by a model learnt from hand-labelled texts, which drops a theme only named in passing and adds one "
         "put in other words. Each tag keeps the words that matched, or those that weighed most for the model. "
         "The toxic trio is counted where a case raises both substance misuse and mental health, or names the "
         "toxic trio."),
        ("Agencies", "Agency names are matched to a list of known agencies and their aliases; an action naming "
         "two agencies counts once for each in tables by agency."),
        ("Sources", f"DHR action plans held by the partnership, as at {o.date_to:%d/%m/%Y}. National figures, "
         f"where shown: {DHRD_CREDIT}."),
    ]
    if not o.with_names:
        notes.append(("Personal data", "Staff names and agency update text are left out of this report."))
    if o.themes:
        notes.append(("Themes selected", "Figures are limited to actions tagged " + _and_list(o.themes) + "."))
    if data.is_demo:
        notes.append(("Demo data", "Some or all of these figures come from fictional demonstration data, not "
                                   "real reviews."))
    return notes


# ---- Rendering ----------------------------------------------------------------------------------

def chart_images(data: ReportData) -> list[bytes]:
    """Each section's chart as a print PNG, with its title, as-of and source lines."""
    as_of = data.options.date_to
    return [figure_png(s.figure, title=s.figure.layout.title.text or s.spec.heading, as_of=as_of,
                       source=source_text(as_of, national=s.spec.national), width_mm=TEXT_WIDTH_MM)
            for s in data.sections]


def build_report(con, options: ReportOptions, fmt: str) -> bytes:
    """The report pack as DOCX or PDF bytes."""
    return build_reports(con, options, (fmt,))[fmt]


def build_reports(con, options: ReportOptions, formats=("docx", "pdf")) -> dict[str, bytes]:
    """The pack in several formats from one run of the queries and one rendering of the charts."""
    unknown = [f for f in formats if f not in ("docx", "pdf")]
    if unknown:
        raise ValueError(f"report format must be docx or pdf, not {unknown[0]!r}")
    data = gather(con, options)
    images = chart_images(data)
    out = {}
    if "docx" in formats:
        from dhrlearn.export.report_docx import render_docx
        out["docx"] = render_docx(data, images)
    if "pdf" in formats:
        from dhrlearn.export.report_pdf import render_pdf
        out["pdf"] = render_pdf(data, images)
    return out


def report_tables(con, options: ReportOptions) -> dict[str, pd.DataFrame]:
    """The pack's data tables by name, for an XLSX download beside the report."""
    data = gather(con, options)
    tables = {s.spec.heading: s.table for s in data.sections}
    tables["Overdue actions"] = data.overdue_actions
    return tables


# ---- Command line -------------------------------------------------------------------------------

def _parse_date(text: str | None, what: str) -> dt.date:
    if not text:
        raise SystemExit(f"error: give the period's {what} date as YYYY-MM-DD (--{what})")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"error: --{what} {text!r} is not a date; write it as YYYY-MM-DD") from None


def run_cli(args) -> int:
    """`python -m dhrlearn report --partnership X --from 2023-04-01 --to 2024-03-31 --out report.docx`."""
    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("docx", "pdf"):
        print(f"error: --out {out} must end in .docx or .pdf", file=sys.stderr)
        return 2
    try:
        options = ReportOptions(
            date_from=_parse_date(args.date_from, "from"), date_to=_parse_date(args.date_to, "to"),
            partnerships=tuple(args.partnership or ()), themes=tuple(args.theme or ()),
            with_names=bool(args.with_names),
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    con = db.connect(args.db, read_only=True)
    try:
        _check_partnerships(con, options)
        data = build_report(con, options, fmt)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    names = "with staff names" if options.with_names else "staff names left out"
    print(f"Wrote {out} ({len(data) // 1024} KB, {names}) in {time.perf_counter() - started:.1f} s")
    return 0


def _check_partnerships(con, options: ReportOptions) -> None:
    """A misspelt partnership would give an empty report: say so instead."""
    if not options.partnerships:
        return
    known = set(db.query(con, "stored_cases")["partnership"])
    unknown = [p for p in options.partnerships if p not in known]
    if unknown:
        raise ValueError(f"no cases stored for partnership {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(sorted(known)) or 'none'}")
