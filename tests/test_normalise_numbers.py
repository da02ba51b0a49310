"""Recommendation numbers as written -> clean number and numeric sort key."""
import pytest

from dhrlearn.normalise.numbers import clean_number


@pytest.mark.parametrize(
    "raw, number, key",
    [
        ("Recommendation No 1", "1", "0001"),  # seed
        ("Recommendation No. 1", "1", "0001"),
        ("Recommendation 10", "10", "0010"),  # seed
        ("Rec 3", "3", "0003"),
        ("Rec.3", "3", "0003"),
        ("R4", "4", "0004"),
        ("5.1", "5.1", "0005.0001"),
        ("3.140(a)", "3.140(a)", "0003.0140.a"),
        ("1a", "1a", "0001.a"),
        ("12 b)", "12b", "0012.b"),
        ("1.", "1", "0001"),
        ("#7", "7", "0007"),
        (3, "3", "0003"),
        (3.0, "3", "0003"),  # a spreadsheet number cell
    ],
)
def test_clean_number(raw, number, key):
    assert clean_number(raw) == (number, key)


def test_sort_keys_order_numerically():
    written = ["Recommendation 10", "Recommendation No 2", "5.1", "5.10", "5.2", "1a", "1", "12 b)", "12 a)", "3.140(a)"]
    ordered = sorted(written, key=lambda raw: clean_number(raw)[1])
    assert ordered == ["1", "1a", "Recommendation No 2", "3.140(a)", "5.1", "5.2", "5.10", "Recommendation 10",
                       "12 a)", "12 b)"]


def test_text_without_a_number_sorts_last():
    number, key = clean_number("Overview")
    assert number == "Overview"
    assert key > clean_number("9999")[1]


def test_empty():
    assert clean_number("") == ("", "") and clean_number(None) == ("", "")
