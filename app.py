"""The dashboard: `streamlit run app.py`. A router: page frame, shared filters, navigation."""
from __future__ import annotations

import streamlit as st

from dhrlearn.store.db import DatabaseBusy
from ui import data, filters

st.set_page_config(page_title="DHR action plans", page_icon=":material/assignment:", layout="wide")

PAGES = {
    "Oversight": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/agencies.py", title="Agencies", icon=":material/apartment:"),
        st.Page("pages/cases.py", title="Cases", icon=":material/folder_open:"),
    ],
    "Learning": [
        st.Page("pages/themes.py", title="Themes", icon=":material/category:"),
        st.Page("pages/search.py", title="Search", icon=":material/search:"),
        st.Page("pages/reports.py", title="Reports", icon=":material/description:"),
    ],
    "Data": [
        st.Page("pages/import.py", title="Import", icon=":material/upload_file:", url_path="import"),
        st.Page("pages/data_quality.py", title="Data quality", icon=":material/rule:"),
    ],
}

page = st.navigation(PAGES)
try:
    data.connection()
except DatabaseBusy as exc:
    st.error(str(exc))
    st.stop()
filters.sidebar()
page.run()
