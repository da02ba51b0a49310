"""The format-neutral table reader: headers, banners, merged cells, continuation rows, cases."""
import datetime as dt

import pytest

from dhrlearn.importers.grid import (
    Grid,
    Merged,
    NoTableFound,
    banner_agency,
    looks_like_person,
    match_header,
    plans_from_grids,
    read_case_metadata,
    split_number,
)

L, U = Merged.LEFT, Merged.UP


def read(*grids, lines=None):
    return plans_from_grids(list(grids), file="plan.xlsx", sha256="0" * 64, fmt="xlsx",
                            importer_version="test", metadata_lines=lines)


def one(*grids, lines=None):
    plans = read(*grids, lines=lines)
    assert len(plans) == 1
    return plans[0]


@pytest.mark.parametrize("header, field", [
    ("Recommendation", "recommendation"),
    ("Scope of recommendation (i.e. local or regional)", "scope"),
    ("Action to take", "action"),
    ("Lead Agency", "lead_agency"),
    ("Key milestones achieved in enacting recommendation", "update"),
    ("Target Date", "target_date"),
    ("Date of completion and outcome", "completion"),
    ("Action Required by Agency", "action"),
    ("Implementation Lead", "lead"),
    ("Target Date for Completion", "target_date"),
    ("Summary of Action Taken and Date", "update"),
    ("No.", "number"),
    ("Ref", "number"),
    ("Rec No.", "number"),
    ("Status", "status"),
    ("RAG Rating", "rag"),
    ("Progress/Update", "update"),
    ("Progress Update (date)", "update"),
    ("Owner", "lead"),
    ("Agency", "lead_agency"),
    ("Date completed", "completion"),
    ("DHR Ref", "case"),
    ("Case/DHR", "case"),
    ("Partnership", "partnership"),
    ("Action(s)", "action"),
    ("Timescale", "target_date"),
    ("  Target  date ", "target_date"),
])
def test_header_wordings_map_to_fields(header, field):
    assert match_header(header)[0] == field


@pytest.mark.parametrize("header", ["Priority", "Theme", "Date Signed Off", "Budget"])
def test_unrelated_headers_map_to_nothing(header):
    assert match_header(header)[0] is None


@pytest.mark.parametrize("text, number, rest", [
    ("Recommendation No 1\nThe constituent partner", "Recommendation No 1", "The constituent partner"),
    ("Recommendation 10 Surgeries should", "Recommendation 10", "Surgeries should"),
    ("5.1 Police to review", "5.1", "Police to review"),
    ("3.140(a) The ICB should", "3.140(a)", "The ICB should"),
    ("2. Agencies must", "2", "Agencies must"),
    ("R4: Share learning", "R4", "Share learning"),
    ("The public through online", "", "The public through online"),
    ("2023 was a year", "", "2023 was a year"),
])
def test_numbers_split_from_recommendation_text(text, number, rest):
    assert split_number(text) == (number, rest)


def test_header_found_below_title_rows_and_unmapped_columns_kept():
    grid = Grid([
        ["DHR Case No. 7 action plan", "", "", ""],
        ["Updated 03/04/2024", "", "", ""],
        ["Ref", "Recommendation", "Lead Agency", "Budget code"],
        ["1", "Police should train staff.", "Police", "X-17"],
    ], "Sheet1")
    plan = one(grid)
    assert plan.case.reference == "Case No. 7"
    assert plan.as_of_date == dt.date(2024, 4, 3)
    [rec] = plan.recommendations
    assert (rec.number_raw, rec.text) == ("1", "Police should train staff.")
    assert rec.actions[0].lead_agency_raw == "Police"
    assert rec.actions[0].extra == {"Budget code": "X-17"}
    assert rec.provenance.location == "Sheet1" and rec.provenance.rows == "row 4"


