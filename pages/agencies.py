"""Agencies: who is behind, by how long, and the overdue list to send to each agency lead."""
import pandas as pd
import streamlit as st

from dhrlearn import charts
from dhrlearn.export.tables import drop_personal
from ui import components as ui
from ui import data, filters

ui.page_header("Agencies", "Overdue actions by agency, oldest first: the list an oversight meeting chases agencies with.")
selected = filters.current()
kpis = data.query("kpis", selected).iloc[0]
by_agency = data.query("overdue_by_agency", selected)

oldest = kpis["oldest_overdue_days"]
ui.kpi_row([
    ("Overdue actions", f"{int(kpis['overdue'] or 0):,}", "Target date passed, not complete or closed"),
    ("Agencies with overdue actions", f"{len(by_agency):,}", "Agencies leading or owning at least one overdue action"),
    ("Oldest overdue", "–" if pd.isna(oldest) else f"{int(oldest):,} days",
     "Days since the target date of the longest-overdue action"),
])
if not kpis["actions"]:
    ui.empty()
    st.stop()

AGENCY_COLUMNS = ["agency", "agency_type", "agency_known"]
# Who, how late and what first: the columns an agency lead is chased with; the rest after them.
OVERDUE_COLUMNS = {
    "reference": "Case", "partnership": "Partnership", "agencies": "Agencies", "days_overdue": "Days overdue",
    "target_date": "Target date", "action_text": "Action", "recommendation_number": "Rec.",
    "recommendation_text": "Recommendation", "ageing_bucket": "Overdue for", "target_date_raw": "Target (as written)",
    "status_raw": "Status (as written)", "src_file": "File", "src_location": "Place in file", "src_rows": "Rows",
}


def show_by_agency() -> None:
    ui.chart(charts.overdue_by_agency(by_agency),
             by_agency[AGENCY_COLUMNS + ["overdue", "days_0_90", "days_91_180", "days_181_365", "over_a_year",
                                         "oldest_days", "oldest_target_date"]],
             "overdue_by_agency", note="An action shared by two agencies counts once for each of them.")
    completion = data.query("completion_by_agency", selected)
    ui.chart(charts.completion_by_agency(completion),
             completion[AGENCY_COLUMNS + ["actions", "actions_complete", "pct_actions_complete", "overdue"]],
             "completion_by_agency")


def overdue_table(overdue: pd.DataFrame) -> pd.DataFrame:
    """The columns an agency lead is chased with, staff names left out."""
    return drop_personal(overdue)[list(OVERDUE_COLUMNS)].rename(columns=OVERDUE_COLUMNS)


def show_overdue_list() -> None:
    # The page reads only the rows it shows; the totals come with them, the downloads fetch every row.
    overdue = data.query("overdue_actions", selected, limit=ui.TABLE_ROWS)
    if overdue.empty:
        st.success("No action is overdue for these filters.", icon=":material/check_circle:")
        return
    total = int(overdue["total_rows"].iloc[0])
    ageing = charts.ageing_counts(overdue)
    left, _ = st.columns([3, 2])
    with left:
        ui.chart(charts.overdue_ageing(overdue),
                 ageing[ageing > 0].rename_axis("ageing_bucket").reset_index(name="overdue"), "overdue_ageing")
    st.subheader("Overdue actions, oldest first")
    shown = overdue_table(overdue)
    st.dataframe(shown, hide_index=True, column_config={
        "Target date": st.column_config.DateColumn(format="DD/MM/YYYY"),
        "Action": st.column_config.TextColumn(width="large"),
        "Recommendation": st.column_config.TextColumn(width="medium"),
    })
    if total > len(shown):
        st.caption(f"The {len(shown):,} oldest of {total:,} overdue actions; the downloads have them all, "
                   "or narrow the filters (an agency, a partnership) to see others.")
    st.caption("Staff names are left out of this list and its downloads.")
    ui.table_downloads(lambda: overdue_table(data.query("overdue_actions", selected, limit=None)),
                       f"overdue_actions_{selected.as_of:%Y-%m-%d}", "overdue", sheet="Overdue actions")


# Only the open tab runs (its name is in the address bar, ?tab=...): the overdue list is the
# heaviest query of the page, and the charts are what a meeting looks at first.
TABS = {"By agency": show_by_agency, "Overdue list": show_overdue_list}
for tab, show in zip(st.tabs(list(TABS), key="tab", bind="query-params"), TABS.values()):
    if tab.open:
        with tab:
            show()
