"""The search query against a brute-force reading of the same rows, its $limit, $fields and totals, and
the search tables (migration 004_search.sql) kept in step at import and at a newer plan version."""
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from dhrlearn import review
from dhrlearn.filters import Filters
from dhrlearn.store import db
from dhrlearn.store.facts import SEARCH
from fixture_db import add_action, add_case, add_plan_version, add_recommendation, add_theme, make_db
from test_facts import out_of_step

SEED_CSV = Path(__file__).parent / "fixtures" / "tabular" / "seed_home_office.csv"
AS_OF = dt.date(2023, 3, 1)
POLICE, WOMENS_AID = "West Mercia Police", "Women's Aid"


@pytest.fixture(scope="module")
def con():
    """Three cases; their texts repeat across versions and differ in case, as real plans do."""
    con = make_db()
    north = add_case(con, "DHR 1", partnership="North CSP", year=2020)
    old = add_plan_version(con, north, as_of_date="2022-01-01")
    new = add_plan_version(con, north, as_of_date="2023-01-01")
    for pv, update in ((old, "Training booked."), (new, "TRAINING delivered; retraining due in 2024.")):
        r1 = add_recommendation(con, pv, "1", "Train all staff in risk assessment", owners=[WOMENS_AID])
        add_action(con, r1, "Deliver DASH training to staff", leads=[POLICE], update_text=update)
        add_action(con, r1, "Audit risk referrals", update_text="")
        r2 = add_recommendation(con, pv, "2", "Review the training offer", level="single_agency")
        add_action(con, r2, None, update_text="Staff training reviewed; training needs found.")
        add_recommendation(con, pv, "3", "Training without any action")  # no action: never a hit
        add_theme(con, r2, "training")
    south = add_case(con, "DHR 2", partnership="South CSP", year=2021)
    pv = add_plan_version(con, south, as_of_date="2022-06-30")
    r1 = add_recommendation(con, pv, "1", "Staff TRAINING on coercive control", owners=[POLICE])
    add_action(con, r1, "Commission training for staff", leads=[WOMENS_AID])
    add_action(con, r1, "Train staff in risk: training, training", status="complete")
    r10 = add_recommendation(con, pv, "10", "Share risk information", level="single_agency")
    add_action(con, r10, "Staff training on sharing risk", leads=[POLICE])
    later = add_case(con, "DHR 3", partnership="South CSP", year=2022)
    r = add_recommendation(con, add_plan_version(con, later, as_of_date="2023-06-30"), "1", "Training staff")
    add_action(con, r, "Training staff")  # dated after AS_OF: not in force
    yield con
    con.close()


def brute_force(con, q: str, partnerships=(), levels=(), agencies=(), themes=(), fields=()) -> list[tuple]:
    """Every hit worked out row by row in Python, in the order the query gives them."""
    words = q.lower().split()
    if not words:
        return []
    in_force = {}
    for case_id, pv, date in con.execute("SELECT case_id, plan_version_id, as_of_date FROM plan_version").fetchall():
        if date <= AS_OF and (case_id not in in_force or date > in_force[case_id][1]):
            in_force[case_id] = (pv, date)
    versions = {pv for pv, _ in in_force.values()}
    cases = {c: (p, r) for c, p, r in con.execute("SELECT case_id, partnership, reference FROM dhr_case").fetchall()}
    recs = {r[0]: r for r in con.execute(
        "SELECT recommendation_id, plan_version_id, case_id, text, level, sort_key FROM recommendation").fetchall()}
    actions = con.execute("SELECT action_id, recommendation_id, seq, text, update_text FROM action").fetchall()
    links = con.execute("SELECT recommendation_id, action_id, role, agency FROM agency_link").fetchall()
    theme_rows = con.execute("SELECT recommendation_id, action_id, theme FROM theme_match WHERE axis = 'topic'").fetchall()

    def agencies_of(rec_id, action_id):
        leads = {a for r, act, role, a in links if role == "lead" and act == action_id}
        return leads or {a for r, act, role, a in links if role == "owner" and r == rec_id and act is None}

    def themes_of(rec_id, action_id):
        return {t for r, act, t in theme_rows if act == action_id or (act is None and r == rec_id)}

    def selected(rec_id, action_id):
        return ((not agencies or agencies_of(rec_id, action_id) & set(agencies))
                and (not themes or themes_of(rec_id, action_id) & set(themes)))

    def hit(rec_id, action_id, seq, field, text):
        _, pv, case_id, _, level, sort_key = recs[rec_id]
        partnership, reference = cases[case_id]
        lower = (text or "").lower()
        if (pv not in versions or not all(w in lower for w in words) or (partnerships and partnership not in partnerships)
                or (levels and level not in levels) or (fields and field not in fields)):
            return None
        score = (1000 if q.strip().lower() in lower else 0) + sum(lower.count(w) for w in words)
        return (-score, partnership, reference, sort_key, -1 if seq is None else seq, field, case_id, rec_id, action_id)

    found = []
    for action_id, rec_id, seq, text, update in actions:
        if selected(rec_id, action_id):
            found += [hit(rec_id, action_id, seq, "action", text), hit(rec_id, action_id, seq, "update", update)]
    for rec_id, (_, _, _, text, _, _) in recs.items():
        if any(r == rec_id and selected(rec_id, a) for a, r, *_ in actions):
            found.append(hit(rec_id, None, None, "recommendation", text))
    return [(-h[0], h[6], h[7], h[8], h[5]) for h in sorted(h for h in found if h)]


