"""normalise_plan fills every normalised field of a ParsedPlan and manages its own warnings."""
import datetime as dt
import shutil

import pytest

from dhrlearn import config
from dhrlearn.model import ParsedAction, ParsedPlan, ParsedRecommendation, Provenance
from dhrlearn.normalise.agencies import AgencyDirectory
from dhrlearn.normalise.plan import is_normalise_warning, normalise_plan, read_scope

FILE = "case16.xlsx"


def prov(row):
    return Provenance(FILE, "Action plan", f"row {row}")


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    ref = tmp_path_factory.mktemp("reference")
    for name in ("agencies.csv", "agency_patterns.csv"):
        shutil.copy(config.REFERENCE_DIR / name, ref / name)
    return AgencyDirectory.load(ref)


def seed_like_plan():
    """Four recommendations shaped like the seed's (Case 16), plus the oddities a real import meets."""
    plan = ParsedPlan(source_file=FILE, sha256="0" * 64, format="xlsx", importer_version="test")
    plan.warn(Provenance(FILE, "Action plan"), "header", "column 'Notes' kept as extra text")
    rec2 = ParsedRecommendation(
        number_raw="Recommendation No 2",
        scope_raw="Local",
        owning_agencies_raw="All agencies/The South Worcestershire CSP",
        provenance=prov(5),
        actions=[ParsedAction(
            text="Audit DVDS training",
            target_date_raw="Discussion at 12 Jan review meeting:",
            update_text="Follow up DOES occur in WCF and ASC ... impact this has had on their confidence. Complete",
            provenance=prov(5),
        )],
    )
    rec8 = ParsedRecommendation(
        number_raw="Recommendation No 8",
        level="single_agency",
        owning_agencies_raw="Cranstoun Worcestershire",
        provenance=prov(9),
        actions=[ParsedAction(
            text="Share learning with team leaders for each team.",
            named_lead="Matt Burke",
            target_date_raw="Jan 2023",
            update_text="Update from Cranstoun: I am confident we have completed the first two actions some time "
                        "ago. ... once I have seen evidence in the minutes. Incomplete - to be updated",
            provenance=prov(9),
        )],
    )
    rec10 = ParsedRecommendation(
        number_raw="Recommendation 10",
        scope_raw="Local and regional",
        provenance=prov(12),
        actions=[
            ParsedAction(text="Warning alerts", lead_agency_raw="Clinical Commissioning Group", target_date_raw="",
                         status_raw="Complete", provenance=prov(12)),
            ParsedAction(text="Surgery protocol", lead_agency_raw="GP practice", target_date_raw="Q1 2023/24",
                         status_raw="Ongoing", provenance=prov(13)),
        ],
    )
    rec11 = ParsedRecommendation(
        number_raw="11",
        provenance=prov(14),
        actions=[ParsedAction(
            text="Coercion and control protocol",
            lead_agency_raw="Wyre Piddle Befrienders and WCF",
            target_date_raw="31/02/2023",
            status_raw="See minutes",
            completion_date_raw="Completed 14/03/2023 - protocol verified",
            provenance=prov(14),
        )],
    )
    plan.recommendations = [rec2, rec8, rec10, rec11]
    return plan


def normalised(directory):
    return normalise_plan(seed_like_plan(), directory)


def test_recommendation_fields(directory):
    rec2, rec8, rec10, rec11 = normalised(directory).recommendations
    assert [(r.number, r.sort_key) for r in (rec2, rec8, rec10, rec11)] == [
        ("2", "0002"), ("8", "0008"), ("10", "0010"), ("11", "0011")]
    assert (rec2.scope, rec8.scope, rec10.scope) == ("local", None, "regional")
    assert [a.canonical for a in rec2.owning_agencies] == [
        "All agencies", "South Worcestershire Community Safety Partnership"]


def test_action_without_lead_takes_recommendation_owners(directory):
    rec8 = normalised(directory).recommendations[1]
    (lead,) = rec8.actions[0].lead_agencies
    assert (lead.canonical, lead.agency_type, lead.raw) == ("Cranstoun", "Substance misuse services",
                                                           "Cranstoun Worcestershire")
    assert lead is not rec8.owning_agencies[0]  # a copy, so editing one does not change the other


def test_recommendation_without_owner_is_owned_by_action_leads(directory):
    rec10 = normalised(directory).recommendations[2]
    assert [a.canonical for a in rec10.owning_agencies] == ["Clinical Commissioning Group", "GP practices"]


def test_seed_recommendation_8_is_off_track_with_a_month_target(directory):
    action = normalised(directory).recommendations[1].actions[0]
    assert (action.target_date, action.target_precision) == (dt.date(2023, 1, 31), "month")
    assert (action.status, action.status_word) == ("off_track", "Incomplete")


def test_dates_statuses_and_completion(directory):
    plan = normalised(directory)
    rec2, _, rec10, rec11 = plan.recommendations
    assert rec2.actions[0].status == "complete" and rec2.actions[0].target_date is None
    assert [(a.status, a.target_date, a.target_precision) for a in rec10.actions] == [
        ("complete", None, "none"), ("in_progress", dt.date(2023, 6, 30), "quarter")]
    action11 = rec11.actions[0]
    assert action11.target_date is None and action11.target_precision == "none"
    assert action11.completion_date == dt.date(2023, 3, 14)
    # The status cell says nothing; the completion-and-outcome cell says "Completed".
    assert (action11.status, action11.status_word) == ("complete", "Completed")


