"""Recurring recommendations: near-duplicates across different cases form groups; nothing else does."""
import random
import string

import pandas as pd
import pytest

from dhrlearn.recurring import content_words, group_recommendations

DASH_A = "West Mercia Police should ensure officers complete a DASH risk assessment at every domestic incident."
DASH_B = "Avon and Somerset Police should ensure that officers complete a DASH risk assessment at every domestic incident"
DVDS = "The CSP should review the information available about the Domestic Violence Disclosure Scheme and leaflets."
HOUSING = "Housing providers should ensure a victim's request to be rehoused is considered alongside the risk."


def recs(*rows):
    return pd.DataFrame(rows, columns=["recommendation_id", "case_id", "text"])


def groups_of(result):
    return sorted(sorted(g.recommendation_id.tolist()) for _, g in result.groupby("group_id"))


def test_near_identical_recommendations_of_two_cases_group():
    result = group_recommendations(recs((1, 10, DASH_A), (2, 20, DASH_B), (3, 20, DVDS), (4, 30, HOUSING)))
    assert groups_of(result) == [[1, 2]]
    assert list(result.columns) == ["group_id", "recommendation_id", "case_id", "similarity"]
    assert result.group_id.unique().tolist() == [1]
    assert sorted(result.case_id) == [10, 20]
    assert sorted(result.similarity)[-1] == 1.0 and 0.8 <= sorted(result.similarity)[0] < 1.0


def test_different_recommendations_do_not_group():
    assert group_recommendations(recs((1, 10, DASH_A), (2, 20, DVDS), (3, 30, HOUSING))).empty


def test_duplicates_within_one_case_do_not_count():
    assert group_recommendations(recs((1, 10, DASH_A), (2, 10, DASH_B), (3, 10, DASH_A))).empty


def test_a_case_repeating_itself_joins_a_group_that_spans_cases():
    result = group_recommendations(recs((1, 10, DASH_A), (2, 10, DASH_A), (3, 20, DASH_A), (4, 30, DVDS)))
    assert groups_of(result) == [[1, 2, 3]]
    assert set(result.similarity) == {1.0}


def test_groups_are_numbered_by_their_first_recommendation():
    dvds_again = DVDS.replace("The CSP", "The Community Safety Partnership")
    result = group_recommendations(recs(
        (5, 10, DVDS), (6, 20, dvds_again), (7, 30, DVDS),
        (1, 40, DASH_A), (2, 50, DASH_B),
        (9, 60, HOUSING),
    ))
    assert groups_of(result) == [[1, 2], [5, 6, 7]]
    first = result[result.group_id == 1]
    assert sorted(first.recommendation_id) == [1, 2]


def test_threshold_decides_how_near_is_near():
    loose = DASH_A.replace("at every domestic incident", "when attending calls about abuse at home")
    frame = recs((1, 10, DASH_A), (2, 20, loose))
    assert group_recommendations(frame).empty
    assert groups_of(group_recommendations(frame, threshold=0.6)) == [[1, 2]]


def test_content_words_drop_boilerplate():
    assert content_words("All agencies should ensure that staff receive DA training") == ["receive", "staff",
                                                                                          "training"]


def test_empty_and_bad_input():
    assert group_recommendations(recs()).empty
    with pytest.raises(ValueError, match="needs columns: text"):
        group_recommendations(pd.DataFrame({"recommendation_id": [1], "case_id": [1]}))


def test_many_recommendations_keep_their_groups():
    """Fifty cases each restate the same two learnings among recommendations of their own."""
    rng = random.Random(3)
    rows, rid = [], 0
    for case in range(50):
        own = " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 9))) for _ in range(10))
        for text in (DASH_A.replace("West Mercia", f"Force {case}"), DVDS, own):
            rid += 1
            rows.append((rid, case, text))
    result = group_recommendations(recs(*rows))
    assert result.groupby("group_id").case_id.nunique().sort_values().tolist() == [50, 50]
    assert len(result) == 100

