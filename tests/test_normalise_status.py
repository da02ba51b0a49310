"""Status words -> normalised status, per data/reference/status_words.csv and DOMAIN.md."""
import pytest

from dhrlearn.model import STATUSES
from dhrlearn.normalise.status import StatusVocabulary, classify_status

# The seed plan's update texts (Case 16), shortened in the middle but with their real endings.
REC7_UPDATE = (
    "Update from Cranstoun: I am confident we have completed the first two actions some time ago. "
    "Unfortunately, whilst I can see some email communication, due to system changes since then I am "
    "struggling to locate the team minutes for these actions. ... I will communicate to you directly once "
    "all teams have discussed this and I have seen evidence in the minutes. Complete"
)
REC8_UPDATE = REC7_UPDATE[: -len("Complete")] + "Incomplete - to be updated"
REC9_UPDATE = (
    "Cranstoun advise that this is business as usual and entirely in keeping with existing practices "
    "and expectations Complete"
)


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("Complete", "complete"),
        ("Completed", "complete"),
        ("Signed off", "complete"),
        ("BAU", "complete"),
        ("In progress", "in_progress"),
        ("Partially complete", "in_progress"),
        ("Not started", "not_started"),
        ("Not yet due", "not_started"),
        ("Update awaited", "not_started"),
        ("Incomplete", "off_track"),
        ("Slipped", "off_track"),
        ("Not achieved", "off_track"),
        ("Superseded", "closed_other"),
        ("Closed - superseded", "closed_other"),
        ("Closed", "complete"),
        ("COMPLETE", "complete"),
        ("not-started", "not_started"),
        # Plans that grade each recommendation met / partially met / not met
        ("Met", "complete"),
        ("Partially met", "in_progress"),
        ("Not met", "off_track"),
        ("In hand", "in_progress"),
    ],
)
def test_status_cell_words(cell, expected):
    result = classify_status(cell)
    assert result.status == expected
    assert result.word.lower().replace("-", " ") == cell.lower().replace("-", " ")


def test_met_in_a_sentence_is_not_a_status():
    assert classify_status("", "Met with the GP lead on 12/3").status == "unknown"
    assert classify_status("", "Recommendation met - JB").status == "complete"


def test_longest_phrase_wins_over_words_inside_it():
    assert classify_status("Partially complete - training half done").status == "in_progress"
    assert classify_status("Not started yet").status == "not_started"
    assert classify_status("Incomplete").word == "Incomplete"


def test_seed_update_text_endings_decide():
    rec7 = classify_status("", REC7_UPDATE)
    assert (rec7.status, rec7.word) == ("complete", "Complete")
    rec8 = classify_status("", REC8_UPDATE)
    assert (rec8.status, rec8.word) == ("off_track", "Incomplete")
    assert classify_status("", REC9_UPDATE).word == "Complete"


def test_status_word_mid_text_does_not_decide():
    text = REC7_UPDATE[: -len(" Complete")]  # ends "...evidence in the minutes."
    assert classify_status("", text).status == "unknown"
    assert classify_status("", "We have completed the first two actions").status == "unknown"


def test_planned_completion_is_not_completion():
    assert classify_status("To be completed by March 2023").status == "unknown"
    assert classify_status("To be completed by March 2023 - delayed").status == "off_track"
    assert classify_status("", "Training will be completed").status == "unknown"
    assert classify_status("", "Audit due to complete").status == "unknown"
    assert classify_status("", "The new flow chart will become business as usual").status == "unknown"


def test_end_word_may_be_followed_by_a_date_or_aside():
    assert classify_status("", "All teams briefed. Complete 12/01/2023").status == "complete"
    assert classify_status("", "Policy revised. Complete (see minutes)").status == "complete"
    assert classify_status("", "Delayed: awaiting sign off - revised date March").status == "off_track"
    assert classify_status("", "Policy revised. Complete as of Jan 2023").status == "complete"


