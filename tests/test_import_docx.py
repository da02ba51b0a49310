"""DOCX import: the seed plan in its own five columns and in the Home Office template."""
import datetime as dt
from pathlib import Path

import pytest

from dhrlearn.importers import parse_path
from dhrlearn.normalise.plan import normalise_plan
from tests.fixtures import seed_plan as seed

FIXTURES = Path(__file__).parent / "fixtures" / "docx"


@pytest.fixture(scope="module", params=["seed_five_columns.docx", "seed_home_office.docx"])
def plan(request):
    [plan] = parse_path(FIXTURES / request.param)
    return plan


def test_seed_docx_case_details_from_paragraphs(plan):
    assert plan.format == "docx" and plan.importer_version.startswith("docx-")
    assert (plan.case.reference, plan.case.partnership, plan.as_of_date) == (
        "Case No. 16", seed.PARTNERSHIP, dt.date(2023, 1, 12))


def test_seed_docx_recommendations(plan):
    recs = plan.recommendations
    assert [r.number_raw for r in recs] == [t.number_raw for t in seed.RECOMMENDATIONS]
    assert [r.level for r in recs] == [t.level for t in seed.RECOMMENDATIONS]
    assert [r.owning_agencies_raw for r in recs] == [t.owning_agency for t in seed.RECOMMENDATIONS]
    for got, truth in zip(recs, seed.RECOMMENDATIONS):
        assert got.text == truth.text
        [action] = got.actions
        assert action.text == truth.actions[0].action
        assert action.target_date_raw == truth.actions[0].target
        assert action.update_text == truth.actions[0].update
        assert got.provenance.location == "table 1"


def test_seed_docx_normalised(plan):
    assert seed.mismatches(normalise_plan(plan), seed.SEED_TRUTH) == []


def test_five_column_lead_split_into_agencies_and_people():
    [plan] = parse_path(FIXTURES / "seed_five_columns.docx")
    leads = [(a.lead_agency_raw, a.named_lead) for a in plan.actions]
    assert leads[1] == ("All agencies/The South Worcestershire Community Safety Partnership", "")
    assert leads[5] == ("", "DS Sharon Wallace")
    assert leads[6] == ("", "Matt Burke")
    assert [n for _, n in leads].count("Sarah Dempsey") == 3


# ---------------------------------------------------------------- other layouts, truth written by hand
from tests.fixtures.seed_plan import Truth, mismatches  # noqa: E402

SEVERAL_ACTIONS_TRUTH = (
    Truth("1", "overview", "", "Partners should agree a joint", ("complete", "complete", "not_started"),
          ("Mar 2023", "Jun 2023", "Dec 2023")),
    Truth("2", "overview", "", "The partnership should raise awareness", ("complete", "in_progress"),
          ("Nov 2023", "Jan 2024")),
    Truth("3", "single_agency", "Probation Service", "Probation should check police call-outs",
          ("complete", "off_track"), ("Feb 2023", "May 2023")),
    Truth("4", "single_agency", "Integrated Care Board", "The ICB should include routine", ("in_progress",),
          ("Apr 2024",)),
    Truth("5", "single_agency", "Integrated Care Board", "The ICB should audit safeguarding",
          ("complete", "in_progress", "not_started"), ("Jan 2024", "Mar 2024", "Jun 2024")),
)


def test_several_actions_per_recommendation_under_heading_paragraphs():
    [plan] = parse_path(FIXTURES / "several_actions.docx")
    assert (plan.case.reference, plan.case.partnership, plan.as_of_date) == (
        "DHR 2020/02", "Brackenford Community Safety Partnership", dt.date(2023, 6, 5))
    recs = plan.recommendations
    assert [len(r.actions) for r in recs] == [3, 2, 2, 1, 3]
    assert [a.text for a in recs[0].actions] == [
        "Agree a multi-agency briefing", "Deliver the briefing to frontline staff", "Audit strangulation recording"]
    assert recs[0].text == "Partners should agree a joint approach to non-fatal strangulation."  # merged, not repeated
    assert [r.provenance.location for r in recs] == ["table 1", "table 1", "table 2", "table 3", "table 3"]
    assert recs[0].provenance.rows == "rows 2-4"
    # Lead agency merged down over the three actions of recommendation 5
    assert [a.lead_agency_raw for a in recs[4].actions] == ["Integrated Care Board"] * 3
    assert mismatches(normalise_plan(plan), SEVERAL_ACTIONS_TRUTH) == []


