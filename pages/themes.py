"""Themes: thematic learning across cases, with the text behind every figure."""
import pandas as pd
import streamlit as st

from dhrlearn import charts
from dhrlearn.themes import tagging_accuracy
from ui import components as ui
from ui import data, filters

ui.page_header("Themes", "Which themes recur across cases and years, the toxic trio, training uptake, and the text "
               "evidence behind each figure.")
selected = filters.current()
if data.rules_changed():
    st.warning("The theme rules have changed since these plans were tagged: the figures below follow the old "
               "rules until the plans are re-tagged on the Data quality page.", icon=":material/sync_problem:")
prevalence = data.query("theme_prevalence", selected)
if prevalence.empty:
    ui.empty("No themes were found in the plans chosen. Widen the filters in the sidebar.")
    st.stop()
label = charts.theme_label
RECURRING_SHOWN = 200
TRENDS_DRAWN = 5
PASSAGES_SHOWN = 50


def show_prevalence() -> None:
    ui.chart(charts.theme_prevalence(prevalence),
             prevalence.assign(theme=prevalence["theme"].map(label)), "theme_prevalence",
             note="A case has a theme when its plan's recommendations, actions or updates show it: they match the "
                  "theme's words, or the theme model finds it in other words.")
    show_reliability()
    by_year = data.query("theme_prevalence_by_year", selected)
    # Themes raised in nearly every case draw flat lines on top of one another: by default draw the
    # themes whose share moved most from year to year, which is what a trend is asked about.
    spread = by_year.groupby("theme")["pct_cases"].agg(lambda s: s.max() - s.min()).sort_values(ascending=False)
    drawn = st.multiselect("Themes to draw", list(spread.index), default=list(spread.index[:TRENDS_DRAWN]),
                           format_func=label, key="trend_themes", max_selections=len(charts.LINE_SYMBOLS))
    ui.chart(charts.theme_trend(by_year, themes=drawn), by_year.assign(theme=by_year["theme"].map(label)),
             "theme_trend", note=f"By default the {TRENDS_DRAWN} themes whose share changed most between years; "
                                 "every theme is in the table.")
    pairs = data.query("theme_cooccurrence", selected)
    ui.chart(charts.theme_cooccurrence(pairs),
             pairs.assign(theme_a=pairs["theme_a"].map(label), theme_b=pairs["theme_b"].map(label)),
             "theme_cooccurrence")


def show_reliability() -> None:
    """Each theme's share beside how often its tags agree with a person reading the same text."""
    with st.expander("How far to trust each theme's share", icon=":material/rule:"):
        st.markdown("Themes are found by matching words, then read again by a model learnt from labelled "
                    "texts, which drops a theme only named in passing and adds one put in other words. Both were "
                    "tried on texts neither had seen, labelled by a person. *Tags a reader agreed with*: of the "
                    "texts given the theme, the share the reader also labelled with it (a theme that "
                    "*over-counts* tags texts that only name it in passing). *Labels found*: of the texts the "
                    "reader labelled with the theme, the share found (a theme that *misses* some is often "
                    "implied rather than named).")
        accuracy = tagging_accuracy()
        table = prevalence[["theme", "pct_cases"]].merge(accuracy, on="theme", how="right").sort_values(
            "pct_cases", ascending=False, na_position="last")
        st.dataframe(pd.DataFrame({
            "Theme": table["theme"].map(label), "% of cases here": table["pct_cases"], "Reading": table["reading"],
            "Tags a reader agreed with": 100 * table["precision"], "Labels found": 100 * table["recall"],
            "Texts labelled": table["labels"],
        }), hide_index=True, column_config={
            "Theme": st.column_config.TextColumn(width="medium"),
            "% of cases here": st.column_config.NumberColumn(format="%.1f%%"),
            "Reading": st.column_config.TextColumn(width="medium"),
            "Tags a reader agreed with": st.column_config.NumberColumn(format="%.0f%%"),
            "Labels found": st.column_config.NumberColumn(format="%.0f%%")})
        st.caption("Before quoting a theme that is not found reliably, read the text behind it on the Evidence "
                   "tab. How these figures were measured: data/reference/THEMES.md.")


def show_toxic_trio() -> None:
    trio = data.query("toxic_trio_summary", selected).iloc[0]
    ui.kpi_row([
        ("Cases with the toxic trio", f"{int(trio['trio_cases'])} of {int(trio['cases'])}",
         "Plans raising both substance misuse and mental health, or naming the toxic trio"),
        ("Share of cases", ui.percent(trio["pct_trio_cases"]), "Of the cases chosen"),
        ("Trio actions complete",
         ui.percent(trio["pct_trio_actions_complete"]),
         f"{int(trio['trio_actions_complete'])} of {int(trio['trio_actions'])} actions on substance misuse or "
         f"mental health in those cases; {int(trio['trio_actions_overdue'])} overdue"),
    ])
    trio_years = data.query("toxic_trio_by_year", selected)
    ui.chart(charts.toxic_trio(trio_years), trio_years, "toxic_trio")
    st.markdown("**Cases with the toxic trio**")
    st.dataframe(data.query("toxic_trio_cases", selected).drop(columns=["case_id"]), hide_index=True)