def test_a_date_then_a_signature_may_follow_the_end_word():
    # Trackers sign and date their updates: the status word is then not the last word.
    for text in ("Audit completed in May 2025 - JB", "Completed May 2025 - JB", "Audit completed in May 2025 (JB)",
                 "Completed 12/05/25; JB"):
        assert classify_status("", text).status == "complete", text
    assert classify_status("", "Delayed - revised date 3 March - KP chasing").status == "off_track"
    # A number that is no date, or a plan, still does not decide.
    for text in ("Completed 3 of 5 sessions - JB", "Complete 50% - rest by Dec",
                 "Training will be completed by June 2025 - JB"):
        assert classify_status("", text).status == "unknown", text


def test_business_as_usual_anywhere_is_complete_with_lower_confidence():
    result = classify_status("", "Cranstoun advise that this is business as usual and in keeping with practice")
    assert result.status == "complete"
    assert result.word == "business as usual"
    assert result.confidence < classify_status("Complete").confidence


def test_status_cell_wins_over_text_and_rag():
    assert classify_status("Ongoing", "... Complete", "Red").status == "in_progress"


def test_unrecognised_cell_falls_through_to_text_then_rag():
    assert classify_status("See update", "... Complete").status == "complete"
    assert classify_status("See update", "no status here", "Amber").status == "in_progress"


@pytest.mark.parametrize(
    "rag, expected", [("Blue", "complete"), ("Amber", "in_progress"), ("Red", "off_track"), ("R", "off_track")]
)
def test_rag(rag, expected):
    assert classify_status("", "", rag).status == expected


def test_green_is_complete_with_low_confidence():
    green = classify_status("", "", "Green")
    assert green.status == "complete"
    assert green.confidence < 0.7 < classify_status("", "", "Blue").confidence


def test_rag_colours_in_free_text_are_not_statuses():
    assert classify_status("", "Response drafted to the Green").status == "unknown"
    assert classify_status("", "Update due in a").status == "unknown"  # RAG letters only as a whole cell


def test_unknown():
    result = classify_status("", "")
    assert (result.status, result.word, result.confidence) == ("unknown", "", 0.0)
    assert classify_status("Chased 12 Jan").status == "unknown"


def test_vocabulary_is_extendable(tmp_path):
    path = tmp_path / "status_words.csv"
    path.write_text("word,status,match,confidence,notes\nSorted,complete,end,0.7,local slang\n", encoding="utf-8")
    vocab = StatusVocabulary.load(path)
    result = classify_status("", "Leaflets printed. Sorted", vocabulary=vocab)
    assert (result.status, result.word) == ("complete", "Sorted")
    assert classify_status("Complete", vocabulary=vocab).status == "unknown"


def test_vocabulary_file_errors_name_the_line(tmp_path):
    path = tmp_path / "status_words.csv"
    path.write_text("word,status\nDone,finished\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"status_words.csv line 2: status 'finished'"):
        StatusVocabulary.load(path)


def test_a_tick_alone_in_the_status_cell_is_complete_and_a_cross_is_not_read():
    for tick in ("✔", "✓", "☑", "✅", " ✔️ "):
        result = classify_status(tick)
        assert (result.status, result.word) == ("complete", tick.strip()), tick
    assert classify_status("", "", rag="✓").status == "complete"
    for other in ("✘", "✗", "❌", "X", "✔ partly", "Leaflets ✔"):
        assert classify_status(other).status == "unknown", other


def test_yes_answers_a_completed_question_but_is_no_rag_colour():
    assert [classify_status(s).status for s in ("Yes", "Y", " y ", "No", "N", "Yes, partly")] == \
        ["complete", "complete", "complete", "unknown", "unknown", "unknown"]
    assert classify_status("", "", rag="Y").status == "unknown"  # yellow, on some RAG scales
    assert classify_status("", "Leaflets printed. Yes", "").status == "unknown"  # never from update text


def test_a_vocabulary_word_no_cell_could_match_is_refused(tmp_path):
    path = tmp_path / "status_words.csv"
    path.write_text("word,status,match\n★,complete,whole\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"status_words.csv line 2: '★' has no letter, digit or tick"):
        StatusVocabulary.load(path)


def test_shipped_vocabulary_covers_domain_table():
    vocab = StatusVocabulary.load()
    for word in ("Complete", "Achieved", "Embedded", "On track", "Underway", "Planned", "Overdue", "Withdrawn",
                 "Transferred", "Paused", "Not agreed", "Awaiting update"):
        assert vocab.lookup(word).status in STATUSES
