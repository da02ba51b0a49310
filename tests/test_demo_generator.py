"""The demo corpus generator and writers: realistic, deterministic, fictional, readable by the importers."""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter

import pytest

from dhrlearn import config
from dhrlearn.demo import DEMO_DIR, catalogue, generator, writers
from dhrlearn.importers import parse_bytes
from dhrlearn.importers.grid import looks_like_person
from dhrlearn.review import preview_bytes

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def cases():
    return generator.generate()


def latest_actions(cases):
    return [a for c in cases for a in c.plans[-1].actions]


def test_same_seed_same_corpus_other_seed_differs(cases):
    again = generator.generate()
    assert [c.plans for c in again] == [c.plans for c in cases]
    other = generator.generate(seed=7)
    assert [c.plans[0].recommendations[0].text for c in other] != [c.plans[0].recommendations[0].text for c in cases]


def test_corpus_shape(cases):
    assert 40 <= len(cases) <= 60
    assert len({c.meta.partnership for c in cases}) >= 6
    assert len({c.meta.year for c in cases}) >= 10
    assert len({(c.meta.partnership, c.meta.reference) for c in cases}) == len(cases)
    for case in cases:
        assert case.meta.is_demo
        assert 1 <= len(case.plans) <= 3
        assert 5 <= len(case.plans[0].recommendations) <= 20
        levels = {r.level for r in case.plans[0].recommendations}
        assert levels == {"overview", "single_agency"}, case.slug
        dates = [p.as_of_date for p in case.plans]
        assert dates == sorted(dates) and dates[-1] <= TODAY and dates[0].year > case.meta.year
    assert sum(len(c.plans) >= 2 for c in cases) >= 0.8 * len(cases)
    assert {c.format for c in cases} == {"docx", "pdf", "xlsx", "csv"}
    assert {c.layout for c in cases} == {"home_office", "seed"}


def test_partnerships_and_staff_are_fictional(cases):
    for name, place, _ in catalogue.PARTNERSHIPS:
        assert place in name
    assert not {c.meta.area for c in cases} & {"Worcestershire", "Birmingham", "London", "Manchester"}
    named = {a.named_lead for a in latest_actions(cases) if a.named_lead}
    assert named and named <= set(catalogue.STAFF)
    # Each staff name must read as a person, so the importers put it in the named-lead field.
    assert all(looks_like_person(name) for name in catalogue.STAFF)
    logged = {m for a in latest_actions(cases) for m in re.findall(r"\(([^()]*)\):", a.update_text)}
    assert logged <= set(catalogue.STAFF)


def test_agencies_come_from_the_reference_list(cases):
    with open(config.REFERENCE_DIR / "agencies.csv", newline="") as handle:
        reference = {row["canonical"]: row for row in csv.DictReader(handle)}
    used = Counter()
    written = set()
    for action in latest_actions(cases):
        for ref in action.lead_agencies:
            assert ref.canonical in reference and ref.agency_type == reference[ref.canonical]["type"]
            used[ref.canonical] += 1
            written.add(ref.raw)
    assert len(used) >= 12
    # Real plans abbreviate: some agencies are written as an alias, not the canonical name.
    aliases = {a for row in reference.values() for a in row["aliases"].split("|")}
    assert written & aliases
    assert not any("Worcester" in w or "Mercia" in w for w in written)


def test_themes_follow_national_proportions(cases):
    n = len(cases)
    mental = sum("mental_health" in c.features for c in cases) / n
    substance = sum("substance" in c.features for c in cases) / n
    trio = sum({"mental_health", "substance"} <= c.features for c in cases) / n
    assert 0.45 <= mental <= 0.8
    assert 0.3 <= substance <= 0.65
    assert 0.15 <= trio <= 0.45
    # The text carries the feature: no mental-health words in cases without it.
    for case in cases:
        text = " ".join(r.text + " " + " ".join(a.text + a.update_text for a in r.actions)
                        for r in case.plans[-1].recommendations).lower()
        if "mental_health" in case.features:
            assert any(w in text for w in ("mental health", "depression", "suicide")), case.slug
        else:
            assert "mental health" not in text and "suicide" not in text, case.slug


def test_learning_recurs_across_cases_in_different_words(cases):
    by_learning = {}
    for learning in catalogue.OVERVIEW + catalogue.SINGLE_AGENCY:
        texts = [r.text for c in cases for r in c.plans[0].recommendations
                 if r.text in {p.format(place=c.meta.area) for p in learning.phrasings}]
        by_learning[learning.key] = texts
    recurring = [k for k, texts in by_learning.items() if len(texts) >= 3 and len(set(texts)) >= 2]
    assert len(recurring) >= 10


