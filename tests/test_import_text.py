"""The text-path importer against the real seed plan and hand-written fixtures with ground truth.

Run as a script to print the field accuracy table:
    .venv/bin/python tests/test_import_text.py
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from dhrlearn.importers import parse_bytes
from dhrlearn.importers.text import (
    MARKER_RE,
    map_columns,
    parse,
    parse_text,
    repair_split_words,
)
from dhrlearn.model import ImportFailed

SEED = Path("/work/shared/seeds/000_1c8ffb99130fe5a6.txt")
FIXTURES = Path(__file__).parent / "fixtures" / "text"
TRUTH_FILES = sorted(FIXTURES.glob("*.truth.json"))

SEED_FIRST_WORDS = {
    1: "The constituent partner Agencies of the South Worcestershire",
    2: "The impact of the current training",
    3: "The South Worcestershire Community Safety Partnership should review the information",
    4: "All Agencies and commissioners of services should review existing Re-Engagement Policies",
    5: "Modifications to DASH risk assessments",
    6: "Training on the impact of domestic abuse",
    7: "Share learning regarding the importance of recording",
    8: "Share learning regarding the importance of having a clear re-engagement plan",
    9: "Ensure that all staff are aware",
    10: "Surgeries should consider adding an alert",
    11: "The GP practice to consider reviewing their protocol",
    12: "All staff who have face-to- face contact",
}
SEED_AGENCIES = {
    5: "West Mercia Police", 6: "West Mercia Police",
    7: "Cranstoun Worcestershire", 8: "Cranstoun Worcestershire", 9: "Cranstoun Worcestershire",
    10: "Clinical Commissioning Group", 11: "Clinical Commissioning Group", 12: "Clinical Commissioning Group",
}


@pytest.fixture(scope="module")
def seed_plan():
    plans = parse_bytes(SEED.read_bytes(), SEED.name)
    assert len(plans) == 1
    return plans[0]


def number_of(number_raw: str) -> str:
    """"Recommendation No 11" -> "11", "Rec 3" -> "3", "3.140(a)" -> "3.140(a)"."""
    return re.sub(r"^(?:recommendation|rec\.?)\s*(?:no\.?|number|#)?\s*", "", number_raw, flags=re.I).rstrip(".")


def final_words(text: str, n: int = 4) -> str:
    return " ".join(text.split()[-n:])


def by_number(plan):
    return {number_of(r.number_raw): r for r in plan.recommendations}


# --- the real seed --------------------------------------------------------------------------


def test_seed_has_twelve_recommendations_in_order(seed_plan):
    assert [number_of(r.number_raw) for r in seed_plan.recommendations] == [str(n) for n in range(1, 13)]
    assert seed_plan.recommendations[9].number_raw == "Recommendation 10"  # numbering kept as written
    assert seed_plan.recommendations[10].number_raw == "Recommendation No 11"


def test_seed_levels_and_owning_agencies(seed_plan):
    recs = by_number(seed_plan)
    assert [recs[str(n)].level for n in range(1, 13)] == ["overview"] * 4 + ["single_agency"] * 8
    for n, agency in SEED_AGENCIES.items():
        assert recs[str(n)].owning_agencies_raw == agency, n
    # the garbled banners are kept as written beside the repaired names
    assert recs["7"].extra["agency_banner_raw"] == "Cranstoun Word l restershire"
    assert recs["10"].extra["agency_banner_raw"] == "Clinical Commission oning Group."
    # overview recommendations take the agency named in the action columns
    assert recs["1"].owning_agencies_raw.startswith("All Agencies.")
    assert "South Worcestershire Community Safety Partnership" in recs["1"].owning_agencies_raw
    assert recs["2"].owning_agencies_raw == "All agencies/The South Worcestershire Community Safety Partnership"
    assert recs["3"].owning_agencies_raw == "The South Worcestershire Community Safety Partnership"
    assert recs["4"].owning_agencies_raw == "Worcestershire Safeguarding Adults Board"


def test_seed_recommendation_text_starts_with_real_first_words(seed_plan):
    recs = by_number(seed_plan)
    for n, words in SEED_FIRST_WORDS.items():
        assert recs[str(n)].text.startswith(words), (n, recs[str(n)].text[:80])
    assert recs["1"].text.endswith("raising the level of public awareness about domestic abuse.")
    assert "a) Agencies when responding" in recs["1"].text and "b) The public through online" in recs["1"].text
    assert recs["12"].text.endswith("learning activities connected to domestic abuse training.")


def test_seed_final_status_words_stay_in_update_text(seed_plan):
    recs = by_number(seed_plan)
    endings = {n: recs[str(n)].actions[0].update_text for n in range(1, 13)}
    complete = [n for n, text in endings.items() if re.search(r"(?<!In)Complete$", text)]
    assert complete == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
    assert endings[8].endswith("in the minutes. Incomplete - to be updated")
    assert all(r.actions[0].status_raw == "" for r in seed_plan.recommendations)  # no status column


def test_seed_interleaved_updates_of_10_and_11_are_separated(seed_plan):
    recs = by_number(seed_plan)
    ten, eleven = recs["10"].actions[0], recs["11"].actions[0]
    assert ten.update_text.startswith("Warning alerts for abuse/violence to patient records Where there is")
    assert "slightly different ways however all practices know what to do" in ten.update_text
    assert ten.update_text.endswith("in local areas. Complete")
    assert eleven.update_text.startswith("Coercion and control protocol This is complex")
    assert eleven.update_text.endswith("verified independently. Complete")
    assert ten.confidence["update_text"] < 1 and "update_continued_from" in ten.extra
    assert any(w.field == "update_text" and "Recommendation 10" in w.message for w in seed_plan.warnings)


def test_seed_targets_leads_and_actions(seed_plan):
    recs = by_number(seed_plan)
    for n in ("7", "8"):
        action = recs[n].actions[0]
        assert action.target_date_raw == "Jan 2023"
        assert action.confidence["target_date_raw"] >= 0.9
        assert action.named_lead == "Matt Burke"
        assert action.text.startswith("Share learning with team leaders for each team.")
    first = recs["1"].actions[0]
    assert first.target_date_raw.startswith("Reviewed at 12.01.2023 Discussion with all agencies")
    assert "April 21 - Mar 22" in first.target_date_raw
    assert first.confidence["target_date_raw"] < 0.6
    assert any(w.field == "target_date_raw" and "Recommendation No 1:" in w.message for w in seed_plan.warnings)
    assert recs["6"].actions[0].named_lead == "DS Sharon Wallace"
    assert recs["6"].actions[0].text.startswith("Paper to be submitted to Force training panel")
    assert recs["12"].actions[0].named_lead == "Sarah Dempsey"
    assert recs["12"].actions[0].text == "Domestic Abuse Training"
    assert recs["5"].actions[0].lead_agency_raw == ""  # none written: the banner's agency is inferred later


def test_seed_case_metadata(seed_plan):
    assert seed_plan.case.reference == "Case No. 16"
    assert seed_plan.case.partnership == "South Worcestershire Community Safety Partnership"
    assert seed_plan.as_of_date == dt.date(2023, 1, 12)  # "Reviewed at 12.01.2023"
    assert seed_plan.format == "text" and seed_plan.importer_version.startswith("text/")
    assert len(seed_plan.sha256) == 64


def test_seed_provenance_gives_line_ranges(seed_plan):
    recs = by_number(seed_plan)
    assert recs["1"].provenance.rows == "lines 14-54"
    assert recs["3"].provenance.rows == "line 77"
    assert all(r.provenance.file == SEED.name for r in seed_plan.recommendations)
    assert recs["12"].actions[0].provenance.rows == "lines 111-118"


def test_seed_stray_status_on_the_cranstoun_banner_is_kept(seed_plan):
    """The banner line holds a 'Complete' in the update column; it is kept, not dropped."""
    recs = by_number(seed_plan)
    assert recs["6"].unplaced_text == "Complete"
    assert any(w.field == "unplaced_text" and "Recommendation No 6" in w.message for w in seed_plan.warnings)


def test_seed_no_text_is_dropped(seed_plan):
    """Every word after the first marker (but the header and banner words) is somewhere in the plan."""
    text = SEED.read_text()
    body = text[text.index("Recommendation No 1"):]
    structure = "Single Agency Reco West Mercia Police Cranstoun Word l restershire Clinical Commission oning Group."
    markers = " ".join(r.number_raw for r in seed_plan.recommendations)
    wanted = Counter(body.split()) - Counter(structure.split()) - Counter(markers.split())
    parts = [markers]
    for rec in seed_plan.recommendations:
        parts += [rec.text, rec.unplaced_text, rec.scope_raw, *rec.extra.values()]
        for a in rec.actions:
            parts += [a.text, a.target_date_raw, a.update_text, a.status_raw, a.rag, a.completion_date_raw]
            parts += [a.named_lead, a.lead_agency_raw if a.confidence.get("lead_agency_raw", 1) > 0.7 else ""]
            parts += [v for k, v in a.extra.items() if k != "update_continued_from"]
    have = Counter(" ".join(parts).split())
    missing = wanted - have
    assert not missing, missing


# --- decoding and errors ---------------------------------------------------------------------------


def test_windows_1252_text_is_decoded():
    data = "Recommendation 1 Staff\u2019s training \u2013 refresh it\tPolice\tMarch 2024\tDone \u2013 Complete".encode("cp1252")
    [plan] = parse(data, "old.txt")
    assert plan.recommendations[0].text == "Staff\u2019s training \u2013 refresh it"
    assert plan.actions[0].update_text.endswith("Complete")


def test_binary_junk_is_refused_with_the_file_name():
    with pytest.raises(ImportFailed, match=r"junk\.txt.*binary"):
        parse(bytes(range(256)) * 4, "junk.txt")


def test_text_without_recommendations_is_refused():
    with pytest.raises(ImportFailed, match=r"minutes\.txt.*no recommendations found"):
        parse(b"Minutes of the meeting\nAttendees: the chair\nNothing to report.\n", "minutes.txt")


def test_undecodable_bytes_name_the_place():
    with pytest.raises(ImportFailed, match=r"odd\.txt \(byte 17\).*neither UTF-8 nor Windows-1252"):
        parse(b"Recommendation 1 \x81\x8d\x8f\x90", "odd.txt")


# --- pages, markers, columns -----------------------------------------------------------------------


def test_page_labels_from_the_caller_go_into_provenance():
    text = "Recommendation 1 Train staff.\nStatus: Ongoing\n\fRecommendation 2 Write a policy.\nStatus: Complete\n"
    [plan] = parse_text(text, "plan.pdf", fmt="pdf", page_labels=["iv", "v"], sha256="ab" * 32)
    assert [str(r.provenance) for r in plan.recommendations] == ["plan.pdf, page iv, lines 1-2", "plan.pdf, page v, lines 3-4"]
    assert plan.format == "pdf" and plan.sha256 == "ab" * 32
    assert [a.status_raw for a in plan.actions] == ["Ongoing", "Complete"]


def test_a_recommendation_split_by_a_page_break_spans_pages():
    text = "Rec 1 Train\nStatus: Ongoing\nall staff\fthis year.\nRec 2 Audit.\nStatus: Complete\n"
    [plan] = parse_text(text, "x.txt")
    assert plan.recommendations[0].provenance.location == "pages 1-2"


@pytest.mark.parametrize(
    "line, number",
    [("Recommendation No 1", "1"), ("Recommendation 10 Surgeries", "10"), ("Rec 3: The", "3"),
     ("Rec. 4 The", "4"), ("5.1 The Partnership", "5.1"), ("3.140(a) Officers", "3.140(a)"),
     ("Recommendation 3(b) The", "3(b)")],
)
def test_markers(line, number):
    m = MARKER_RE.match(line)
    assert m and (m.group("named") or m.group("dotted")) == number


@pytest.mark.parametrize("line", ["Recommendation", "Recommendations", "10.30 meeting with legal", "12.01.2023 review",
                                  "2023. Training delivery", "12.5% of staff"])
def test_not_markers(line):
    assert MARKER_RE.match(line) is None


def test_short_lines_are_read_right_aligned():
    roles = ["rec", "action", "lead", "target", "update"]
    assert map_columns(5, roles) == roles
    assert map_columns(4, roles) == ["rec", "lead", "target", "update"]  # the empty action cell was dropped
    assert map_columns(2, roles) == ["rec", "update"]
    assert map_columns(6, roles) == ["rec", "unplaced", "action", "lead", "target", "update"]


def test_split_agency_names_are_repaired():
    assert repair_split_words(["Clinical Commission", "oning Group."], []) == ("Clinical Commissioning Group", 0.8)
    name, confidence = repair_split_words(["Cranstoun Word", "l restershire"], ["Worcestershire", "Community"])
    assert name == "Cranstoun Worcestershire" and 0.6 < confidence < 0.9
    name, confidence = repair_split_words(["Acme Wid", "gets"], [])  # nothing to go on: kept as written
    assert name == "Acme Wid gets" and confidence < 0.6


def test_update_is_not_moved_when_the_previous_one_is_finished():
    text = (
        "Rec 1 Train staff.\tPolice\tMay 2024\tDelivered to all teams. Complete\n"
        "Rec 2 Audit files.\tPolice\tJune 2024\tAudit booked. Complete Further audit planned for June.\n"
    )
    [plan] = parse_text(text, "x.txt")
    assert plan.actions[0].update_text == "Delivered to all teams. Complete"
    assert plan.actions[1].update_text == "Audit booked. Complete Further audit planned for June."


def test_a_line_ending_an_update_is_not_taken_for_an_agency_banner():
    text = (
        "Rec 1 Train staff.\nUpdate: Report sent to the\nNorthtown Safeguarding Adults Board.\n\n"
        "Rec 2 Audit.\nStatus: Ongoing\n"
    )
    [plan] = parse_text(text, "x.txt")
    assert plan.actions[0].update_text == "Report sent to the Northtown Safeguarding Adults Board."
    assert plan.recommendations[1].owning_agencies_raw == ""


# --- fixtures with hand-written truth ---------------------------------------------------------------


def field_accuracy(plan, truth: dict) -> dict[str, float]:
    """Share of truth recommendations whose field the importer got right; 'found' counts numbers matched."""
    found = by_number(plan)
    rows = truth["recommendations"]
    checks = {
        "found": lambda r, t: r is not None,
        "number": lambda r, t: r is not None and number_of(r.number_raw) == t["number"],
        "level": lambda r, t: r is not None and r.level == t["level"],
        "agency": lambda r, t: r is not None and r.owning_agencies_raw == t["agency"],
        "status": lambda r, t: r is not None and status_of(r.actions[0]) == t["status"].lower(),
        "target_date": lambda r, t: r is not None and r.actions[0].target_date_raw == t["target"],
        "text_start": lambda r, t: r is not None and r.text.startswith(t["starts"]),
        "page": lambda r, t: r is not None and r.provenance.location == t["page"],
    }
    scores = {k: sum(bool(check(found.get(t["number"]), t)) for t in rows) / len(rows) for k, check in checks.items()}
    scores["extra_found"] = len(plan.recommendations) - sum(1 for t in rows if t["number"] in found)
    return scores


def status_of(action) -> str:
    """The status a person reads: the status cell or RAG, else the final status word of the update."""
    if action.status_raw or action.rag:
        return (action.status_raw or action.rag).lower()
    end = re.search(r"(incomplete - to be updated|not started|complete|ongoing)$", action.update_text, re.I)
    return end.group(1).lower() if end else ""


@pytest.mark.parametrize("truth_file", TRUTH_FILES, ids=lambda p: p.name.split(".")[0])
def test_fixture_field_accuracy(truth_file):
    truth = json.loads(truth_file.read_text())
    source = truth_file.with_name(truth_file.name.replace(".truth.json", ".txt"))
    [plan] = parse(source.read_bytes(), source.name)
    scores = field_accuracy(plan, truth)
    assert scores["extra_found"] == 0
    assert {k: v for k, v in scores.items() if v != 1.0 and k != "extra_found"} == {}
    assert plan.case.reference == truth["case_reference"]
    assert plan.case.partnership == truth["partnership"]
    assert plan.as_of_date == dt.date.fromisoformat(truth["as_of_date"])
    for t in truth["recommendations"]:  # the optional per-cell truth of the table fixtures
        rec = by_number(plan)[t["number"]]
        if "scope" in t:
            assert rec.scope_raw == t["scope"]
        if "action" in t:
            assert rec.actions[0].text == t["action"]
            assert rec.actions[0].update_text == t["update"]
        assert rec.text.startswith(t["starts"]) and rec.unplaced_text == ""


def test_seed_field_accuracy_is_complete(seed_plan):
    truth = {"recommendations": [
        {"number": str(n), "level": "overview" if n <= 4 else "single_agency",
         "agency": seed_plan.recommendations[n - 1].owning_agencies_raw if n <= 4 else SEED_AGENCIES[n],
         "status": "Incomplete - to be updated" if n == 8 else "Complete",
         "target": "Jan 2023" if n in (7, 8) else seed_plan.recommendations[n - 1].actions[0].target_date_raw,
         "starts": SEED_FIRST_WORDS[n], "page": ""}
        for n in range(1, 13)
    ]}
    scores = field_accuracy(seed_plan, truth)
    assert scores["extra_found"] == 0 and all(v == 1.0 for k, v in scores.items() if k != "extra_found")


# --- after normalisation ------------------------------------------------------------------------------


def test_seed_normalised_statuses(seed_plan):
    plan_module = pytest.importorskip("dhrlearn.normalise.plan")
    [plan] = parse(SEED.read_bytes(), SEED.name)
    result = plan_module.normalise_plan(plan)
    plan = result if result is not None and hasattr(result, "recommendations") else plan
    statuses = [a.status for a in plan.actions]
    assert statuses.count("complete") == 11
    assert by_number(plan)["8"].actions[0].status == "off_track"


if __name__ == "__main__":  # print the accuracy table
    seed = parse(SEED.read_bytes(), SEED.name)[0]
    print(f"{'fixture':28} " + " ".join(f"{k:>11}" for k in ("found", "number", "level", "agency", "status",
                                                              "target_date", "text_start", "page", "extra_found")))
    for truth_file in TRUTH_FILES:
        truth = json.loads(truth_file.read_text())
        source = truth_file.with_name(truth_file.name.replace(".truth.json", ".txt"))
        scores = field_accuracy(parse(source.read_bytes(), source.name)[0], truth)
        print(f"{source.stem:28} " + " ".join(f"{v:>11.2f}" for v in scores.values()))


def test_space_laid_out_columns_are_read_by_header_position():
    layout = (
        "Recommendation       Lead            Target Date     Update\n"
        "Rec 1 Train          Named Nurse     March 2024      Sessions booked.\n"
        "all staff.                                           Ongoing\n"
        "Rec 2 Audit          Westbury CSP                    Complete\n"
    )
    [plan] = parse_text(layout, "layout.txt")
    first, second = plan.recommendations
    assert first.text == "Train all staff." and first.actions[0].target_date_raw == "March 2024"
    assert first.actions[0].update_text == "Sessions booked. Ongoing"
    assert first.actions[0].extra["lead_role"] == "Named Nurse"  # a job title, not an agency or a person
    assert second.owning_agencies_raw == "Westbury CSP" and second.actions[0].target_date_raw == ""


def test_heading_as_at_date_sets_the_as_of_date():
    text = "Action plan as at: 21/04/2024\nRecommendation 1 Train staff.\nStatus: Ongoing\n"
    [plan] = parse_text(text, "x.txt")
    assert plan.as_of_date == dt.date(2024, 4, 21)
    assert any(w.field == "case" for w in plan.warnings)  # no case reference written: said so


def test_pages_joined_without_newlines_still_break_lines():
    """pdfplumber page texts have no final newline, so "\\f".join(pages) glues lines together."""
    pages = ["Rec 1 Train staff.\tMay 2024\tDone. Complete", "Rec 2 Audit.\tJune 2024\tBooked. Ongoing"]
    [plan] = parse_text("\f".join(pages), "x.pdf", fmt="pdf", page_labels=["1", "2"])
    assert [r.number_raw for r in plan.recommendations] == ["Rec 1", "Rec 2"]
    assert plan.actions[0].update_text == "Done. Complete" and plan.recommendations[1].provenance.location == "page 2"
