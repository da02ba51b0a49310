"""CSV import: the seed plan in the Home Office template, delimiters and encodings."""
import datetime as dt
from pathlib import Path

import pytest

from dhrlearn.importers import parse_bytes, parse_path
from dhrlearn.importers.tabular_csv import sniff_delimiter
from dhrlearn.normalise.plan import normalise_plan
from tests.fixtures import seed_plan as seed

FIXTURES = Path(__file__).parent / "fixtures" / "tabular"


@pytest.fixture(scope="module")
def plan():
    [plan] = parse_path(FIXTURES / "seed_home_office.csv")
    return plan


def test_seed_csv_case_details(plan):
    assert plan.format == "csv" and plan.importer_version.startswith("csv-")
    assert plan.case.reference == "Case No. 16"
    assert plan.case.partnership == seed.PARTNERSHIP
    assert plan.as_of_date == dt.date(2023, 1, 12)


def test_seed_csv_recommendations_levels_and_agencies(plan):
    recs = plan.recommendations
    assert [r.number_raw for r in recs] == [r.number_raw for r in seed.RECOMMENDATIONS]
    assert [r.level for r in recs] == ["overview"] * 4 + ["single_agency"] * 8
    assert [r.owning_agencies_raw for r in recs] == [r.owning_agency for r in seed.RECOMMENDATIONS]
    for got, truth in zip(recs, seed.RECOMMENDATIONS):
        assert got.text == truth.text
        assert got.scope_raw == "Local"


def test_seed_csv_actions_raw_fields(plan):
    for got, truth in zip(plan.recommendations, seed.RECOMMENDATIONS):
        [action] = got.actions
        expected = truth.actions[0]
        assert action.text == expected.action
        assert action.lead_agency_raw == truth.lead_agency
        assert action.target_date_raw == expected.target
        assert action.update_text.endswith(expected.status_word)
        assert action.status_raw == expected.status_word  # from "Date of completion and outcome"
        assert action.provenance.file == "seed_home_office.csv" and action.provenance.rows.startswith("row ")


def test_seed_csv_normalised_statuses(plan):
    normalised = normalise_plan(plan)
    statuses = [r.actions[0].status for r in normalised.recommendations]
    assert statuses.count("complete") == 11
    assert statuses[7] == "off_track"
    assert seed.mismatches(normalised, seed.SEED_TRUTH) == []


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiters_sniffed(delimiter):
    rows = [["Ref", "Recommendation", "Lead Agency", "Status"],
            ["1", "Police, health and housing should share information.", "Police", "Complete"],
            ["2", "Train staff; audit the training.", "ICB", "Ongoing"]]
    text = "\r\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in r) for r in rows)
    assert sniff_delimiter(text) == delimiter
    [plan] = parse_bytes(text.encode(), "plan.csv")
    assert [(r.number_raw, r.text, r.actions[0].status_raw) for r in plan.recommendations] == [
        ("1", "Police, health and housing should share information.", "Complete"),
        ("2", "Train staff; audit the training.", "Ongoing")]


def test_utf16_csv_from_excel_unicode_text():
    text = "Recommendation\tLead Agency\r\n1 Women’s Aid to review\tWomen’s Aid\r\n"
    [plan] = parse_bytes(text.encode("utf-16"), "plan.csv")
    assert plan.recommendations[0].actions[0].lead_agency_raw == "Women’s Aid"


def test_tracker_cases_take_the_year_in_their_reference_else_the_title_year():
    text = (
        "Action plan as at: 20/06/2017\nYear of death: 2015\n"
        "Case,Partnership,Recommendation,Action to take,Lead Agency,Target Date,Status\n"
        "DHR 2014/03,North CSP,Recommendation 1 Review training,Deliver training,WMP,Jan 2017,Complete\n"
        "BENCH-7,North CSP,Recommendation 1 Audit DVDS,Audit,WMP,Mar 2017,Ongoing\n"
    )
    years = {p.case.reference: p.case.year for p in parse_bytes(text.encode(), "tracker.csv")}
    assert years == {"DHR 2014/03": 2014, "BENCH-7": 2015}


@pytest.mark.parametrize("header", ["Completed (Y/N)", "Complete?", "Done (Yes/No)", "Date completed"])
def test_a_completed_column_answered_yes_no_tick_or_a_date_gives_the_status(header):
    """Simple trackers say whether an action is done in one column: Y, Yes or a tick is complete; No is kept
    as written and left unknown (not complete, nothing says how far on); a date on or before the plan's
    date is complete, a later one is a plan, not a fact."""
    from dhrlearn import review

    answers = ["Y", "No", "Yes", "✔", "12/05/2025", "12/07/2025", "May 2025", "n", "✗"]
    rows = "".join(f"DHR 7,{n}. Recommendation {n},Action {n},31/03/2025,{a}\n" for n, a in enumerate(answers, 1))
    csv = f"Action plan as at 01/06/2025\nCase,Recommendation,Action,Target date,{header}\n{rows}".encode()
    preview = review.preview_bytes(csv, "done.csv")
    actions = preview.actions_frame()
    assert actions["status"].tolist() == ["complete", "unknown", "complete", "complete", "complete", "unknown",
                                          "complete", "unknown", "unknown"]
    assert actions["status_raw"].tolist()[:4] == ["Y", "No", "Yes", "✔"]  # kept as written, never dropped
    messages = preview.warnings_frame()["message"].tolist()
    no = ": not complete, but nothing says how far on (left unknown; counted as not complete)"
    assert f"Recommendation 2: status 'No'{no}" in messages
    assert f"Recommendation 8: status 'n'{no}" in messages
    assert "Recommendation 9: status '✗' (a cross) left unknown: some trackers cross what is done, others what is not" \
        in messages
    assert not any("not a known status word" in m for m in messages)
