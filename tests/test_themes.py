"""The theme tagger: taxonomy file, generic-word guards, abbreviations, implied themes, the prefilter."""
import csv
import random
from pathlib import Path

import pytest

import dhrlearn.themes as themes_module
from dhrlearn.theme_model import theme_model
from dhrlearn.themes import TaxonomyError, load_taxonomy, tag_text, taxonomy, topic_themes

LABELLED = Path(__file__).parent / "data" / "labelled_themes.csv"
DOMAIN_TOPICS = {
    "training", "public_awareness", "risk_assessment", "marac_multi_agency", "information_sharing",
    "record_keeping", "policy_procedure", "substance_misuse", "mental_health", "coercive_control", "dvds",
    "engagement", "health_primary_care", "housing", "children_families", "adult_safeguarding",
    "perpetrator_management", "equality_diversity", "dhr_governance", "toxic_trio",
}
HOME_OFFICE = {
    "ho_technology_systems", "ho_identification_of_risk", "ho_training", "ho_policy",
    "ho_multi_agency_working", "ho_record_keeping", "ho_awareness_raising", "ho_other",
}


def matches(text, use_model=True):
    return {(m.axis, m.theme): list(m.matched) for m in tag_text(text, use_model=use_model)}


def test_taxonomy_has_both_axes_with_labels():
    tax = taxonomy()
    assert set(tax.labels("topic")) == DOMAIN_TOPICS
    assert set(tax.labels("home_office")) == HOME_OFFICE
    assert tax.labels()["dvds"] == "DVDS (Clare's Law)"
    assert tax.labels()["ho_multi_agency_working"] == "Multi agency working"


def test_naming_the_themes_does_not_compile_the_scanner():
    # Every page's filters name the themes; the scanner (most of the load time) waits for the first text.
    tax = load_taxonomy()
    assert tax.topic_themes() and tax.labels()
    assert "scanner" not in vars(tax)
    assert "mental_health" in {m.theme for m in tag_text("Refer to the CMHT", tax=tax)}
    assert "scanner" in vars(tax)


@pytest.mark.parametrize("text, theme, words", [
    ("Refer to the CMHT for assessment", "mental_health", ["CMHT"]),
    ("Referral to the IDVA service", "marac_multi_agency", ["IDVA"]),
    ("Concerns shared with the MASH", "marac_multi_agency", ["MASH"]),
    ("DASH completed by officer", "risk_assessment", ["DASH"]),
    ("Worcs Acute - mandatory trg", "training", ["trg"]),
    ("midwives complete trng annually", "training", ["trng"]),
    ("Police to promote Clare's Law", "dvds", ["Clare's Law"]),
    ("Claires law leaflet", "dvds", ["Claires law"]),
    ("Victim did not attend two appointments", "engagement", ["did not attend"]),
    ("Client was not brought to clinic", "engagement", ["was not brought"]),
    ("Refresh the dual diagnosis protocol", "substance_misuse", ["dual diagnosis"]),
    ("Refresh the dual diagnosis protocol", "mental_health", ["dual diagnosis"]),
    ("toxic trio included in the course", "toxic_trio", ["toxic trio"]),
    ("LGBT+ victims' services mapped", "equality_diversity", ["LGBT+"]),
    ("OASys review triggered by a change in circumstances", "risk_assessment", ["OASys"]),
    ("Read codes for DA added to the practice's clinical system", "record_keeping", ["Read codes", "clinical system"]),
    ("ISA drafted and out for comment with partners", "information_sharing", ["ISA"]),
    ("Officers attended the address eleven times in two years", "risk_assessment", ["eleven times in"]),
    ("Action plan monitored by the CSP 3 monthly", "dhr_governance", ["Action plan", "monitored by the CSP"]),
])
def test_abbreviations_misspellings_and_implied_themes(text, theme, words):
    """The rules' own reading; the theme model may read a short text otherwise (tests/test_theme_model.py)."""
    assert matches(text, use_model=False)[("topic", theme)] == words


