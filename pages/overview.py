"""Overview: the headline in one screen for the board."""
import pandas as pd
import streamlit as st

from dhrlearn import charts
from ui import components as ui
from ui import data, filters

CASES_CHARTED = 30

ui.page_header("Overview", "How many actions, what share complete, how many overdue, and which case is furthest behind.")
selected = filters.current()
kpis = data.query("kpis", selected).iloc[0]


def _count(value) -> str:
    return "0" if pd.isna(value) else f"{int(value):,}"


oldest = kpis["oldest_overdue_days"]
ui.kpi_row([
    ("Cases", _count(kpis["cases"]), "Reviews with an action plan in force on the as-of date"),
    ("Recommendations", _count(kpis["recommendations"]), "Recommendations in those plans"),
    ("Actions", _count(kpis["actions"]), "Actions agreed to deliver the recommendations"),
    ("Complete", ui.percent(kpis["pct_actions_complete"]), "Share of actions whose status is complete"),
    ("Overdue", _count(kpis["overdue"]), "Target date passed, not complete or closed"),
    ("Oldest overdue", "–" if pd.isna(oldest) else f"{int(oldest):,} days",
     "Days since the target date of the longest-overdue action"),
])
if not kpis["actions"]:
    ui.empty()
    st.stop()

by_case = data.query("completion_by_case", selected)
behind = by_case.sort_values(["pct_actions_complete", "overdue"], ascending=[True, False]).iloc[0]
st.markdown(
    f"**Furthest behind:** {behind['reference']} ({behind['partnership']}), "
    f"{ui.percent(behind['pct_actions_complete'])} of {int(behind['actions'])} actions complete, "
    f"{int(behind['overdue'])} overdue."
)

left, right = st.columns(2)
with left:
    statuses = data.query("status_counts", selected)
    ui.chart(charts.status_breakdown(statuses), statuses[["status", "actions", "pct_actions"]], "status_breakdown")
with right:
    by_year = data.query("completion_by_year", selected)
    ui.chart(charts.trend_over_time(by_year), by_year, "trend_over_time")

# Beyond a few dozen bars the chart is unreadable (and slow to draw): show the cases furthest behind.
worst = by_case.sort_values(["pct_actions_complete", "overdue"], ascending=[True, False]).head(CASES_CHARTED)
ui.chart(charts.completion_by_case(worst), by_case.drop(columns=["case_id"]), "completion_by_case",
         note=f"The {CASES_CHARTED} cases furthest behind, of {len(by_case):,}; every case is in the table."
         if len(by_case) > CASES_CHARTED else None)
