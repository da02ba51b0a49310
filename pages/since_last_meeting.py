"""Since the last meeting: what completed, what slipped and what is new between two dates."""
import datetime as dt

import pandas as pd
import streamlit as st

from dhrlearn.export import tables
from dhrlearn.export.tables import drop_personal
from ui import components as ui
from ui import data, filters

ui.page_header("Since last meeting", "What completed, what slipped and what is new between two dates, comparing "
               "each case's plan in force on the first date with its plan in force on the second. The dates "
               "start as the quarter up to the sidebar's as-of date.")
selected = filters.current()

# The dates are in the address bar (?from=...&to=...) so the link in the meeting papers opens this view.
# By default they follow the sidebar's as-of date: the quarter up to it.
default_to = selected.as_of
default_from = (pd.Timestamp(default_to) - pd.DateOffset(months=3)).date()
if st.session_state.get("_since_as_of", default_to) != default_to:
    # The as-of date changed on this page: move both dates with it.
    st.session_state["from"], st.session_state["to"] = default_from, default_to
st.session_state["_since_as_of"] = default_to

left, right, _ = st.columns([1, 1, 2])
date_from = left.date_input("Last meeting (from)", value=default_from, key="from", bind="query-params",
                            format="DD/MM/YYYY", help="Plans as they stood on this date…")
date_to = right.date_input("This meeting (to)", value=default_to, key="to", bind="query-params",
                           format="DD/MM/YYYY", help="…compared with plans as they stood on this date.")
if not date_from or not date_to or date_from >= date_to:
    st.error("Choose a 'from' date before the 'to' date.", icon=":material/event_busy:")
    st.stop()

# Each kind of change comes with its first TABLE_ROWS rows and its count (change_total); the
# downloads fetch every row, only when clicked.
changes = data.query("progress_between", selected, date_from=date_from, date_to=date_to, limit=ui.TABLE_ROWS)
counts = changes.groupby("change")["change_total"].first()


def every_change() -> pd.DataFrame:
    return data.query("progress_between", selected, date_from=date_from, date_to=date_to, limit=None)


LISTS = {
    "completed": ("Completed", "Actions complete on the 'to' date that were not on the 'from' date"),
    "slipped": ("Slipped", "Not complete, and now off track, or their target date passed or moved later"),
    "new": ("New", "Actions in a plan on the 'to' date that were not in its plan on the 'from' date"),
}
ui.kpi_row([(title, f"{int(counts.get(change, 0)):,}", help_text) for change, (title, help_text) in LISTS.items()])
others = [f"{int(counts[c])} {c}" for c in ("reopened", "removed") if counts.get(c)]
st.caption(f"Between {date_from:%d %B %Y} and {date_to:%d %B %Y}."
           + (f" Also {' and '.join(others)} (in the downloads)." if others else ""))

COLUMNS = {
    "change": "Change", "slip_reasons": "Why", "reference": "Case", "partnership": "Partnership",
    "recommendation_number": "Rec.", "action_seq": "Action", "action_text": "Action text",
    "before_status": "Status before", "after_status": "Status after",
    "before_target_date": "Target before", "after_target_date": "Target after",
    "recommendation_text": "Recommendation",
    "src_file": "File", "src_location": "Place in file", "src_rows": "Rows",
}


def _table(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows a person reads, with plain column names; update logs (which name staff) left out."""
    table = drop_personal(rows)[list(COLUMNS)].rename(columns=COLUMNS)
    table["Action"] = table["Action"].astype("Int64")
    for column in ("Status before", "Status after"):
        table[column] = table[column].map(ui.status_text)
    return table


def _lists(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {title: _table(rows[rows["change"] == change]) for change, (title, _) in LISTS.items()}


lists = _lists(changes)
DATE_COLUMNS = {c: st.column_config.DateColumn(format="DD/MM/YYYY") for c in ("Target before", "Target after")}
totals = [int(counts.get(change, 0)) for change in LISTS]
labels = [f"{t} ({n:,})" for t, n in zip(lists, totals)]
opened = next((label for label, n in zip(labels, totals) if n), labels[0])  # first with rows
for tab, (title, table), total in zip(st.tabs(labels, default=opened), lists.items(), totals):
    with tab:
        if table.empty:
            st.info(f"No action {title.lower()} between these dates for these filters.")
            continue
        shown = table if title == "Slipped" else table.drop(columns=["Why"])
        if total > len(shown):
            st.caption(f"The first {len(shown):,} of {total:,}; the downloads have them all.")
        st.dataframe(shown.drop(columns=["Change"]), hide_index=True, column_config={
            **DATE_COLUMNS, "Action text": st.column_config.TextColumn(width="large"),
            "Recommendation": st.column_config.TextColumn(width="medium")})

st.caption("Each action is compared with the same action in the earlier plan, followed through every update in "
           "between: in each update, the one of its recommendation with the same wording, else the one in the same "
           "place among those left. Staff names and update logs are left out of these lists and their downloads.")
name = f"since_{date_from:%Y-%m-%d}_to_{date_to:%Y-%m-%d}"


def xlsx_bytes() -> bytes:
    everything = every_change()
    return tables.to_xlsx_bytes({**_lists(everything), "All changes": _table(everything)})


row = st.container(horizontal=True)
row.download_button("Download XLSX", data=xlsx_bytes,
                    file_name=f"{name}.xlsx", key="xlsx_since", on_click="ignore", icon=":material/download:",
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    help="One sheet for each list, and one with every change")
row.download_button("Download CSV", data=lambda: tables.to_csv_bytes(_table(every_change())),
                    file_name=f"{name}.csv", key="csv_since", on_click="ignore", icon=":material/download:",
                    mime="text/csv", help="Every change in one table, its kind in the first column")