@pytest.mark.parametrize("text, theme", [
    ("In line with the Trust's policy the notes were reviewed.", "policy_procedure"),
    ("Policy team to look at this.", "policy_procedure"),
    ("A record number of referrals was received.", "record_keeping"),
    ("The victim was on record as a repeat victim.", "record_keeping"),
    ("Reviews are flagged to GPs", "record_keeping"),
    ("Of course this was discussed.", "training"),
    ("Any concerns will be escalated to the Joint Strategic Group.", "risk_assessment"),
    ("We will drive improvement across the partnership.", "perpetrator_management"),
    ("Faith leaders engaged through the campaign.", "engagement"),
    ("Police record checks were not completed.", "record_keeping"),
    ("Risk assessment tool embedded in the electronic record; uptake monitored monthly.", "dhr_governance"),
    ("The guidance should reflect the risks posed by adult children to their parents.", "children_families"),
    ("The risk checklist used by the IDVA service.", "policy_procedure"),
])
def test_generic_words_do_not_make_a_theme(text, theme):
    """The rules' guards. The theme model reads words, not phrases: it may still find record keeping in
    "on record as", and its accuracy is measured on whole labelled sets instead (test_themes_accuracy.py)."""
    assert theme not in topic_themes(text, use_model=False)


def test_guards_leave_real_uses_alone():
    assert "policy_procedure" in topic_themes("Review the Re-Engagement Policy.")
    assert "record_keeping" in topic_themes("Record the disclosure in the patient record.")
    assert "risk_assessment" in topic_themes("Staff should escalate concerns about high risk victims.")
    assert "perpetrator_management" in topic_themes("The Drive programme works with perpetrators.")


def test_home_office_axis_follows_topics_and_has_its_own_words():
    got = matches("Deliver a 7-minute briefing on coercive control.")
    assert got[("home_office", "ho_training")] == ["7-minute briefing"]
    assert ("home_office", "ho_policy") not in got
    assert matches("Update EMIS so the alert shows")[("home_office", "ho_technology_systems")] == ["EMIS"]
    assert ("home_office", "ho_multi_agency_working") in matches("Improve multi-agency working")


def test_other_holds_topics_outside_the_eight_home_office_themes():
    got = matches("Housing providers should offer safe accommodation.")
    assert got[("home_office", "ho_other")] == ["Housing", "safe accommodation"]
    assert ("home_office", "ho_other") not in matches("Refer to MARAC")
    assert tag_text("Complete") == [] and tag_text("") == [] and tag_text(None) == []


def test_matched_words_are_unique_and_in_text_order():
    got = matches("Training, more training and a TRAINING course")[("topic", "training")]
    assert got == ["Training", "course"]


def test_typographic_apostrophes_read_as_plain_ones_and_shown_as_written():
    # Word writes "Clare’s Law"; the rules are written "Clare's Law".
    for plain in ("Raise awareness of Clare's Law with the public", "Complete the carer's assessment",
                  "Refer to children's services"):
        curly = plain.replace("'", "\u2019")
        assert [(m.theme, m.source) for m in tag_text(curly)] == [(m.theme, m.source) for m in tag_text(plain)]
        assert [m.matched for m in tag_text(curly)] == [tuple(w.replace("'", "\u2019") for w in m.matched)
                                                        for m in tag_text(plain)]
    assert ("Clare\u2019s Law",) in [m.matched for m in tag_text("Raise awareness of Clare\u2019s Law")]


def _labelled_texts():
    with open(LABELLED, newline="", encoding="utf-8") as handle:
        return [r["text"] for r in csv.DictReader(line for line in handle if not line.startswith("#"))]


def test_prefilter_gives_the_same_answer_as_trying_every_theme():
    texts = _labelled_texts()
    rng = random.Random(5)
    mixed = [" ".join(rng.sample(texts, 3)) for _ in range(300)]
    for text in texts + mixed + ["İstanbul interpreter", "A&E and L & D; (CMHT)", "re-engage/non-engagement"]:
        assert tag_text(text) == tag_text(text, use_prefilter=False), text


def test_remembered_theme_orders_are_bounded_and_change_no_answer(monkeypatch):
    """The output order of each set of matched themes is remembered; past LAYOUTS_KEPT sets it is
    forgotten and worked out again, with the same answers."""
    texts = _labelled_texts()[:300]
    expected = [tag_text(text, use_model=False) for text in texts]  # a taxonomy of one's own has no model
    monkeypatch.setattr(themes_module, "LAYOUTS_KEPT", 3)
    fresh = load_taxonomy(themes_module.THEMES_FILE)
    assert [tag_text(text, fresh) for text in texts] == expected
    assert 0 < len(fresh._layouts) <= 3


def test_every_rule_of_the_taxonomy_is_tried_only_where_its_words_can_start():
    """A pattern whose start the prefilter cannot index is tried over every text, with every other pattern
    of its rule: it made tagging three times slower once. Rewrite such a start (e.g. notif\\w* as
    notify|notified|...) rather than accept it."""
    scanner = taxonomy().scanner
    assert [scanner.rules[r].key for r in scanner.unbounded] == []


