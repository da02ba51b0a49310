"""The theme model: its reading of a text matches scikit-learn's, it confirms, drops and adds themes at its
thresholds with the words that weighed most, the shipped file is what the labelled texts train, and a
changed model makes stored tags stale."""
import gc
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from dhrlearn import review, theme_model, themes
from dhrlearn.store import db
from dhrlearn.theme_model import ThemeModel, load, save, train

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from train_theme_model import trained_model, training_rows  # noqa: E402

SEED_CSV = Path(__file__).parent / "fixtures" / "tabular" / "seed_home_office.csv"


def tiny_model(confirm=0.1, add=0.6) -> ThemeModel:
    """Two themes over three words, weights chosen so the probabilities are easy to work out."""
    return ThemeModel(themes=("health_primary_care", "training"), words=["gp", "leaflets", "trained"],
                      idf=np.ones(3), weights=np.array([[3.0, 0.0], [-9.0, 0.0], [0.0, 9.0]]),
                      intercepts=np.array([0.0, -2.0]), confirm=confirm, add=add)


def test_the_text_is_read_as_scikit_learn_reads_it():
    texts = [row["text"] for row in training_rows()][:400]
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                 preprocessor=theme_model.prepared, token_pattern=theme_model.TOKEN_PATTERN).fit(texts)
    model = ThemeModel(themes=("t",), words=list(vectorizer.get_feature_names_out()), idf=vectorizer.idf_,
                       weights=np.zeros((len(vectorizer.idf_), 1)), intercepts=np.zeros(1), confirm=0.1, add=0.6)
    odd = ["Trg for GPs: 85% of staff trained by 31/03/2024", "", "x", "12 2021 q3 3rd _1 1_a a_",
           "01/06/2024 (DS B. Sample): dip sample of 20 cases. Lead: L&D. Measure: 90%"]
    expected = vectorizer.transform(texts + odd).toarray()
    assert not any(word.isdigit() for word in vectorizer.get_feature_names_out())
    for text, row in zip(texts + odd, expected):
        rows, values = model._values(model._counts(theme_model.prepared(text))) if text.strip() else ([], [])
        got = np.zeros(len(row))
        got[rows] = values
        assert np.allclose(got, row, atol=1e-12), text


def test_plain_text_is_split_into_the_words_the_regex_finds():
    """ASCII text is split by a byte translation (faster); its words must be the regex's, word for word."""
    rng = np.random.default_rng(4)
    alphabet = list("ab1 _-'.&/()\t\n9z") + ["\u00a0", "\u00e9"]
    fuzz = ["".join(rng.choice(alphabet, size=rng.integers(0, 30))) for _ in range(3000)]
    texts = [theme_model.prepared(row["text"]) for row in training_rows()] + fuzz + [
        "a1 1a 2021 q3 3rd", "clare's law; a&e/ed (cmht) 7-min e-learning", "x y\tzz\nqq 12 a", "snake_case _1 1_"]
    assert all(theme_model.tokens(text) == theme_model.TOKEN.findall(text) for text in texts)
    assert theme_model.tokens("clare's law: 85% of a&e staff trained 2024") == ["clare", "law", "of", "staff", "trained"]


def test_many_texts_read_at_once_score_as_each_read_alone():
    """`readings` counts words and pairs over all the texts laid end to end: a pair must never be made of
    one text's last word and the next text's first, and a text with no known word scores its intercepts."""
    model = load(theme_model.MODEL_FILE)
    texts = [theme_model.prepared(row["text"]) for row in training_rows()][:300]
    pair = next(w for w in model.words if " " in w)  # a known pair split over two texts, then kept whole
    texts += [pair.split(" ")[0], pair.split(" ")[1], "", "zzqx", pair, f"{pair} {pair} {pair}"]
    together = model.readings(texts)
    for text, reading in zip(texts, together):
        alone = model.reading(text)
        assert np.allclose(reading.scores, alone.scores, atol=1e-9), text
        assert reading.sure == alone.sure, text
    assert together[-6].scores != together[-2].scores  # the pair counts only where it is whole
    assert np.allclose(together[-3].scores, model.intercepts)


