"""The page frame every page runs inside: page settings, navigation, the connection check and
the shared sidebar filters. app.py calls `run()`."""
from __future__ import annotations

import streamlit as st

from dhrlearn.store.db import DatabaseBusy
from ui import data, filters


def pages() -> dict[str, list]:
    return {
        "Oversight": [
            st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
            st.Page("pages/agencies.py", title="Agencies", icon=":material/apartment:"),
            st.Page("pages/since_last_meeting.py", title="Since last meeting", icon=":material/update:",
                    url_path="since_last_meeting"),
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


def run() -> None:
    st.set_page_config(page_title="DHR action plans", page_icon=":material/assignment:", layout="wide")
    page = st.navigation(pages())
    try:
        data.connection()
    except DatabaseBusy as exc:
        st.error(str(exc))
        st.stop()
    filters.sidebar()
    page.run()


def ensure() -> None:
    """Run the page inside the frame when Streamlit ran it on its own.

    With a pages/ folder beside app.py, Streamlit runs a pages/ file directly, the legacy way,
    when a session's first visit is a deep link (/agencies?...) and in every AppTest run. Then
    leave legacy mode and run the frame here: it draws navigation and filters and runs this same
    page inside them; the direct run stops once that is done. (A rerun would lose a button click.)
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        run()
        st.stop()
