"""UK dates as written in action plans -> (date, precision); periods mean their last day."""
import datetime as dt

import pytest

from dhrlearn.model import PRECISIONS
from dhrlearn.normalise.dates import parse_uk_date

D = dt.date


@pytest.mark.parametrize(
    "raw, date, precision",
    [
        ("12.01.2023", D(2023, 1, 12), "day"),  # seed
        ("12/01/2023", D(2023, 1, 12), "day"),
        ("12-01-23", D(2023, 1, 12), "day"),
        ("1/2/2023", D(2023, 2, 1), "day"),  # day first: 1 February, never 2 January
        ("2023-01-12", D(2023, 1, 12), "day"),
        ("2023-01-12 00:00:00", D(2023, 1, 12), "day"),  # a datetime written out by a spreadsheet
        ("12 Jan 2023", D(2023, 1, 12), "day"),
        ("12th January 2023", D(2023, 1, 12), "day"),
        ("Jan 2023", D(2023, 1, 31), "month"),  # seed
        ("January 2023", D(2023, 1, 31), "month"),
        ("Feb 2024", D(2024, 2, 29), "month"),
        ("Jan-23", D(2023, 1, 31), "month"),
        ("Sept 2023", D(2023, 9, 30), "month"),
        ("Q1 2023/24", D(2023, 6, 30), "quarter"),
        ("Q4 2023/24", D(2024, 3, 31), "quarter"),
        ("Q4 2023", D(2023, 12, 31), "quarter"),
        ("summer of 2023", D(2023, 8, 31), "season"),  # seed
        ("Summer 2023", D(2023, 8, 31), "season"),
        ("Spring 2024", D(2024, 5, 31), "season"),
        ("Autumn 2023", D(2023, 11, 30), "season"),
        ("Winter 2023", D(2024, 2, 29), "season"),
        ("April 21 - Mar 22", D(2022, 3, 31), "month"),  # seed: the end of the range
        ("01/04/2021 - 31/03/2022", D(2022, 3, 31), "day"),
        ("2023", D(2023, 12, 31), "year"),
        ("2023/24", D(2024, 3, 31), "year"),
        ("By end of March 2023", D(2023, 3, 31), "month"),
        ("Target: 30th June 2023", D(2023, 6, 30), "day"),
        ("03/2025", D(2025, 3, 31), "month"),  # month and year in figures: raised IndexError
        ("3-2025", D(2025, 3, 31), "month"),
    ],
)
def test_dates(raw, date, precision):
    result = parse_uk_date(raw)
    assert (result.date, result.precision) == (date, precision)
    assert result.confidence >= 0.8
    assert result.precision in PRECISIONS


@pytest.mark.parametrize("raw", ["Ongoing", "BAU", "Business as usual", "N/A", "n/a", "TBC"])
def test_no_date_words_are_understood_as_no_date(raw):
    result = parse_uk_date(raw)
    assert (result.date, result.precision) == (None, "none")
    assert result.understood and result.matched == raw


@pytest.mark.parametrize("raw", ["31/02/2023", "29/02/2023", "12/13/2023", "Q1 2023/25"])
def test_impossible_dates_read_as_nothing(raw):
    result = parse_uk_date(raw)
    assert result.date is None
    assert not result.understood


def test_date_inside_free_text_is_found_with_lower_confidence():
    result = parse_uk_date("Reviewed at 12.01.2023")  # seed
    assert (result.date, result.precision, result.matched) == (D(2023, 1, 12), "day", "12.01.2023")
    assert result.confidence <= 0.5


def test_most_precise_date_in_text_wins():
    text = "will aim to have all front-line officers trained by the summer of 2023. Reviewed 12/01/2023"
    assert parse_uk_date(text).date == D(2023, 1, 12)
    assert parse_uk_date(text[:70]).date == D(2023, 8, 31)


def test_review_meeting_notes_without_a_year_are_unreadable():
    # Seed target-date column: "Discussion at 12 Jan review meeting: ..." has no year to anchor it.
    assert parse_uk_date("Discussion at 12 Jan review meeting: DVDS team audit take place").date is None


def test_matched_text_is_as_written():
    assert parse_uk_date("Jan 2023").matched == "Jan 2023"
    assert parse_uk_date("  by the end of Summer 2023 ").matched == "Summer 2023"


def test_date_objects_pass_through():
    assert parse_uk_date(dt.datetime(2023, 1, 12, 9, 30)) .date == D(2023, 1, 12)
    result = parse_uk_date(D(2023, 1, 12))
    assert (result.date, result.precision, result.confidence) == (D(2023, 1, 12), "day", 1.0)


def test_spreadsheet_year_number():
    assert parse_uk_date(2023).date == D(2023, 12, 31)
    assert parse_uk_date(2023.0).precision == "year"
    assert parse_uk_date(44938.5).date is None


def test_empty_and_nonsense():
    for raw in (None, "", "   ", "see above", "1999999"):
        assert parse_uk_date(raw).date is None


@pytest.mark.parametrize("raw, date", [
    ("Dec 2024 (revised to Mar 2025)", D(2025, 3, 31)),
    ("31/03/24 revised 30/09/24", D(2024, 9, 30)),
    ("Original target Mar 2024; revised target Sep 2024", D(2024, 9, 30)),
    ("Mar 24 revised to Jun 24, revised to Sep 24", D(2024, 9, 30)),  # the last revision
    ("31/12/2024 - deferred until Spring 2025", D(2025, 5, 31)),
    ("Mar 2025 - extended from Dec 2024", D(2025, 3, 31)),  # "from" names the old target
    ("Revised: 30/06/2025 (was 31/03/2025)", D(2025, 6, 30)),
])
def test_a_revised_target_is_the_target_now(raw, date):
    assert parse_uk_date(raw).date == date