def search(con, q, limit=None, fields=(), **filters):
    return db.query(con, "search", **Filters(as_of=AS_OF, **filters).params(), q=q, fields=list(fields), limit=limit)


def rows(df) -> list[tuple]:
    return [(int(r.score), r.case_id, r.recommendation_id, None if pd.isna(r.action_id) else int(r.action_id),
             r.field) for r in df.itertuples()]


@pytest.mark.parametrize("q", ["training", "Training staff", "  TRAINING  ", "risk", "staff risk", "retraining",
                               "train staff", "nothing like this", "   "])
def test_every_word_in_any_case_in_the_plans_in_force(con, q):
    assert rows(search(con, q)) == brute_force(con, q)


@pytest.mark.parametrize("filters", [
    {"partnerships": ("South CSP",)}, {"levels": ("single_agency",)}, {"agencies": (POLICE,)},
    {"agencies": (WOMENS_AID,), "levels": ("overview",)}, {"themes": ("training",)},
])
def test_the_shared_filters(con, filters):
    expected = brute_force(con, "training", **filters)
    assert expected and rows(search(con, "training", **filters)) == expected


def test_a_recommendation_hit_needs_one_selected_action(con):
    by_agency = rows(search(con, "coercive", agencies=(WOMENS_AID,)))
    assert [r[4] for r in by_agency] == ["recommendation"]  # its first action is Women's Aid's
    assert rows(search(con, "coercive", agencies=("Probation Service",))) == []


def test_limit_keeps_the_best_rows_and_the_totals_count_them_all(con):
    every = search(con, "training")
    first = search(con, "training", limit=3)
    assert rows(first) == rows(every)[:3]
    assert set(first.total_rows) == {len(every)} and set(first.total_cases) == {every.case_id.nunique()} == {2}
    assert search(con, "nothing like this", limit=3).empty


def test_fields_narrow_before_the_limit(con):
    updates = search(con, "training", limit=2, fields=["update"])
    expected = brute_force(con, "training", fields=("update",))
    assert rows(updates) == expected[:2] and set(updates.total_rows) == {len(expected)} == {2}


def test_the_text_shown_is_as_written(con):
    hit = search(con, "retraining").iloc[0]
    assert hit.text == hit.snippet == "TRAINING delivered; retraining due in 2024."
    assert (hit.reference, hit.recommendation_number, hit.action_seq, hit.src_file) == ("DHR 1", "1", 1, "fixture")


def test_a_typographic_apostrophe_and_a_plain_one_find_each_other():
    """Word writes "Clare’s Law"; a person types "Clare's Law" (and the other way round)."""
    con = make_db()
    pv = add_plan_version(con, add_case(con, "DHR 9"), as_of_date="2022-01-01")
    r = add_recommendation(con, pv, "1", "Raise awareness of Clare\u2019s Law")
    add_action(con, r, "Publicise the scheme", update_text="Leaflets on Clare's Law in every GP practice")
    for q in ("clare's law", "Clare\u2019s Law"):
        got = search(con, q)
        assert sorted(got.field) == ["recommendation", "update"], q
        assert (got.score >= 1000).all()  # the whole phrase, not only its words
        assert set(got.text) == {"Raise awareness of Clare\u2019s Law", "Leaflets on Clare's Law in every GP practice"}
    con.close()


