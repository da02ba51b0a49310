"""Reports: the annual-report pack (DOCX to edit, PDF to publish) for a period and partnership."""
import datetime as dt

import streamlit as st

from dhrlearn.export import tables
from ui import components as ui
from ui import data, filters

ui.page_header("Reports", "The annual-report pack: charts, tables and a summary for a period, in Word (to edit) "
               "and PDF (to publish). The same pack runs from the command line: `python -m dhrlearn report`.")
selected = filters.current()

try:
    from dhrlearn.export import report
except ImportError:
    st.info("The report pack is not installed in this copy of the product.")
    st.stop()


def _financial_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last complete UK financial year (1 April - 31 March)."""
    end_year = today.year if today >= dt.date(today.year, 4, 1) else today.year - 1
    return dt.date(end_year - 1, 4, 1), dt.date(end_year, 3, 31)


start, end = _financial_year(selected.as_of)
with st.form("report_options"):
    left, right = st.columns(2)
    date_from = left.date_input("Period from", value=start, format="DD/MM/YYYY")
    date_to = right.date_input("Period to (figures as at this date)", value=end, format="DD/MM/YYYY")
    st.caption("Partnerships and themes come from the sidebar filters: "
               + (", ".join(selected.partnerships) or "all partnerships") + "; "
               + (", ".join(selected.themes) or "all themes") + ".")
    with_names = st.checkbox("Keep staff names (not for publication)", value=False,
                             help="Staff names are personal data and are left out by default.")
    build = st.form_submit_button("Build the report pack", type="primary", icon=":material/build:")

if build:
    try:
        options = report.ReportOptions(date_from=date_from, date_to=date_to, partnerships=selected.partnerships,
                                       themes=selected.themes, with_names=with_names)
    except ValueError as exc:
        st.error(f"Check the period: {exc}.")
        st.stop()
    with st.status("Building the report pack…", expanded=True) as progress:
        st.write("Running the queries and drawing the charts (about half a minute)…")
        packs = report.build_reports(data.connection(), options)
        st.write("Collecting the data tables…")
        packs["xlsx"] = tables.to_xlsx_bytes(report.report_tables(data.connection(), options))
        progress.update(label="The report pack is ready.", state="complete")
    st.session_state["report_pack"] = (options, packs)

if "report_pack" in st.session_state:
    options, packs = st.session_state["report_pack"]
    name = f"dhr_report_{options.date_from:%Y%m%d}_{options.date_to:%Y%m%d}"
    row = st.container(horizontal=True)
    row.download_button("Word (DOCX)", packs["docx"], f"{name}.docx", key="report_docx", on_click="ignore",
                        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        icon=":material/description:")
    row.download_button("PDF", packs["pdf"], f"{name}.pdf", key="report_pdf", on_click="ignore",
                        mime="application/pdf", icon=":material/picture_as_pdf:")
    row.download_button("Tables (XLSX)", packs["xlsx"], f"{name}_tables.xlsx", key="report_xlsx", on_click="ignore",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        icon=":material/table:")
    if options.with_names:
        st.warning("This pack keeps staff names: do not publish it.")