def test_warnings_name_field_text_and_place(directory):
    plan = normalised(directory)
    mine = [w for w in plan.warnings if is_normalise_warning(w)]
    by_field = {}
    for w in mine:
        by_field.setdefault(w.field, []).append(w)
    unknown_agency = [w for w in by_field["agency"] if w.severity == "warning"]
    assert len(unknown_agency) == 1
    assert "Wyre Piddle Befrienders and WCF" in unknown_agency[0].message
    assert str(unknown_agency[0].provenance) == "case16.xlsx, Action plan, row 14"
    unreadable = [w for w in by_field["target_date"] if w.severity == "warning"]
    # Review-meeting notes in the target column (seed rec 2) and an impossible date both need a person.
    assert [(w.provenance.rows, w.message.split("'")[1]) for w in unreadable] == [
        ("row 5", "Discussion at 12 Jan review meeting:"), ("row 14", "31/02/2023")]
    no_date = [w for w in by_field["target_date"] if w.severity == "info"]
    assert any("no target date" in w.message and w.provenance.rows == "row 12" for w in no_date)
    assert "status" not in by_field  # every action's status was read


def test_unknown_status_is_warned(directory):
    plan = seed_like_plan()
    plan.recommendations[3].actions[0].completion_date_raw = ""
    normalise_plan(plan, directory)
    status_warnings = [w for w in plan.warnings if w.field == "status"]
    assert len(status_warnings) == 1
    assert "See minutes" in status_warnings[0].message and status_warnings[0].severity == "warning"
    assert plan.recommendations[3].actions[0].status == "unknown"


def test_named_staff_do_not_appear_in_warnings(directory):
    plan = normalised(directory)
    assert not any("Matt Burke" in w.message for w in plan.warnings)


def test_idempotent_and_keeps_importer_warnings(directory):
    plan = normalised(directory)
    first = [(w.field, w.message, w.severity) for w in plan.warnings]
    normalise_plan(plan, directory)
    assert [(w.field, w.message, w.severity) for w in plan.warnings] == first
    assert sum(1 for w in plan.warnings if w.field == "header") == 1


def test_no_second_warning_where_the_importer_already_warned(directory):
    plan = seed_like_plan()
    plan.warn(prov(5), "target_date_raw", "Recommendation No 2: the target column holds notes, not a clear date")
    normalise_plan(plan, directory)
    at_row_5 = [w for w in plan.warnings if w.provenance.rows == "row 5" and w.field.startswith("target_date")]
    assert [(w.field, is_normalise_warning(w)) for w in at_row_5] == [("target_date_raw", False)]
    assert any(w.field == "target_date" and w.provenance.rows == "row 14" for w in plan.warnings)


def test_rerun_after_correction_replaces_own_warnings(directory):
    plan = normalised(directory)
    action = plan.recommendations[3].actions[0]
    action.lead_agency_raw = "WCF"
    action.target_date_raw = "28/02/2023"
    normalise_plan(plan, directory)
    assert [a.canonical for a in action.lead_agencies] == ["Worcestershire Children First"]
    assert action.target_date == dt.date(2023, 2, 28)
    assert not any(w.provenance.rows == "row 14" and w.severity == "warning" for w in plan.warnings)
    assert any(w.field == "header" and not is_normalise_warning(w) for w in plan.warnings)


def test_alias_added_then_rerun_clears_the_warning(tmp_path):
    ref = tmp_path / "ref"
    ref.mkdir()
    shutil.copy(config.REFERENCE_DIR / "agencies.csv", ref / "agencies.csv")
    d = AgencyDirectory.load(ref)
    plan = normalise_plan(seed_like_plan(), d)
    assert any(w.field == "agency" and w.severity == "warning" for w in plan.warnings)
    d.add_alias("Wyre Piddle Befrienders", "Wyre Piddle Befriending Service", agency_type="Other")
    normalise_plan(plan, d)
    leads = plan.recommendations[3].actions[0].lead_agencies
    assert [r.canonical for r in leads] == ["Wyre Piddle Befriending Service", "Worcestershire Children First"]
    assert not any(w.field == "agency" and w.severity == "warning" for w in plan.warnings)


def test_fuzzy_agency_is_noted_for_review(directory):
    plan = seed_like_plan()
    plan.recommendations[2].actions[0].lead_agency_raw = "Clinical Commission oning Group."
    normalise_plan(plan, directory)
    notes = [w for w in plan.warnings if w.field == "agency" and "similar spelling" in w.message]
    assert len(notes) == 1 and notes[0].severity == "info"


def test_default_directory_is_used_when_none_given():
    plan = normalise_plan(seed_like_plan())
    assert plan.recommendations[1].owning_agencies[0].canonical == "Cranstoun"


@pytest.mark.parametrize("raw, scope", [("Local", "local"), ("Regional", "regional"), ("National", "national"),
                                         ("County-wide", "regional"), ("", None), ("n/a", None)])
def test_scope(raw, scope):
    assert read_scope(raw) == scope