def test_an_unindexable_start_is_still_matched(tmp_path):
    tax = load_taxonomy(_write(tmp_path, "topic,t,T,match,\\w+ing day\n"
                                         "topic,u,U,match,training\ntopic,u,,exclude,\\w+ing course\n"))
    assert len(tax.scanner.unbounded) == 2  # t's match rule and u's exclude rule
    assert [m.theme for m in tag_text("a training day", tax)] == ["t", "u"]
    assert [m.theme for m in tag_text("a training course", tax)] == []  # u's words lie in its excluded phrase


def _write(tmp_path, body):
    path = tmp_path / "themes.csv"
    path.write_text("# comment\naxis,theme,label,kind,pattern\n" + body, encoding="utf-8")
    return path


def test_a_user_can_add_a_theme(tmp_path):
    tax = load_taxonomy(_write(tmp_path, "topic,veterans,Veterans,match,veterans?|armed forces|op courage\n"
                                         "home_office,ho_other,Other,fallback,\n"))
    got = [(m.axis, m.theme, m.matched) for m in tag_text("Ask about Armed Forces service", tax)]
    assert got == [("topic", "veterans", ("Armed Forces",)), ("home_office", "ho_other", ("Armed Forces",))]
    assert [m.theme for m in tag_text("Veterans and armed forces", tax)] == ["veterans", "ho_other"]


def test_a_veto_row_stops_a_theme_the_rules_would_give(tmp_path):
    """A reader who disagrees with a tag writes a veto: the theme is not given to a text that matches it, and
    a Home Office theme that only followed the vetoed topic goes with it; a Home Office veto holds too."""
    tax = load_taxonomy(_write(tmp_path, "topic,health,Health,match,GPs?\n"
                                         "topic,health,,veto,GP practices?\n"
                                         "topic,training,Training,match,training\n"
                                         "home_office,ho_health,Health HO,topic,health\n"
                                         "home_office,ho_training,Training HO,topic,training\n"
                                         "home_office,ho_training,,veto,induction training\n"))
    assert [m.theme for m in tag_text("Offer training to the GP", tax)] == ["health", "training", "ho_health",
                                                                           "ho_training"]
    assert [m.theme for m in tag_text("Offer training to GP practices", tax)] == ["training", "ho_training"]
    assert [m.theme for m in tag_text("Induction training for GPs", tax)] == ["health", "training", "ho_health"]


def test_a_veto_row_stops_a_theme_the_model_would_add(tmp_path):
    text = "Offer DA training to GP practices"
    model = theme_model()
    shipped = load_taxonomy(themes_module.THEMES_FILE)
    found = {m[1]: m[3] for m in themes_module._tag(text, shipped, True, model)}
    assert found.get("health_primary_care") == "model"  # the model reads "GP practices" as primary care
    path = tmp_path / "themes.csv"
    path.write_text(themes_module.THEMES_FILE.read_text(encoding="utf-8")
                    + "topic,health_primary_care,,veto,training to GP practices\n",
                    encoding="utf-8")
    vetoed = {m[1] for m in themes_module._tag(text, load_taxonomy(path), True, model)}
    assert "health_primary_care" not in vetoed and {"training", "ho_training"} <= vetoed
    assert "health_primary_care" in {m[1] for m in themes_module._tag("Refer to GP practices", load_taxonomy(path),
                                                                     True, model)}


@pytest.mark.parametrize("body, message", [
    ("topic,x,X,match,a{0,2}b\n", "line 3: expected 5 fields"),
    ("topic,x,X,match,(unclosed\n", "line 3: pattern '(unclosed' is not a valid expression"),
    ("axis_b,x,X,match,word\n", "line 3: axis 'axis_b'"),
    ("topic,Bad Id,X,match,word\n", "line 3: theme id 'Bad Id'"),
    ("topic,x,X,sometimes,word\n", "line 3: kind 'sometimes'"),
    ("topic,x,X,veto,(GP\n", "line 3: pattern '(GP' is not a valid expression"),
    ("topic,x,X,veto,\n", "line 3: kind 'veto' needs a pattern"),
    ("home_office,ho_x,X,topic,nosuch\n", "unknown topic(s) nosuch"),
])
def test_a_bad_taxonomy_names_file_and_line(tmp_path, body, message):
    path = _write(tmp_path, body)
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    assert str(path) in str(err.value) and message in str(err.value)