def test_a_theme_the_model_doubts_is_dropped_and_one_it_is_sure_of_is_added_with_its_words():
    model = tiny_model()
    # "GP leaflets": health scores 1/sqrt(2)*(3-9) -> p 0.015 < 0.1, dropped although a rule found it.
    assert model.review("GP leaflets", {"health_primary_care": ["GP"]}) == {}
    # "GP": health p = sigmoid(3) = 0.95; kept with the rule's words, not the model's.
    assert model.review("GP", {"health_primary_care": ["GP"]}) == {"health_primary_care": ["GP"]}
    # "trained": training p = sigmoid(9 - 2) > 0.6, added with the word that weighed for it.
    assert model.review("Staff trained", {}) == {"training": ["trained"]}
    # Themes the model does not read pass through as the rules found them.
    assert model.review("GP leaflets", {"toxic_trio": ["toxic trio"]}) == {"toxic_trio": ["toxic trio"]}


def test_the_thresholds_decide():
    assert tiny_model(confirm=0.0).review("GP leaflets", {"health_primary_care": ["GP"]}) == {
        "health_primary_care": ["GP"]}
    assert tiny_model(add=1.01).review("Staff trained", {}) == {}


def test_a_saved_model_reads_as_the_one_trained(tmp_path):
    rows = training_rows()[:300]
    trained = train([r["text"] for r in rows], [{t.strip() for t in r["topics"].split(";") if t.strip()} for r in rows],
                    themes.taxonomy().topic_themes())
    save(trained, tmp_path / "model.npz")
    loaded = load(tmp_path / "model.npz")
    assert loaded.themes == trained.themes and "toxic_trio" not in loaded.themes
    for row in rows[:50]:
        read = theme_model.prepared(row["text"])
        assert np.allclose(loaded.probabilities(read), trained.probabilities(read), atol=1e-4)


def test_the_shipped_model_is_what_the_labelled_texts_train():
    """Retrain with `.venv/bin/python scripts/train_theme_model.py` after changing labels, then re-tag."""
    shipped, fresh = load(theme_model.MODEL_FILE), trained_model()
    assert shipped.themes == fresh.themes and shipped.words == fresh.words
    assert np.allclose(shipped.confirm, fresh.confirm) and np.allclose(shipped.add, fresh.add)
    assert np.allclose(shipped.weights, fresh.weights, atol=1e-4)
    assert np.allclose(shipped.intercepts, fresh.intercepts, atol=1e-4)


def test_a_theme_of_its_own_thresholds_is_read_at_them_and_the_rest_at_the_shared_pair(tmp_path):
    model = load(theme_model.MODEL_FILE)
    for theme, confirm, add in zip(model.themes, model.confirm, model.add):
        own = theme_model.OWN_THRESHOLDS.get(theme, (theme_model.CONFIRM, theme_model.ADD))
        assert (confirm, add) == pytest.approx(own)
    # A text the model gives information sharing between the shared add threshold and its own is added.
    column = model.themes.index("information_sharing")
    text = "Operation Encompass now live in all schools and nurseries."
    p = model.probabilities(theme_model.prepared(text))[column]
    assert theme_model.OWN_THRESHOLDS["information_sharing"][1] <= p < theme_model.ADD
    assert "information_sharing" in model.review(text, {})
    # A file of one shared pair (as saved before thresholds were per theme) still loads, for every theme.
    older = tmp_path / "older.npz"
    with np.load(theme_model.MODEL_FILE) as data:
        np.savez(older, **{**data, "thresholds": np.array([0.35, 0.80], dtype=np.float32)})
    assert np.allclose(load(older).confirm, 0.35) and np.allclose(load(older).add, 0.80)


def test_the_model_never_learns_from_held_out_texts():
    assert training_rows() and not any(row["split"].startswith("holdout") for row in training_rows())


def test_the_tagger_reads_the_rules_topic_themes_again_with_the_model():
    model = theme_model.theme_model()
    changed = 0
    for text in [row["text"] for row in training_rows()][:300]:
        rules = themes.topic_themes(text, use_model=False)
        p = dict(zip(model.themes, model.probabilities(theme_model.prepared(text))))
        confirm, add = dict(zip(model.themes, model.confirm)), dict(zip(model.themes, model.add))
        expected = {t for t in rules if p.get(t, 1.0) >= confirm.get(t, 0.0)} | {t for t, q in p.items() if q >= add[t]}
        assert themes.topic_themes(text) == expected, text
        changed += expected != rules
    assert changed  # the model does change some answers