def test_statuses_make_completion_overdue_and_ageing_interesting(cases):
    actions = latest_actions(cases)
    statuses = Counter(a.status for a in actions)
    assert set(statuses) == {"complete", "in_progress", "not_started", "off_track", "closed_other"}
    share_complete = statuses["complete"] / len(actions)
    assert 0.45 <= share_complete <= 0.8
    overdue = [a for a in actions if a.status not in ("complete", "closed_other") and a.target_date < TODAY]
    assert 0.1 <= len(overdue) / len(actions) <= 0.4
    ages = {(TODAY - a.target_date).days // 365 for a in overdue}
    assert len(ages) >= 3  # overdue by months and by years
    assert {a.target_precision for a in actions} >= {"day", "month", "quarter"}


def test_later_versions_complete_more_some_slip_some_new(cases):
    new_actions = slipped = 0
    for case in cases:
        for before, after in zip(case.plans, case.plans[1:]):
            old = {(r.number, a.text): a for r in before.recommendations for a in r.actions}
            new = {(r.number, a.text): a for r in after.recommendations for a in r.actions}
            assert set(old) <= set(new)
            new_actions += len(set(new) - set(old))
            for key, was in old.items():
                if was.status == "complete":
                    assert new[key].status == "complete"
                if new[key].target_date != was.target_date:
                    slipped += 1
                    assert new[key].target_date > was.target_date
            done = lambda plan: sum(a.status == "complete" for a in plan.actions)  # noqa: E731
            assert done(after) >= done(before)
    assert new_actions >= 5 and slipped >= 5


def test_update_text_speaks_of_training_uptake(cases):
    text = " ".join(a.update_text for c in cases for p in c.plans for a in p.actions).lower()
    for phrase in ("poor take up", "good uptake but this tailed off", "% of staff trained",
                   "all front-line officers trained by summer"):
        assert phrase in text, phrase


def test_committed_demo_files_match_the_generator(cases):
    expected = {c.file_name(v) for c in cases for v in range(len(c.plans))}
    on_disk = {p.name for p in DEMO_DIR.iterdir() if p.suffix in (".csv", ".xlsx", ".docx", ".pdf")}
    assert on_disk == expected, "run: .venv/bin/python -m dhrlearn.demo.writers"
    case = next(c for c in cases if c.format == "csv")
    assert (DEMO_DIR / case.file_name(0)).read_bytes() == writers.plan_bytes(case, 0)


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_writers_are_reproducible(cases, fmt):
    case = next(c for c in cases if c.format == fmt)
    assert writers.plan_bytes(case, 0) == writers.plan_bytes(case, 0)


def test_metadata_lines_and_columns(cases):
    case = next(c for c in cases if c.format == "csv" and c.layout == "home_office")
    rows = list(csv.reader(writers.plan_bytes(case, 0).decode().splitlines()))
    assert [r[0] for r in rows[:4]] == [
        f"Domestic Homicide Review: {case.meta.reference}",
        f"Community Safety Partnership: {case.meta.partnership}",
        f"Action plan as at: {case.plans[0].as_of_date:%d/%m/%Y}",
        f"Year of death: {case.meta.year}",
    ]
    assert rows[4] == writers.HOME_OFFICE_COLUMNS + ["Status"]
    assert rows[5][0] == writers.OVERVIEW_BANNER


@pytest.mark.parametrize("layout", ["home_office", "seed"])
def test_csv_file_reads_back_as_generated(cases, layout):
    """The raw cells and the normalised values come back from a written file (fast CSV check;
    the full round trip through every format and the store is in test_demo_roundtrip)."""
    case = next(c for c in cases if c.format == "csv" and c.layout == layout and len(c.plans) > 1)
    meant = case.plans[-1]
    parsed = parse_bytes(writers.plan_bytes(case, len(case.plans) - 1), case.file_name(len(case.plans) - 1))
    assert len(parsed) == 1
    assert (parsed[0].case.reference, parsed[0].case.partnership, parsed[0].case.year, parsed[0].as_of_date) == (
        meant.case.reference, meant.case.partnership, meant.case.year, meant.as_of_date)
    fields = ("text", "lead_agency_raw", "named_lead", "target_date_raw", "status_raw", "update_text")
    got = [(r.number_raw, r.text, r.level, r.owning_agencies_raw, [tuple(getattr(a, f) for f in fields) for a in r.actions])
           for r in parsed[0].recommendations]
    want = [(r.number_raw, r.text, r.level, r.owning_agencies_raw, [tuple(getattr(a, f) for f in fields) for a in r.actions])
            for r in meant.recommendations]
    assert got == want
    preview = preview_bytes(writers.plan_bytes(case, 0), case.file_name(0), {"is_demo": True})
    assert preview.ok and preview.plans[0].case.is_demo
    statuses = [(a.status, a.target_date, [x.canonical for x in a.lead_agencies]) for a in preview.plans[0].actions]
    assert statuses == [(a.status, a.target_date, [x.canonical for x in a.lead_agencies]) for a in case.plans[0].actions]