def show_training_uptake() -> None:
    uptake = data.query("training_uptake", selected)
    row = uptake.iloc[0]
    ui.kpi_row([
        ("Training actions", f"{int(row['training_actions']):,}", "Actions about training, in the plans chosen"),
        ("Training actions complete",
         ui.percent(row["pct_training_actions_complete"]),
         f"{int(row['training_actions_overdue'])} overdue"),
        ("Cases with poor uptake reported", f"{int(row['cases_with_negative_evidence']):,}",
         "Cases whose updates say training uptake was poor or fell away"),
    ])
    ui.chart(charts.training_uptake(uptake), uptake, "training_uptake")
    st.markdown("**What the updates say** (poor uptake first; only the sentence that matched is shown)")
    passages = data.query("uptake_evidence_list", selected, limit=PASSAGES_SHOWN)
    if passages.empty:
        st.info("No update mentions training uptake for these filters.")
    for row in passages.itertuples():
        st.markdown(f"- {ui.highlight(row.snippet, [row.phrase])}  \n"
                    f"  <small>{ui.html_text(row.reference)}, recommendation {ui.html_text(row.recommendation_number)}"
                    f" · {ui.html_text(row.polarity)} · {ui.html_text(row.src_file)}</small>",
                    unsafe_allow_html=True)
    total = int(passages["total_rows"].iloc[0]) if len(passages) else 0
    if total > len(passages):
        st.caption(f"The first {len(passages)} of {total:,} passages; narrow the filters to see others.")


def show_recurring() -> None:
    groups = data.query("recurring_groups", selected)
    st.markdown("Groups of near-identical recommendations made in two or more cases: learning made again.")
    if groups.empty:
        st.info("No near-identical recommendations across cases for these filters.")
    else:
        years = groups["first_year"].astype("Int64").astype(str).where(
            groups["first_year"] == groups["last_year"],
            groups["first_year"].astype("Int64").astype(str) + "-" + groups["last_year"].astype("Int64").astype(str))
        shown = groups.head(RECURRING_SHOWN)
        st.dataframe(pd.DataFrame({
            "Cases": shown["cases"], "Years": years.head(RECURRING_SHOWN),
            "Recommendations": shown["recommendations"],
            "% complete": shown["pct_recommendations_complete"],
            "Recommendation (most typical wording)": shown["representative_text"],
        }), hide_index=True, column_config={
            "% complete": st.column_config.NumberColumn(format="%.0f%%"),
            "Recommendation (most typical wording)": st.column_config.TextColumn(width="large")})
        if len(groups) > RECURRING_SHOWN:
            st.caption(f"The {RECURRING_SHOWN} groups spread over most cases, of {len(groups):,}; "
                       "narrow the filters to see others.")
        # One group's members at a time: a query per group for hundreds of groups would slow the page.
        labels = dict(zip(shown["group_id"], shown["cases"].astype(str) + " cases: "
                          + shown["representative_text"].str.slice(0, 110)))
        group_id = st.selectbox("See the recommendations in a group", list(labels), format_func=labels.get,
                                key="recurring_group")
        members = data.query("recurring_members", selected, group_id=int(group_id))
        names = {"reference": "Case", "partnership": "Partnership", "year": "Year", "recommendation_number": "Rec.",
                 "text": "Recommendation", "similarity": "Similarity", "actions": "Actions",
                 "actions_complete": "Actions complete", "complete": "Complete", "src_file": "File"}
        keep = [c for c in names if c in members]
        st.dataframe(members[keep].rename(columns=names), hide_index=True,
                     column_config={"Recommendation": st.column_config.TextColumn(width="large")})


def show_evidence() -> None:
    st.markdown("Choose a theme and a case to see the text that matched, with the matching words marked. "
                "The words each theme looks for are in `data/reference/themes.csv`, which anyone can read and "
                "correct. A theme the theme model found in other words (it reads the whole text) says so, and "
                "marks the words that weighed most for it. Where you disagree with a tag, a `veto` row in that "
                "file (see THEMES.md beside it) stops the theme for texts like this one, whoever found it.")
    theme = st.selectbox("Theme", prevalence["theme"].tolist(), format_func=label, key="evidence_theme")
    with_theme = data.query("completion_by_case", selected, themes=[theme])
    if with_theme.empty:
        st.info("No case's actions carry this theme for these filters.")
    else:
        case_labels = dict(zip(with_theme["case_id"], with_theme["reference"] + " (" + with_theme["partnership"] + ")"))
        case_id = st.selectbox("Case", list(case_labels), format_func=case_labels.get, key="evidence_case")
        evidence = data.query("theme_evidence", case_id=int(case_id), theme=theme, as_of=selected.as_of)
        for row in evidence.itertuples():
            words = list(row.matched_words)
            where = f"Recommendation {row.recommendation_number}" + (
                f", action {int(row.action_seq)}" if pd.notna(row.action_seq) else "")
            text = ui.snippet(row.text, words) if row.field == "update" else row.text
            how = "found by the theme model, from" if row.source == "model" else "matched"
            with st.container(border=True):
                st.markdown(f"**{where}** · {row.field} text · {how}: {', '.join(words)}")
                ui.evidence(text, words)
                st.caption(f"Source: {row.src_file}, {row.src_location or ''} {row.src_rows or ''}".strip())


def show_national_context() -> None:
    st.caption(f"National figures: {charts.DHRD_CREDIT}. Unchanged; shares computed here.")
    national = data.query("national_comparison", selected)
    ui.chart(charts.national_comparison(national), national.drop(columns=["source"]), "national_comparison",
             national=True)
    for row in national.itertuples():
        st.markdown(f"- **{row.label}**: {row.description}")
    st.caption("Local figures count what the action plans address; national figures count what the reviews "
               "recorded. Read them side by side, not as like for like.")


# Only the open tab runs (its name is in the address bar, ?tab=...): each tab has queries of its own.
TABS = {"Prevalence": show_prevalence, "Toxic trio": show_toxic_trio, "Training uptake": show_training_uptake,
        "Recurring recommendations": show_recurring, "Evidence": show_evidence,
        "National context": show_national_context}
for tab, show in zip(st.tabs(list(TABS), key="tab", bind="query-params"), TABS.values()):
    if tab.open:
        with tab:
            show()