SUB_PARTS_TRUTH = (
    Truth("3.138", "overview", "", "The Partnership should commission a", ("in_progress",), ("Q2 2024/25",)),
    Truth("3.139", "overview", "", "Agencies should ensure that interpreters:",
          ("complete", "in_progress", "not_started"), ("Mar 2024", "Jun 2024", "Sep 2024")),
    Truth("3.140(a)", "overview", "", "The Police should review the", ("complete",), ("Jan 2024",)),
    Truth("3.140(b)", "overview", "", "The Police should audit DASH", ("off_track",), ("Apr 2024",)),
    Truth("5.1", "single_agency", "Adult Social Care", "Adult Social Care should offer", ("in_progress",),
          ("Summer 2024",)),
    Truth("5.2", "single_agency", "Adult Social Care", "Adult Social Care should train", ("not_started",),
          ("Dec 2024",)),
)


def check_sub_parts(plan):
    assert (plan.case.reference, plan.case.partnership, plan.as_of_date) == (
        "DHR Adult K", "Elmstead Vale Community Safety Partnership", dt.date(2024, 2, 14))
    recs = plan.recommendations
    assert [r.number_raw for r in recs] == ["3.138", "3.139", "3.140(a)", "3.140(b)", "5.1", "5.2"]
    assert recs[1].text == ("Agencies should ensure that interpreters: a) are independent of the family; "
                            "b) are used for every contact; c) are recorded in the case notes.")
    assert [(a.text, a.lead_agency_raw) for a in recs[1].actions] == [
        ("Update the interpreting policy", "All agencies"), ("Remind staff in briefings", "Health"),
        ("Add a field to the case notes", "All agencies")]
    assert mismatches(normalise_plan(plan), SUB_PARTS_TRUTH) == []


def test_sub_parts_and_paragraph_numbering():
    [plan] = parse_path(FIXTURES / "sub_parts.docx")
    check_sub_parts(plan)


# ---------------------------------------------------------------- ticks from symbol fonts
def _tracker_with_marks(path: Path, marks: list[tuple[str, str, str]]) -> Path:
    """A Word tracker whose status cells hold one mark each: (how, font, code) with how "sym" (Insert >
    Symbol: a w:sym element) or "run" (the character typed in that font)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("DHR Adult T, Brackenford Community Safety Partnership. Action plan as at 5 June 2024")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("Rec", "Action", "Lead agency", "Target date", "Status")):
        cell.text = text
    for n, (how, font, code) in enumerate(marks, start=1):
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(n), f"Action number {n}", "Police", "Mar 2024")):
            cell.text = text
        run = cells[4].paragraphs[0].add_run()
        if how == "sym":
            sym = OxmlElement("w:sym")
            sym.set(qn("w:font"), font)
            sym.set(qn("w:char"), code)
            run._r.append(sym)
        else:
            run.text = code
            run.font.name = font
    document.save(path)
    return path


def test_ticks_inserted_from_a_symbol_font_are_read_as_the_marks_they_show(tmp_path):
    marks = [("sym", "Wingdings", "F0FC"), ("sym", "Wingdings 2", "F050"), ("sym", "Segoe UI Symbol", "2714"),
             ("run", "Wingdings", "ü"), ("sym", "Wingdings", "F0FB"), ("sym", "Webdings", "F061")]
    [plan] = parse_path(_tracker_with_marks(tmp_path / "ticks.docx", marks))
    assert [a.status_raw for a in plan.actions] == ["✔", "✔", "✔", "✔", "✗", ""]
    statuses = [a.status for r in normalise_plan(plan).recommendations for a in r.actions]
    assert statuses == ["complete"] * 4 + ["unknown", "unknown"]