def test_banners_set_level_and_owning_agency():
    grid = Grid([
        ["Recommendation", "Action", "Lead", "Progress"],
        ["Overview Report Recommendations", L, L, L],
        ["Recommendation 1 All agencies review.", "Review", "All Agencies", "Done. Complete"],
        ["Single Agency Recommendations", L, L, L],
        ["West Mercia Police", L, L, L],
        ["Recommendation 2 Train officers.", "Paper to panel", "DS Sharon Wallace", "Ongoing"],
        ["Cranstoun Worcestershire", "", "", ""],  # no merge: a lone first cell
        ["Recommendation 3 Share learning.", "Share", "Matt Burke", "Incomplete - to be updated"],
    ], "table 1")
    recs = one(grid).recommendations
    assert [(r.number_raw, r.level, r.owning_agencies_raw) for r in recs] == [
        ("Recommendation 1", "overview", ""),
        ("Recommendation 2", "single_agency", "West Mercia Police"),
        ("Recommendation 3", "single_agency", "Cranstoun Worcestershire"),
    ]
    # An "Implementation Lead" column holds agencies or people: each goes to its own field.
    assert recs[0].actions[0].lead_agency_raw == "All Agencies" and recs[0].actions[0].named_lead == ""
    assert recs[1].actions[0].named_lead == "DS Sharon Wallace" and recs[1].actions[0].lead_agency_raw == ""


def test_continued_recommendation_and_several_actions():
    grid = Grid([
        ["No.", "Recommendation", "Action", "Agency", "Target", "Status"],
        ["1", "Surgeries should add alerts", "Add alert codes", "ICB", "Mar 2023", "Complete"],
        ["", "to patient records.", "Audit the alerts", "GP practices", "Jun 2023", "Ongoing"],
        ["", "", "", "", "", "audit due in July"],
        ["2", "Train staff.", "Run training", "ICB", "Dec 2023", "Not started"],
    ], "Sheet1")
    recs = one(grid).recommendations
    assert len(recs) == 2
    first = recs[0]
    assert first.text == "Surgeries should add alerts to patient records."
    assert [a.text for a in first.actions] == ["Add alert codes", "Audit the alerts"]
    assert [a.target_date_raw for a in first.actions] == ["Mar 2023", "Jun 2023"]
    assert first.actions[1].status_raw == "Ongoing audit due in July"
    assert first.provenance.rows == "rows 2-4"
    assert first.actions[1].provenance.rows == "rows 3-4"


def test_repeated_number_on_each_action_row_is_one_recommendation():
    grid = Grid([
        ["Rec No", "Recommendation", "Action", "RAG"],
        ["4", "Review the policy.", "Draft policy", "Green"],
        ["4", "Review the policy.", "Consult partners", "Amber"],
    ], "Tracker")
    [rec] = one(grid).recommendations
    assert rec.text == "Review the policy."
    assert [(a.text, a.rag) for a in rec.actions] == [("Draft policy", "Green"), ("Consult partners", "Amber")]


def test_vertically_merged_cells_continue_and_are_inherited():
    grid = Grid([
        ["Recommendation", "Action to take", "Lead Agency", "Target Date"],
        ["1. Improve referrals.", "Update the form", "Children's Services", "Jan 2024"],
        [U, "Brief the teams", U, U],
    ], "Sheet1")
    [rec] = one(grid).recommendations
    assert [a.text for a in rec.actions] == ["Update the form", "Brief the teams"]
    assert rec.actions[1].lead_agency_raw == "Children's Services"
    assert rec.actions[1].target_date_raw == "Jan 2024"


def test_repeated_headers_dropped_and_split_row_joined_over_page_break():
    header = ["Recommendation", "Action", "Lead Agency", "Update"]
    page1 = Grid([header, ["1 Agencies should review", "Review advice", "All", "Work began in"]], "page 1 table 1")
    page2 = Grid([header, ["their guidance.", "", "", "October. Complete"],
                  ["2 Train staff.", "Training", "ICB", "Ongoing"]], "page 2 table 1", continues_previous=True)
    recs = one(page1, page2).recommendations
    assert len(recs) == 2
    assert recs[0].text == "Agencies should review their guidance."
    assert len(recs[0].actions) == 1
    assert recs[0].actions[0].update_text == "Work began in October. Complete"
    assert recs[0].provenance.location == "page 1 table 1 to page 2 table 1"


def test_sub_parts_become_actions_of_their_recommendation():
    grid = Grid([
        ["Ref", "Recommendation", "Lead", "Status"],
        ["3.140", "The partnership should review advice to:", "", ""],
        ["a)", "agencies responding to abuse", "All agencies", "Complete"],
        ["b)", "the public online", "CSP", "Ongoing"],
        ["3.140(a)", "A separately numbered recommendation.", "Police", "Complete"],
    ], "Sheet1")
    recs = one(grid).recommendations
    assert [r.number_raw for r in recs] == ["3.140", "3.140(a)"]
    assert recs[0].text == ("The partnership should review advice to: a) agencies responding to abuse "
                            "b) the public online")
    assert [(a.text, a.lead_agency_raw, a.status_raw) for a in recs[0].actions] == [
        ("a) agencies responding to abuse", "All agencies", "Complete"),
        ("b) the public online", "CSP", "Ongoing"),
    ]


