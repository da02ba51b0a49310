"""Training-uptake evidence in update text, classed negative / positive / planned."""
import pytest

from dhrlearn.uptake import UptakePhrasesError, find_uptake, load_phrases


def classes(text):
    return [(e.polarity, e.phrase) for e in find_uptake(text)]


@pytest.mark.parametrize("text, expected", [
    ("GPs commissioned Martin Lakeman April 21 - Mar 22. However a poor take up",
     [("negative", "poor take up")]),
    ("Good uptake but this tailed off", [("negative", "tailed off")]),
    ("Low attendance at the workshops", [("negative", "Low attendance")]),
    ("Not all staff have completed the DA module", [("negative", "Not all staff have completed")]),
    ("Only 12 of 40 GPs have completed the e-learning", [("negative", "Only 12 of 40 GPs have completed")]),
    ("Sessions cancelled twice due to low numbers", [("negative", "cancelled twice due to low numbers")]),
    ("85% of staff trained", [("positive", "85% of staff trained")]),
    ("Good uptake from GP practices", [("positive", "Good uptake")]),
    ("All recovery workers have completed level 2 DA e-learning.",
     [("positive", "All recovery workers have completed")]),
    ("The course was well attended", [("positive", "well attended")]),
    ("Will aim to have all front-line officers trained by the summer of 2023.",
     [("planned", "Will aim to have all front-line officers trained by the summer of 2023")]),
    ("Training for officers is planned for spring 2024.", [("planned", "is planned")]),
    # The issue's own example: a target date ("by summer 2023", "by 2024", "by end of March") is a plan.
    ("All front-line officers trained by summer 2023", [("planned", "trained by summer")]),
    ("DA training rolled out by 2024", [("planned", "rolled out by 2024")]),
    ("Training: staff trained by end of March", [("planned", "trained by end of March")]),
    ("All front-line officers have been trained", [("positive", "All front-line officers have been trained")]),
    ("Take-up of the DA training has been poor.", [("negative", "Take-up of the DA training has been poor")]),
    ("Uptake remains a challenge", [("negative", "Uptake remains a challenge")]),
    ("Staff didn't turn up to the briefing", [("negative", "didn't turn up to the briefing")]),
])
def test_uptake_classes(text, expected):
    assert classes(text) == expected


@pytest.mark.parametrize("text", [
    "DN - Worcs Acute - mandatory trg",
    "Mandatory training in place",
    "Right to ask applications up 20% since the campaign.",  # a percentage, but not of training
    "Referrals declined in Q2.",  # "declined" without any training word
    "Attendance of the victim at appointments was poor",  # a person's attendance, not training uptake
    "Complete",
    "",
    None,
])
def test_not_uptake_evidence(text):
    assert find_uptake(text) == []


def test_each_clause_gives_its_own_evidence_with_its_snippet():
    got = find_uptake("85% of staff trained; remaining staff booked on trng in January. Complete")
    assert [(e.polarity, e.snippet) for e in got] == [
        ("positive", "85% of staff trained"),
        ("planned", "remaining staff booked on trng in January."),
    ]
    both = find_uptake("Low attendance at the workshops; a further session is planned for the autumn.")
    assert [e.polarity for e in both] == ["negative", "planned"]


def test_a_typographic_apostrophe_is_read_and_shown_as_written():
    [evidence] = find_uptake("Staff didn\u2019t attend the training sessions.")
    assert (evidence.polarity, evidence.phrase) == ("negative", "didn\u2019t attend the training")
    assert evidence.snippet == "Staff didn\u2019t attend the training sessions."


def test_snippet_is_trimmed(monkeypatch):
    text = "Poor take up " + "of the sessions offered to staff " * 20
    (evidence,) = find_uptake(text)
    assert evidence.polarity == "negative" and len(evidence.snippet) <= 240 and evidence.snippet.endswith("…")


def test_bad_phrases_file_names_file_and_line(tmp_path):
    path = tmp_path / "uptake.csv"
    path.write_text("# c\npolarity,needs_context,pattern\nnegative,no,poor uptake\nsideways,no,x\n")
    with pytest.raises(UptakePhrasesError, match=r"uptake.csv, line 4: polarity 'sideways'"):
        load_phrases(path)
    path.write_text("polarity,needs_context,pattern\nnegative,maybe,x\n")
    with pytest.raises(UptakePhrasesError, match=r"line 2: needs_context must be yes or no"):
        load_phrases(path)


def test_a_broken_phrases_file_stops_an_import_and_a_retag_with_its_reason(tmp_path, monkeypatch, capsys):
    import argparse
    from pathlib import Path

    from dhrlearn import review, themes, uptake
    from dhrlearn.store import db

    seed = Path(__file__).parent / "fixtures" / "tabular" / "seed_home_office.csv"
    con = db.connect(tmp_path / "store.duckdb")
    broken = tmp_path / "uptake_phrases.csv"
    broken.write_text("polarity,needs_context,pattern\nvery poor,yes,take up\n", encoding="utf-8")
    monkeypatch.setattr(uptake, "PHRASES_FILE", broken)
    uptake.phrases.cache_clear()
    try:
        result = review.import_file(con, seed)
        assert result.outcome == "failed" and "not stored, nothing was changed" in result.message
        assert "uptake_phrases.csv, line 2: polarity 'very poor'" in result.message
        assert con.execute("SELECT count(*) FROM plan_version").fetchone() == (0,)
        con.close()
        assert themes.run_cli(argparse.Namespace(db=tmp_path / "store.duckdb")) == 2
        assert "uptake_phrases.csv, line 2" in capsys.readouterr().out
    finally:
        monkeypatch.undo()
        uptake.phrases.cache_clear()
