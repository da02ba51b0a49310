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