def test_case_column_splits_a_tracker_into_plans():
    grid = Grid([
        ["DHR", "Partnership", "Rec", "Recommendation", "Status"],
        ["DHR 2021/03", "Wyre Forest CSP", "1", "Train staff.", "Complete"],
        ["", "", "2", "Audit files.", "Ongoing"],
        ["DHR 2022/01", "Malvern CSP", "1", "Share learning.", "Not started"],
    ], "Tracker")
    plans = read(grid)
    assert [(p.case.reference, p.case.partnership, len(p.recommendations)) for p in plans] == [
        ("DHR 2021/03", "Wyre Forest CSP", 2), ("DHR 2022/01", "Malvern CSP", 1)]


def test_each_sheet_titled_with_its_own_case_is_its_own_plan():
    header = ["Recommendation", "Action", "Status"]
    a = Grid([["Case No. 3"], header, ["1 Train staff.", "Training", "Complete"]], "Case 3")
    b = Grid([["Case No. 9"], header, ["1 Audit files.", "Audit", "Ongoing"]], "Case 9")
    plans = read(a, b)
    assert [(p.case.reference, p.recommendations[0].text) for p in plans] == [
        ("Case No. 3", "Train staff."), ("Case No. 9", "Audit files.")]


def test_table_without_header_is_read_for_case_details_only():
    meta = Grid([["Review:", "DHR Smith"], ["Partnership", "Bromsgrove Community Safety Partnership"]], "table 1")
    plan_table = Grid([["Recommendation", "Lead Agency"], ["1 Do it.", "ICB"]], "table 2")
    plan = one(meta, plan_table)
    assert plan.case.partnership == "Bromsgrove Community Safety Partnership"
    assert any(w.field == "header" and w.provenance.location == "table 1" for w in plan.warnings)


def test_no_header_anywhere_raises():
    with pytest.raises(NoTableFound, match="Sheet1, Notes"):
        read(Grid([["just", "some"], ["text", "here"]], "Sheet1"), Grid([["notes"]], "Notes"))


def test_rows_without_a_recommendation_above_are_kept_and_flagged():
    grid = Grid([["Recommendation", "Action", "Lead Agency"], ["", "Orphan action", "Police"]], "Sheet1")
    plan = one(grid)
    assert plan.recommendations[0].actions[0].text == "Orphan action"
    assert any(w.field == "recommendation" for w in plan.warnings)


@pytest.mark.parametrize("lines, reference, partnership, as_of", [
    (["DOMESTIC HOMICIDE REVIEW", "Case No. 16", "Review meeting 12 January 2023"], "Case No. 16", "", dt.date(2023, 1, 12)),
    (["Case reference: DHR 2021/03", "Community Safety Partnership: Wyre Forest CSP", "Updated: 1.2.24"],
     "DHR 2021/03", "Wyre Forest CSP", dt.date(2024, 2, 1)),
    (["Action plan for the South Worcestershire Community Safety Partnership", "As at 2023-03-31"], "",
     "South Worcestershire Community Safety Partnership", dt.date(2023, 3, 31)),
])
def test_case_metadata_lines(lines, reference, partnership, as_of):
    case, found = read_case_metadata(lines)
    assert (case.reference, case.partnership, found) == (reference, partnership, as_of)


def test_year_from_labelled_line():
    assert read_case_metadata(["Year of death or review: 2021"])[0].year == 2021


@pytest.mark.parametrize("text, person", [
    ("Matt Burke", True), ("DS Sharon Wallace", True), ("Sarah Dempsey", True),
    ("West Mercia Police", False), ("All Agencies.", False), ("Worcestershire Safeguarding Adults Board", False),
    ("ICB", False), ("Cranstoun Worcestershire", False),
])
def test_people_told_from_agencies(text, person):
    assert looks_like_person(text) is person


@pytest.mark.parametrize("text, agency", [
    ("West Mercia Police", "West Mercia Police"),
    ("Single Agency Recommendations – Cranstoun", "Cranstoun"),
    ("Clinical Commissioning Group Recommendations", "Clinical Commissioning Group"),
    ("Single Agency Recommendations", ""),
])
def test_banner_agency(text, agency):
    assert banner_agency(text) == agency
