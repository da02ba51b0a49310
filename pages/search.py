"""Search: every recommendation, action and update, with the words found marked."""
import pandas as pd
import streamlit as st

from ui import components as ui
from ui import data, filters

ui.page_header("Search", "Full-text search over recommendations, actions and updates, within the sidebar filters.")
selected = filters.current()
FIELD_LABELS = {"recommendation": "Recommendation", "action": "Action", "update": "Update"}
PAGE_SIZE = 50

query = st.text_input("Search for", key="q", bind="query-params", placeholder="e.g. non-fatal strangulation, Clare's Law",
                      help="Every word must appear; the exact phrase ranks first. The address bar keeps the search.")
if not query.strip():
    st.info("Type words to search for, for example “non-fatal strangulation” or “Clare's Law”.",
            icon=":material/search:")
    st.stop()

fields = st.pills("Look in", list(FIELD_LABELS), format_func=FIELD_LABELS.get, selection_mode="multi",
                  default=list(FIELD_LABELS), key="search_fields")
search = {"q": query.strip(), "fields": list(fields or FIELD_LABELS)}
# Only the best passages are fetched for the page; the downloads fetch every one when clicked.
hits = data.query("search", selected, **search, limit=PAGE_SIZE)
total, cases = (int(hits["total_rows"].iloc[0]), int(hits["total_cases"].iloc[0])) if len(hits) else (0, 0)
st.markdown(f"**{total:,} passages** in {cases:,} cases match “{query.strip()}”.")
words = query.split()
for hit in hits.itertuples():
    where = f"Recommendation {hit.recommendation_number}"
    if pd.notna(hit.action_seq):
        where += f", action {int(hit.action_seq)}"
    with st.container(border=True):
        st.markdown(f"**{ui.html_text(hit.reference)}** · {ui.html_text(hit.partnership)} · {where} · "
                    f"{FIELD_LABELS.get(hit.field, hit.field)}", unsafe_allow_html=True)
        ui.evidence(hit.snippet, [query.strip(), *words])
        st.caption(f"Source: {hit.src_file}")
if total > len(hits):
    st.caption(f"The best {len(hits)} of {total:,}; add words or narrow the filters to see others. "
               "The downloads have them all.")


def download_table(every: pd.DataFrame) -> pd.DataFrame:
    table = every[["reference", "partnership", "year", "recommendation_number", "action_seq", "field", "snippet",
                   "src_file"]].copy()
    # Update logs name staff (personal data): the download says where an update matched, not what it says.
    table.loc[table["field"] == "update", "snippet"] = "(update text left out: it may name staff)"
    return table


if total:
    ui.table_downloads(lambda: download_table(data.query("search", selected, **search, limit=None)),
                       "search_results", "search")
    st.caption("The downloads leave out the text of matching updates, which may name staff.")
