"""The shared sidebar filters, each bound to the URL so a filtered view is a link.

Each widget's key is its query parameter (?partnership=...&as_of=2024-03-31); a value equal
to its default is left out of the URL. Pages read the result with `current()`.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from dhrlearn import charts
from dhrlearn.filters import Filters
from ui import data

LEVEL_LABELS = {"overview": "Overview report (multi-agency)", "single_agency": "Single agency"}
STATE_KEY = "_filters"


# Options are what is stored, whatever the date: every plan version up to the end of time.
ALL_TIME = Filters(as_of=dt.date(9999, 12, 31))


def options() -> dict[str, list]:
    """Every value each filter can take: partnerships, years and agencies stored, and the
    taxonomy's topic themes (data/reference/themes.csv), which needs no query."""
    from dhrlearn.themes import taxonomy

    cases = data.query("stored_cases")
    agencies = data.query("completion_by_agency", ALL_TIME)
    known = agencies[agencies["agency_known"]]
    return {
        "partnership": sorted(cases["partnership"].dropna().unique()),
        "year": sorted(int(y) for y in cases["year"].dropna().unique()),
        "agency": sorted(known["agency"].dropna().unique()),
        "agency_type": sorted(known["agency_type"].dropna().unique()),
        "theme": sorted(taxonomy().topic_themes(), key=charts.theme_label),
    }


def sidebar() -> Filters:
    """Draw the filters in the sidebar and return what they select."""
    choices = options()
    years = choices["year"]
    with st.sidebar:
        st.header("Filters")
        as_of = st.date_input(
            "As of", value=dt.date.today(), key="as_of", bind="query-params", format="DD/MM/YYYY",
            help="Figures as they stood on this date: each case's plan version in force then, "
                 "and actions overdue by then.",
        )
        partnerships = st.multiselect("Partnership (CSP)", choices["partnership"], key="partnership",
                                      bind="query-params", placeholder="All partnerships")
        year_from, year_to = None, None
        if len(years) > 1:
            chosen = st.slider("Case year", min_value=years[0], max_value=years[-1], value=(years[0], years[-1]),
                               key="years", bind="query-params")
            if tuple(chosen) != (years[0], years[-1]):
                year_from, year_to = chosen
        agency_types = st.multiselect("Agency type", choices["agency_type"], key="agency_type",
                                      bind="query-params", placeholder="All agency types")
        agencies = st.multiselect("Agency", choices["agency"], key="agency", bind="query-params",
                                  placeholder="All agencies")
        levels = st.multiselect("Recommendation level", list(LEVEL_LABELS), format_func=LEVEL_LABELS.get,
                                key="level", bind="query-params", placeholder="Both levels")
        themes = st.multiselect("Theme", choices["theme"], format_func=charts.theme_label, key="theme",
                                bind="query-params", placeholder="All themes")
        st.caption("The address bar keeps these choices: copy it to share this exact view.")
    filters = Filters(
        as_of=as_of or dt.date.today(),
        partnerships=tuple(partnerships), year_from=year_from, year_to=year_to,
        agencies=tuple(agencies), agency_types=tuple(agency_types), levels=tuple(levels), themes=tuple(themes),
    )
    st.session_state[STATE_KEY] = filters
    return filters


def current() -> Filters:
    """The filters chosen in the sidebar on this run."""
    return st.session_state.get(STATE_KEY) or Filters()


def describe(filters: Filters) -> str:
    """The filters in one plain sentence, for captions and exports."""
    parts = [f"as of {filters.as_of:%d %B %Y}"]
    if filters.partnerships:
        parts.append("partnership: " + ", ".join(filters.partnerships))
    if filters.year_from is not None:
        parts.append(f"case years {filters.year_from}-{filters.year_to}")
    for label, values in (("agency type", filters.agency_types), ("agency", filters.agencies),
                          ("level", [LEVEL_LABELS.get(v, v) for v in filters.levels]), ("theme", filters.themes)):
        if values:
            parts.append(f"{label}: " + ", ".join(values))
    return "; ".join(parts)