def test_a_changed_model_makes_stored_tags_stale(tmp_path, monkeypatch):
    copy = tmp_path / "theme_model.npz"
    copy.write_bytes(theme_model.MODEL_FILE.read_bytes())
    monkeypatch.setattr(theme_model, "MODEL_FILE", copy)
    con = db.connect(tmp_path / "store.duckdb")
    review.import_file(con, SEED_CSV)
    assert not themes.rules_changed(con)
    save(tiny_model(), copy)
    assert themes.rules_changed(con)


def test_many_texts_are_tagged_alike_in_several_processes(monkeypatch):
    texts = [row["text"] for row in training_rows()][:400] + ["", "Complete", "  "]
    texts += texts[:50]  # repeated texts are tagged once and answered for every place they occur
    serial = themes.tag_texts(texts)
    assert serial == [tuple(themes.tag_text(text)) for text in texts]  # plain tuples of ThemeMatch's fields
    monkeypatch.setattr(themes, "PARALLEL_FROM", 100)
    monkeypatch.setattr(themes, "PARALLEL_CHUNK", 30)
    monkeypatch.setattr(themes, "_cores", lambda: 3)
    assert themes.tag_texts(texts) == serial


def test_the_evidence_for_an_added_theme_leaves_out_function_words_and_repeats():
    words = ["the", "poor", "poor take", "sessions", "take"]
    model = ThemeModel(themes=("training",), words=words, idf=np.ones(5),
                       weights=np.array([[9.0], [4.0], [3.0], [2.0], [1.0]]), intercepts=np.array([0.0]),
                       confirm=0.1, add=0.6)
    # "the" weighs most but says nothing; "poor take" repeats "poor", which weighs more.
    assert model.review("the poor take sessions", {}) == {"training": ["poor", "sessions", "take"]}


def test_processes_tag_with_the_theme_files_this_process_reads(tmp_path, monkeypatch):
    copy = tmp_path / "themes.csv"
    copy.write_text(themes.THEMES_FILE.read_text(encoding="utf-8") + "topic,veterans,Veterans,match,armed forces\n",
                    encoding="utf-8")
    monkeypatch.setattr(themes, "THEMES_FILE", copy)
    themes.reload_taxonomy()
    try:
        monkeypatch.setattr(themes, "PARALLEL_FROM", 10)
        monkeypatch.setattr(themes, "PARALLEL_CHUNK", 5)
        monkeypatch.setattr(themes, "_cores", lambda: 2)
        tagged = themes.tag_texts(["Ask about Armed Forces service"] * 20)
        assert all("veterans" in {theme for _, theme, _, _ in tags} for tags in tagged)
    finally:
        monkeypatch.undo()
        themes.reload_taxonomy()


def test_each_theme_says_whether_the_rules_or_the_model_found_it():
    update = "Poor take up; the staff sessions will be re-run in May."
    added = {(m.axis, m.theme): m.source for m in themes.tag_text(update)}
    assert added == {("topic", "training"): "model", ("home_office", "ho_training"): "model"}
    matched = {(m.axis, m.theme): m.source for m in themes.tag_text("Deliver a 7-minute briefing")}
    assert matched == {("topic", "training"): "rules", ("home_office", "ho_training"): "rules"}


def test_a_broken_model_file_is_named_with_how_to_rebuild_it(tmp_path):
    broken = tmp_path / "theme_model.npz"
    for wrong in (b"not a model", theme_model.MODEL_FILE.read_bytes()[:100]):  # another kind of file; one cut short
        broken.write_bytes(wrong)
        with pytest.raises(theme_model.ThemeModelError, match=r"theme_model\.npz: cannot be read .*train_theme_model\.py"):
            load(broken)
    model = tiny_model()
    model.words = model.words[:2]  # weights for three words
    save(model, broken)
    with pytest.raises(theme_model.ThemeModelError, match="do not match in size"):
        load(broken)


