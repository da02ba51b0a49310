"""XLSX import: the seed plan in the Home Office template with merged banner rows."""
import datetime as dt
from pathlib import Path

import pytest

from dhrlearn.importers import parse_path
from dhrlearn.normalise.plan import normalise_plan
from tests.fixtures import seed_plan as seed

FIXTURES = Path(__file__).parent / "fixtures" / "tabular"


@pytest.fixture(scope="module")
def plan():
    [plan] = parse_path(FIXTURES / "seed_home_office.xlsx")
    return plan


def test_seed_xlsx_matches_the_seed(plan):
    assert plan.format == "xlsx"
    assert (plan.case.reference, plan.case.partnership, plan.as_of_date) == (
        "Case No. 16", seed.PARTNERSHIP, dt.date(2023, 1, 12))
    recs = plan.recommendations
    assert len(recs) == 12
    assert [r.level for r in recs].count("overview") == 4
    assert [r.owning_agencies_raw for r in recs[4:]] == ["West Mercia Police"] * 2 + [
        "Cranstoun Worcestershire"] * 3 + ["Clinical Commissioning Group"] * 3
    for got, truth in zip(recs, seed.RECOMMENDATIONS):
        assert got.text.split()[:5] == truth.text.split()[:5]
        assert got.actions[0].update_text.endswith(truth.actions[0].status_word)
        assert got.actions[0].target_date_raw == truth.actions[0].target
        assert got.provenance.location == "Action Plan"
    assert seed.mismatches(normalise_plan(plan), seed.SEED_TRUTH) == []


def test_blank_templates_import_with_no_recommendations():
    root = Path(__file__).parent.parent / "data" / "templates"
    for name in ("action_plan_template.xlsx", "action_plan_template.csv"):
        [plan] = parse_path(root / name)
        assert plan.recommendations == []
        assert any(w.field == "recommendation" for w in plan.warnings)


# ---------------------------------------------------------------- other layouts, truth written by hand
from tests.fixtures.seed_plan import Truth, mismatches, score_plan  # noqa: E402

RAG_TRUTH = (
    Truth("1", None, "", "All agencies should ensure frontline", ("complete",), ("31/03/2023",)),
    Truth("2", None, "", "Housing should flag addresses where", ("in_progress",), ("30/09/2023",)),
    Truth("3", None, "", "The ICB should commission the", ("in_progress",), ("Q4 2023/24",)),
    Truth("4", None, "", "Children's services should record the", ("off_track",), ("Dec 2023",)),
    Truth("5", None, "", "Probation should check police call-outs", ("complete",), ("Ongoing",)),
)


def test_rag_tracker_reads_rag_text_and_cell_colours():
    [plan] = parse_path(FIXTURES / "rag_tracker.xlsx")
    assert (plan.case.reference, plan.case.partnership, plan.as_of_date) == (
        "DHR 2019/04", "Greywater Community Safety Partnership", dt.date(2024, 3, 31))
    actions = plan.actions
    assert [a.rag for a in actions] == ["Blue", "Green", "Amber", "Red", "Blue"]
    # R2, R4 and R5 are coloured but empty: read from the colour, with less confidence
    assert [a.confidence.get("rag", 1.0) for a in actions] == [1.0, 0.9, 1.0, 0.9, 0.9]
    assert [a.lead_agency_raw for a in actions] == [
        "Police", "Housing", "Integrated Care Board", "Children's Services", "Probation Service"]
    assert actions[0].named_lead == "Insp K. Example"  # "Owner" beside an "Agency" column is a person
    assert actions[0].extra == {"Priority": "High"}  # unmapped column kept
    assert actions[0].target_date_raw == "31/03/2023"  # a date cell, written day first
    assert mismatches(normalise_plan(plan), RAG_TRUTH) == []


MULTI_CASE_TRUTH = {
    "DHR 2018/01": (
        Truth("1", "overview", "", "Partners should review the MARAC", ("in_progress", "not_started"),
              ("30/06/2024", "30/09/2024")),
        Truth("2", "single_agency", "", "The GP practice should add", ("off_track",), ("Mar 2024",)),
    ),
    "DHR 2020/05": (
        Truth("1", "overview", "", "Agencies should use interpreters who", ("in_progress",), ("Q1 2024/25",)),
        Truth("2", "single_agency", "", "Police should refresh stalking training", ("complete",), ("31/12/2023",)),
    ),
    "DHR 2021/02": (
        Truth("3.1", "single_agency", "", "Adult social care should complete", ("off_track",), ("Summer 2024",)),
        Truth("3.2", "single_agency", "", "Housing should review its homelessness", ("complete",), ("Jan 2024",)),
    ),
}


def test_multi_case_tracker_gives_one_plan_per_case_across_sheets():
    plans = parse_path(FIXTURES / "multi_case_tracker.xlsx")
    assert [p.case.reference for p in plans] == list(MULTI_CASE_TRUTH)
    assert [p.case.partnership for p in plans] == ["Calderwick CSP", "Calderwick CSP", "Dunmere CSP"]
    assert [p.case.year for p in plans] == [2018, 2020, 2021]
    assert {p.as_of_date for p in plans} == {dt.date(2024, 3, 1)}
    for plan in plans:
        assert mismatches(normalise_plan(plan), MULTI_CASE_TRUTH[plan.case.reference]) == []
    closed = plans[1].recommendations[1]
    assert closed.provenance.location == "Closed actions"
    assert any(w.field == "header" and w.provenance.location == "Lookups" for w in plans[0].warnings)


def test_formula_cell_kept_as_its_text_never_evaluated():
    [first, *_] = parse_path(FIXTURES / "multi_case_tracker.xlsx")
    action = first.recommendations[0].actions[0]
    assert action.extra["Report"] == '=HYPERLINK("https://example.org/dhr/2018-01.pdf","Report")'


def test_field_accuracy_is_complete_on_the_rag_tracker():
    [plan] = parse_path(FIXTURES / "rag_tracker.xlsx")
    scores = score_plan(normalise_plan(plan), RAG_TRUTH)
    assert all(right == total for right, total in scores.values()), scores


def test_ticks_typed_in_a_symbol_font_are_read_as_the_marks_they_show(tmp_path):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.append(["DHR Adult T, Brackenford Community Safety Partnership. Action plan as at 5 June 2024"])
    sheet.append(["Rec", "Action", "Lead agency", "Target date", "Status"])
    marks = [("ü", "Wingdings"), ("P", "Wingdings 2"), ("✓", "Calibri"), ("û", "Wingdings"), ("P", "Calibri")]
    for n, (mark, font) in enumerate(marks, start=1):
        sheet.append([str(n), f"Action number {n}", "Police", "Mar 2024", mark])
        sheet.cell(row=n + 2, column=5).font = Font(name=font)
    book.save(tmp_path / "ticks.xlsx")
    [plan] = parse_path(tmp_path / "ticks.xlsx")
    assert [a.status_raw for a in plan.actions] == ["✔", "✔", "✓", "✗", "P"]
    statuses = [a.status for r in normalise_plan(plan).recommendations for a in r.actions]
    assert statuses == ["complete", "complete", "complete", "unknown", "unknown"]
