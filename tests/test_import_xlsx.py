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