def test_highlighting_marks_either_apostrophe():
    from ui.components import highlight
    marked = highlight("Clare\u2019s Law and Clare's Law", ["clare's law"])
    assert marked.count("<mark>") == 2


def test_each_distinct_text_is_stored_once(con):
    texts = con.execute("SELECT count(*), count(DISTINCT text) FROM search_text").fetchone()
    assert texts[0] == texts[1]
    # "Train all staff in risk assessment" is used by both versions of DHR 1, stored once.
    uses = con.execute("SELECT count(*) FROM search_text_use u JOIN search_text s USING (text_id) "
                       "WHERE s.text = 'Train all staff in risk assessment'").fetchone()[0]
    assert uses == 2
    assert out_of_step(con) == {}


@pytest.fixture
def imported(tmp_path):
    con = db.connect(tmp_path / "search.duckdb")
    assert review.import_file(con, SEED_CSV).outcome == "imported"
    yield con
    con.close()


def newer_seed(tmp_path) -> Path:
    """The seed plan updated in June 2023 with one action reworded."""
    text = SEED_CSV.read_text(encoding="utf-8-sig")
    assert "Updated 12/01/2023" in text and "tailored domestic abuse training programme" in text
    newer = tmp_path / "seed_home_office_june.csv"
    newer.write_text(text.replace("Updated 12/01/2023", "Updated 12/06/2023")
                     .replace("tailored domestic abuse training programme", "tailored domestic abuse refresher course"),
                     encoding="utf-8")
    return newer


def test_an_import_fills_the_search_tables(imported):
    counts = {t: imported.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in SEARCH}
    assert counts["search_text"] > 0 and counts["search_text_use"] >= counts["search_text"]
    assert out_of_step(imported) == {}
    hits = db.query(imported, "search", **Filters().params(), q="tailored domestic abuse", fields=[], limit=None)
    assert hits.recommendation_number.tolist() == ["1", "6"] and set(hits.field) == {"update"}


def test_a_newer_version_adds_its_new_texts_only(imported, tmp_path):
    texts_before = imported.execute("SELECT count(*) FROM search_text").fetchone()[0]
    assert review.import_file(imported, newer_seed(tmp_path)).outcome == "imported"
    # The two updates reworded are the only new texts; the others are shared with the first version.
    assert imported.execute("SELECT count(*) FROM search_text").fetchone()[0] == texts_before + 2
    assert out_of_step(imported) == {}
    phrase = "tailored domestic abuse training programme"
    now = db.query(imported, "search", **Filters().params(), q="tailored", fields=[], limit=None)
    before_june = db.query(imported, "search", **Filters(as_of=dt.date(2023, 3, 1)).params(), q="tailored",
                           fields=[], limit=None)
    assert [phrase in t for t in now.text] == [False, False]
    assert [phrase in t for t in before_june.text] == [True, True]


@pytest.fixture
def search_page(tmp_path, monkeypatch):
    """The Search page over a case whose 30 actions and their updates all mention training."""
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT

    path = tmp_path / "page.duckdb"
    con = make_db(str(path))
    rec = add_recommendation(con, add_plan_version(con, add_case(con, "DHR 7"), as_of_date="2023-01-31"), "1",
                             "Improve training")
    for n in range(1, 31):
        add_action(con, rec, f"Training step {n}", update_text=f"Training step {n} delivered")
    con.close()
    monkeypatch.setenv("DHR_DB", str(path))

    def open_page(q: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params.update({"as_of": AS_OF.isoformat(), "q": q})
        at.switch_page("pages/search.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def test_the_page_shows_the_best_passages_and_counts_them_all(search_page):
    at = search_page("training")
    assert any(m.value.startswith("**61 passages** in 1 cases") for m in at.markdown)
    assert sum(c.value.startswith("Source:") for c in at.caption) == 50
    assert any(c.value.startswith("The best 50 of 61") for c in at.caption)
    assert [b.label for b in at.get("download_button")] == ["Download XLSX", "Download CSV"]
