"""Cases: one case's action plan, its versions and what changed, and where every row came from."""
import pandas as pd
import streamlit as st

from ui import components as ui
from ui import data, filters

ui.page_header("Cases", "Choose a case to see its action plan with statuses, the changes between its plan versions, "
               "and the file, page and row each line came from.")
selected = filters.current()
cases = data.query("cases_list", selected)
if cases.empty:
    ui.empty("No case has a plan in force for these filters.")
    st.stop()

labels = dict(zip(cases["reference"] + " · " + cases["partnership"], cases["case_id"]))
label = st.selectbox("Case", list(labels), key="case", bind="query-params",
                     help="The case's plan as it stood on the as-of date. The address bar keeps the case chosen.")
case = cases[cases["case_id"] == labels[label]].iloc[0]
case_id = int(case["case_id"])

ui.kpi_row([
    ("Actions", f"{int(case['actions']):,}", f"In {int(case['recommendations'])} recommendations"),
    ("Complete", ui.percent(case["pct_actions_complete"]),
     f"{int(case['actions_complete'])} of {int(case['actions'])} actions"),
    ("Overdue", f"{int(case['overdue']):,}",
     f"Oldest {int(case['oldest_overdue_days'])} days" if pd.notna(case["oldest_overdue_days"]) else "None overdue"),
])
st.caption(f"Plan version of {case['version_date']:%d/%m/%Y} from {case['source_file']}; "
           f"{int(case['versions'])} version(s) stored." + (" Demo case." if case["is_demo"] else ""))

plan_tab, changes_tab, versions_tab = st.tabs(["Action plan", "Changes between versions", "Versions"])

with plan_tab:
    plan = data.query("case_plan", case_id=case_id, as_of=selected.as_of)
    show_updates = st.toggle("Show update text", value=False,
                             help="Update logs often name staff (personal data); show them only when needed.")
    # What a meeting reads first (action, status, overdue, target) on the left; the rest after it.
    table = pd.DataFrame({
        "Rec.": plan["recommendation_number"],
        "Action": plan["action_seq"].astype("Int64"),
        "Action text": plan["action_text"],
        "Status": plan["status"].map(ui.status_text),
        "Overdue": plan["is_overdue"].map({True: "Overdue", False: ""}),
        "Target date": plan["target_date"],
        "Agencies": plan["agencies"],
        "Recommendation": plan["recommendation_text"],
        "Level": plan["level"].map({"overview": "Overview", "single_agency": "Single agency"}),
        "Target (as written)": plan["target_date_raw"],
        "Status (as written)": plan["status_raw"],
        "Themes": plan["themes"],
        "Source": [ui.source_text(*r) for r in plan[["src_file", "src_location", "src_rows"]].itertuples(index=False)],
    })
    if show_updates:
        table.insert(table.columns.get_loc("Status (as written)") + 1, "Update", plan["update_text"])
    st.dataframe(table, hide_index=True, column_config={
        "Target date": st.column_config.DateColumn(format="DD/MM/YYYY"),
        "Action text": st.column_config.TextColumn(width="large"),
        "Recommendation": st.column_config.TextColumn(width="medium"),
    })
    unplaced = plan["unplaced_text"].dropna().unique()
    if len(unplaced):
        with st.expander(f"Text the importer could not place ({len(unplaced)})"):
            for text in unplaced:
                st.text(text)
    ui.table_downloads(table, f"action_plan_{case['reference']}", f"plan_{case_id}", sheet="Action plan")

versions = data.query("case_versions", case_id=case_id, as_of=selected.as_of)
with versions_tab:
    st.dataframe(versions[["version_date", "in_force", "source_file", "format", "imported_at", "recommendations",
                           "actions", "actions_complete", "warnings"]], hide_index=True)

with changes_tab:
    if len(versions) < 2:
        st.info("This case has one plan version; import a later version of its plan to see what changed.")
    else:
        names = dict(zip(versions["plan_version_id"],
                         versions["version_date"].map(lambda d: f"{d:%d/%m/%Y}") + " · " + versions["source_file"]))
        ids = list(names)
        left, right = st.columns(2)
        before = left.selectbox("From version", ids, index=1, format_func=names.get, key="from_version")
        after = right.selectbox("To version", ids, index=0, format_func=names.get, key="to_version")
        changes = data.query("progress_between_versions", selected, from_version=int(before),
                             to_version=int(after))
        changes = changes[changes["case_id"] == case_id]
        if changes.empty:
            st.success("Nothing that matters changed between these versions.")
        else:
            counts = changes["change"].value_counts()
            ui.kpi_row([(c.capitalize(), int(counts.get(c, 0)), "") for c in ("completed", "slipped", "new", "removed", "reopened")],
                       per_row=5)
            st.dataframe(pd.DataFrame({
                "Change": changes["change"], "Why": changes["slip_reasons"].fillna(""),
                "Rec.": changes["recommendation_number"],
                "Action": changes["action_seq"], "Action text": changes["action_text"],
                "Status before": changes["before_status"].map(ui.status_text),
                "Status after": changes["after_status"].map(ui.status_text),
                "Target before": changes["before_target_date"], "Target after": changes["after_target_date"],
                "Source": [ui.source_text(*r) for r in
                           changes[["src_file", "src_location", "src_rows"]].itertuples(index=False)],
            }), hide_index=True, column_config={
                "Target before": st.column_config.DateColumn(format="DD/MM/YYYY"),
                "Target after": st.column_config.DateColumn(format="DD/MM/YYYY"),
                "Why": st.column_config.TextColumn(width="medium"),
                "Action text": st.column_config.TextColumn(width="large")})
