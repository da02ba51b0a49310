"""Import: upload action plans, check what was read, correct it, commit."""
import pandas as pd
import streamlit as st

from dhrlearn import config, importers, review
from dhrlearn.themes import regroup_recurring
from ui import components as ui
from ui import data

ui.page_header("Import", "Upload action plans (Word, PDF, Excel, CSV or text). Check what was found, correct it, "
               "then commit. Nothing is stored until you commit, and re-importing the same file changes nothing.")
TEMPLATES = config.DATA_DIR / "templates"
LIMIT_MB = config.MAX_FILE_BYTES // (1024 * 1024)
PREVIEWS = "import_previews"
RESULTS = "import_results"

with st.expander("Blank template", icon=":material/download:"):
    st.markdown("The Home Office seven-column action-plan template with the case lines above it. "
                "Fill in one per case.")
    row = st.container(horizontal=True)
    for path in sorted(TEMPLATES.glob("action_plan_template.*")):
        row.download_button(f"Template ({path.suffix[1:].upper()})", path.read_bytes(), path.name,
                            key=f"template_{path.suffix}", on_click="ignore")

# Any file is accepted here so that each one the importers cannot read gets its own message
# saying why (an old .doc, an empty file...). A new key after each commit empties the uploader.
uploads = st.file_uploader(
    f"Action-plan files ({importers.SUPPORTED})", accept_multiple_files=True,
    key=f"uploads_{st.session_state.get('upload_round', 0)}", max_upload_size=LIMIT_MB,
    help=f"Up to {LIMIT_MB} MB a file. Old Word .doc files: save them as .docx first.")
with st.expander("What the files may not say (applies to every file uploaded)"):
    left, middle, right = st.columns(3)
    partnership = left.text_input("Partnership (CSP)", key="import_partnership")
    reference = middle.text_input("Case reference", key="import_reference",
                                  help="Only when the file holds one case and does not name it")
    as_of = right.date_input("Plan updated on", value=None, format="DD/MM/YYYY", key="import_as_of")
overrides = review.Overrides(partnership=partnership.strip() or None, case_reference=reference.strip() or None,
                             as_of_date=as_of)


def _previews(files) -> list[review.FilePreview]:
    """Parse each uploaded file once per upload (and per change of the overrides)."""
    key = (tuple((f.file_id, f.name) for f in files), overrides)
    cached = st.session_state.get(PREVIEWS)
    if cached is None or cached[0] != key:
        with st.spinner(f"Reading {len(files)} file(s)…"):
            found = review.preview_files([(f.name, f.getvalue()) for f in files], overrides, data.connection())
        st.session_state[PREVIEWS] = cached = (key, found)
    return cached[1]


EDITOR_CONFIG = {
    "key": None,  # hidden; kept so corrections find their row
    "case": st.column_config.TextColumn("Case"),
    "number": st.column_config.TextColumn("Rec."),
    "action": st.column_config.TextColumn("Action"),
    "source": st.column_config.TextColumn("Source (file, place, rows)"),
    # ✎ marks the columns a person may correct (review.EDITABLE).
    "level": st.column_config.SelectboxColumn("✎ Level", options=["overview", "single_agency"]),
    "lead_agency_raw": st.column_config.TextColumn("✎ Lead agency (as written)"),
    "target_date_raw": st.column_config.TextColumn("✎ Target (as written)"),
    "status_raw": st.column_config.TextColumn("✎ Status (as written)"),
    "lead_agency": st.column_config.TextColumn("Read as agency"),
    "target_date": st.column_config.DateColumn("Read as date", format="DD/MM/YYYY"),
    "status": st.column_config.TextColumn("Read as status"),
    "confidence": st.column_config.ProgressColumn("Confidence", min_value=0.0, max_value=1.0, format="percent"),
    "recommendation": st.column_config.TextColumn("Recommendation", width="large"),
}


def _show_preview(index: int, preview: review.FilePreview) -> pd.DataFrame | None:
    """One file's findings; returns its (possibly corrected) actions table, or None when it cannot be committed."""
    summary = preview.summary()
    with st.container(border=True):
        st.markdown(f"#### {preview.name}")
        if not preview.ok:
            st.error(f"**Cannot import this file.** {preview.error}", icon=":material/error:")
            return None
        if preview.duplicate_of:
            st.info(f"This file was {preview.duplicate_of}.", icon=":material/content_copy:")
            return None
        st.markdown(f"Found **{summary['cases']}** case(s), **{summary['recommendations']}** recommendations, "
                    f"**{summary['actions']}** actions; **{summary['warnings']}** thing(s) to look at.")
        warnings = preview.warnings_frame()
        if len(warnings):
            st.dataframe(warnings, hide_index=True)
        actions = preview.actions_frame()
        st.caption("Correct the columns marked ✎ (level, lead agency, target, status as written); the rest is "
                   "read again from them when you commit. Low confidence rows first.")
        actions = actions.sort_values("confidence", kind="stable")
        disabled = [c for c in actions.columns if c not in review.EDITABLE]
        return st.data_editor(actions, hide_index=True, disabled=disabled, column_config=EDITOR_CONFIG,
                              key=f"editor_{index}_{preview.sha256[:12]}")


if uploads:
    previews = _previews(uploads)
    edited = {i: _show_preview(i, p) for i, p in enumerate(previews)}
    ready = [i for i, table in edited.items() if table is not None]
    if ready and st.button(f"Commit {len(ready)} file(s)", type="primary", icon=":material/save:", key="commit"):
        results = []
        with st.status("Storing…", expanded=False) as progress:
            for i in ready:
                preview = review.apply_corrections(previews[i], edited[i])
                with data.connection().cursor() as cursor:
                    results.append(review.commit(cursor, preview))
            if any(r.outcome == "imported" for r in results):
                progress.update(label="Finding recommendations that recur across cases…")
                with data.connection().cursor() as cursor:
                    regroup_recurring(cursor)
            progress.update(label="Done.", state="complete")
        data.changed()
        st.session_state[RESULTS] = results
        st.session_state.pop(PREVIEWS, None)
        st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
        st.rerun()

for result in st.session_state.pop(RESULTS, []):
    show = {"imported": st.success, "duplicate": st.info}.get(result.outcome, st.error)
    show(result.message)

st.subheader("Import history")
history = data.query("import_history")
if history.empty:
    st.caption("Nothing has been imported yet.")
else:
    st.dataframe(history[["attempted_at", "file_name", "outcome", "message", "reference", "partnership",
                          "as_of_date"]], hide_index=True, column_config={
        "attempted_at": st.column_config.DatetimeColumn("When", format="DD/MM/YYYY HH:mm"),
        "file_name": "File", "outcome": "Outcome", "message": "Message", "reference": "Case",
        "partnership": "Partnership",
        "as_of_date": st.column_config.DateColumn("Plan updated", format="DD/MM/YYYY"),
    })
