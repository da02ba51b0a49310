"""Data quality: what needs a person's look, and where it came from."""
import streamlit as st

from dhrlearn.config import ReferenceFileError
from dhrlearn.normalise.agencies import AgencyDirectory, reload_default_directory
from dhrlearn.store.aliases import apply_alias
from ui import components as ui
from ui import data, filters

ui.page_header("Data quality", "What the importer could not read for certain: fix these and every figure gets better.")
selected = filters.current()

if data.rules_changed():
    with st.container(border=True):
        st.warning("The theme rules (`data/reference/themes.csv`, `theme_model.npz`, `uptake_phrases.csv`) have "
                   "changed since these plans were tagged, so theme, toxic trio and training-uptake figures follow "
                   "the old rules. Re-tag to bring them up to date.", icon=":material/sync_problem:")
        if st.button("Re-tag every plan now", type="primary", key="retag",
                     help="Theme matches, uptake evidence and recurring groups are rebuilt in one go; "
                          "about 25 seconds for 10,000 cases. Nothing else changes."):
            try:
                with st.spinner("Re-tagging every stored plan ..."):
                    counts = data.retag()
            except ReferenceFileError as exc:  # named, with how to mend it; the tags are swapped in only at the end
                st.error(f"**Not re-tagged; nothing was changed.** {exc}", icon=":material/error:")
            else:
                st.toast(f"Re-tagged: {counts['theme_match']:,} theme matches, "
                         f"{counts['uptake_evidence']:,} uptake passages.")
                st.rerun()

no_target = data.query("no_target_date", selected)
unknown = data.query("unknown_agencies", selected)
statuses = data.query("unparsed_statuses", selected)
unplaced = data.query("unplaced_text", selected)
duplicates = data.query("possible_duplicate_cases")
warnings = data.query("warnings_list", selected)

ui.kpi_row([
    ("Actions without a target date", f"{len(no_target):,}", "Never counted as overdue until they have one"),
    ("Unknown agency names", f"{len(unknown):,}", "Names not matched to an agency"),
    ("Unread statuses", f"{int(statuses['actions'].sum()) if len(statuses) else 0:,}",
     "Actions whose status could not be read"),
    ("Unplaced text", f"{len(unplaced):,}", "Text kept on its recommendation for a person to place"),
    ("Possible duplicate cases", f"{len(duplicates):,}", "Pairs of cases that may be the same review"),
    ("Import warnings", f"{len(warnings):,}", "Warnings recorded when the files were imported"),
])

agencies_tab, dates_tab, status_tab, unplaced_tab, duplicates_tab, warnings_tab = st.tabs(
    ["Unknown agencies", "No target date", "Unread statuses", "Unplaced text", "Possible duplicates", "Import warnings"])

with agencies_tab:
    if unknown.empty:
        st.success("Every agency name was recognised.", icon=":material/check_circle:")
    else:
        st.dataframe(unknown, hide_index=True)
        directory = AgencyDirectory.load()
        with st.form("map_alias", clear_on_submit=True):
            st.markdown("**Map a name to an agency.** The name is remembered for future imports "
                        "(in `data/reference/agency_aliases_local.csv`) and applied to what is stored now.")
            alias = st.selectbox("Name as written", unknown["agency_raw"].tolist(), key="alias_name")
            canonical = st.selectbox("Is this agency", directory.canonical_names(), index=None,
                                     placeholder="Choose an agency", key="alias_agency")
            new_name = st.text_input("…or a new agency not in the list", key="alias_new_name")
            new_type = st.selectbox("New agency's type", directory.types(), index=None, key="alias_new_type")
            if st.form_submit_button("Map this name", type="primary"):
                target = new_name.strip() or canonical
                if not target:
                    st.error("Choose an agency from the list, or type a new agency's name and choose its type.")
                elif new_name.strip() and not new_type:
                    st.error(f"Choose the type of the new agency '{new_name.strip()}'.")
                else:
                    try:
                        directory.add_alias(alias, target, new_type if new_name.strip() else None)
                    except ValueError as exc:
                        st.error(str(exc))
                    else:
                        changed = apply_alias(data.connection(), alias, directory)
                        reload_default_directory()
                        data.changed()
                        st.toast(f"'{alias}' is now read as {target}; {changed} stored mention(s) updated.")
                        st.rerun()

with dates_tab:
    st.caption("Actions whose target date is missing or could not be read: what the plan said is in "
               "'target_date_raw'.")
    st.dataframe(no_target.drop(columns=["case_id", "recommendation_id", "action_id"]), hide_index=True)
    if len(no_target):
        ui.table_downloads(no_target, "actions_without_target_dates", "no_target")

with status_tab:
    st.caption("Status words the importer could not read; add them to `data/reference/status_words.csv` and "
               "re-import, or correct them on the Import page.")
    st.dataframe(statuses, hide_index=True)

with unplaced_tab:
    st.dataframe(unplaced.drop(columns=["case_id", "recommendation_id", "recommendation_sort_key"]), hide_index=True)

with duplicates_tab:
    st.dataframe(duplicates, hide_index=True)

with warnings_tab:
    st.dataframe(warnings.drop(columns=["warning_id", "plan_version_id", "case_id"]), hide_index=True)