def test_the_retag_command_stops_on_a_broken_model_and_changes_nothing(tmp_path, monkeypatch, capsys):
    import argparse
    con = db.connect(tmp_path / "store.duckdb")
    review.import_file(con, SEED_CSV)
    before = con.execute("SELECT count(*) FROM theme_match").fetchone()
    con.close()
    broken = tmp_path / "theme_model.npz"
    broken.write_bytes(b"not a model")
    monkeypatch.setattr(theme_model, "MODEL_FILE", broken)
    try:
        assert themes.run_cli(argparse.Namespace(db=tmp_path / "store.duckdb")) == 2
        assert "theme_model.npz: cannot be read" in capsys.readouterr().out
    finally:
        monkeypatch.undo()
        themes.reload_taxonomy()
    con = db.connect(tmp_path / "store.duckdb")
    assert con.execute("SELECT count(*) FROM theme_match").fetchone() == before


def test_an_import_with_a_broken_model_fails_with_its_reason_and_stores_nothing(tmp_path, monkeypatch):
    con = db.connect(tmp_path / "store.duckdb")
    broken = tmp_path / "theme_model.npz"
    broken.write_bytes(theme_model.MODEL_FILE.read_bytes()[:100])  # a copy cut short
    monkeypatch.setattr(theme_model, "MODEL_FILE", broken)
    themes.reload_taxonomy()
    try:
        result = review.import_file(con, SEED_CSV)
    finally:
        monkeypatch.undo()
        themes.reload_taxonomy()
    assert result.outcome == "failed"
    assert "seed_home_office.csv: not stored, nothing was changed" in result.message
    assert "theme_model.npz: cannot be read" in result.message and "train_theme_model.py" in result.message
    assert con.execute("SELECT count(*) FROM plan_version").fetchone() == (0,)
    assert con.execute("SELECT outcome FROM import_log").fetchall() == [("failed",)]
    assert review.import_file(con, SEED_CSV).outcome == "imported"  # with the model back, the same file goes in


def test_without_a_model_file_the_rules_stand_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(theme_model, "MODEL_FILE", tmp_path / "absent.npz")
    themes.reload_taxonomy()
    try:
        texts = [row["text"] for row in training_rows()][:200]
        assert themes.tag_texts(texts) == [tuple(themes.tag_text(t, use_model=False)) for t in texts]
    finally:
        monkeypatch.undo()
        themes.reload_taxonomy()


def test_a_theme_taken_out_of_the_taxonomy_is_not_brought_back_by_the_model(tmp_path, monkeypatch):
    copy = tmp_path / "themes.csv"
    lines = themes.THEMES_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    copy.write_text("".join(l for l in lines if not l.startswith("topic,housing,")), encoding="utf-8")
    monkeypatch.setattr(themes, "THEMES_FILE", copy)
    themes.reload_taxonomy()
    try:
        text = "Housing officers to ask about abuse at tenancy sign-up and when rent arrears build up."
        assert "housing" in theme_model.theme_model().themes
        assert "housing" not in {m.theme for m in themes.tag_text(text)}
    finally:
        monkeypatch.undo()
        themes.reload_taxonomy()


def test_bulk_tagging_turns_the_cycle_collector_back_on_even_when_it_fails(monkeypatch):
    assert gc.isenabled()
    assert themes.tag_texts(["Staff trained in DASH"]) == [tuple(themes.tag_text("Staff trained in DASH"))]
    assert gc.isenabled()
    monkeypatch.setattr(themes, "_tag_many", lambda texts: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        themes.tag_texts(["Staff trained in DASH, another text"])
    assert gc.isenabled()


def test_staff_named_in_a_log_are_not_read_but_other_words_after_initials_are():
    read = theme_model.prepared("01/06/2024 (DS B. Sample): dip sample done; Dr P. Marsh and J. Brief-Holt told. "
                                "Lead: L&D. Measure: 90%. Update from Sgt K. O'Neil.")
    assert "sample: dip sample" not in read and read.count("sample") == 1
    assert not any(name in read for name in ("marsh", "brief", "holt", "neil"))
    assert "l&d. measure" in read and "dip sample done" in read
