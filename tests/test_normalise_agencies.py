"""Agency names -> canonical agencies and types (data/reference/agencies.csv)."""
import shutil

import pytest

from dhrlearn import config
from dhrlearn.normalise.agencies import AGENCY_TYPES, AgencyDirectory, name_key


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    # A copy of the shipped files, so a local alias file on this machine cannot change results.
    ref = tmp_path_factory.mktemp("reference")
    for name in ("agencies.csv", "agency_patterns.csv"):
        shutil.copy(config.REFERENCE_DIR / name, ref / name)
    return AgencyDirectory.load(ref)


def canonicals(directory, raw):
    return [(r.canonical, r.agency_type, r.known) for r in directory.resolve(raw)]


@pytest.mark.parametrize(
    "raw, canonical, agency_type",
    [
        ("West Mercia Police", "West Mercia Police", "Police"),
        ("WMP", "West Mercia Police", "Police"),
        ("WM Police", "West Mercia Police", "Police"),
        ("H&W H&C Trust", "Herefordshire and Worcestershire Health and Care NHS Trust", "NHS trusts"),
        ("Herefordshire & Worcestershire Health and Care NHS Trust",
         "Herefordshire and Worcestershire Health and Care NHS Trust", "NHS trusts"),
        ("Worcs Acute", "Worcestershire Acute Hospitals NHS Trust", "NHS trusts"),
        ("Cranstoun Worcestershire", "Cranstoun", "Substance misuse services"),
        ("Clinical Commissioning Group.", "Clinical Commissioning Group", "Health commissioners"),
        ("CCG", "Clinical Commissioning Group", "Health commissioners"),
        ("ICB", "Integrated Care Board", "Health commissioners"),
        ("GP practice", "GP practices", "Primary care"),
        ("surgeries", "GP practices", "Primary care"),
        ("Worcestershire Safeguarding Adults Board", "Worcestershire Safeguarding Adults Board", "Adult social care"),
        ("ASC", "Adult Social Care", "Adult social care"),
        ("WCF", "Worcestershire Children First", "Children's services"),
        ("WCC", "Worcestershire County Council", "Local authority / CSP"),
        ("The South Worcestershire Community Safety Partnership",
         "South Worcestershire Community Safety Partnership", "Local authority / CSP"),
        ("NPS", "Probation Service", "Probation"),
        ("CRC", "Community Rehabilitation Company", "Probation"),
        ("IDVA", "IDVA service", "Domestic abuse services"),
        ("Womens Aid", "Women's Aid", "Domestic abuse services"),
        ("CGL", "Change Grow Live", "Substance misuse services"),
        ("Change Grow Live", "Change Grow Live", "Substance misuse services"),
        ("With You", "With You", "Substance misuse services"),
        ("DWP", "Department for Work and Pensions", "Other"),
        ("Cafcass", "Cafcass", "Other"),
        ("DHSC", "Department of Health and Social Care", "Other"),
        ("NHSE/I", "NHS England", "Health commissioners"),  # a "/" inside a name does not split it
    ],
)
def test_single_names(directory, raw, canonical, agency_type):
    assert canonicals(directory, raw) == [(canonical, agency_type, True)]


def test_raw_is_kept_beside_canonical(directory):
    (ref,) = directory.resolve("  WM Police ")
    assert ref.raw == "WM Police"


def test_seed_all_agencies_and_csp_are_two(directory):
    assert canonicals(directory, "All agencies/The South Worcestershire CSP") == [
        ("All agencies", "Other", True),
        ("South Worcestershire Community Safety Partnership", "Local authority / CSP", True),
    ]


def test_name_wrapped_over_lines_stays_one(directory):
    raw = "All Agencies.\n\nSouth Worcestershire\nCommunity Safety\nPartnership."  # seed rec 1, as extracted
    assert [r.canonical for r in directory.resolve(raw)] == [
        "All agencies", "South Worcestershire Community Safety Partnership"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("WCF and ASC", ["Worcestershire Children First", "Adult Social Care"]),
        ("Police, Health & ASC", ["Police", "Health services", "Adult Social Care"]),
        ("WMP\nCranstoun", ["West Mercia Police", "Cranstoun"]),
        ("Women's Aid and Refuge", ["Women's Aid", "Refuge"]),
        ("Cranstoun and West Mercia Police", ["Cranstoun", "West Mercia Police"]),
        ("WMP / West Mercia Police", ["West Mercia Police"]),  # the same agency twice is one
    ],
)
def test_fields_naming_several(directory, raw, expected):
    assert [r.canonical for r in directory.resolve(raw)] == expected


def test_full_stop_after_a_word_ends_a_name(directory):
    # Seed rec 1's lead cell with its lines joined by a text importer.
    refs = directory.resolve("All Agencies. South Worcestershire Community Safety Partnership.")
    assert [r.canonical for r in refs] == ["All agencies", "South Worcestershire Community Safety Partnership"]
    assert [r.canonical for r in directory.resolve("St. Helens Borough Council")] == ["St. Helens Borough Council"]


def test_and_inside_a_name_is_not_split(directory):
    refs = directory.resolve("Herefordshire and Worcestershire Health and Care NHS Trust")
    assert [r.canonical for r in refs] == ["Herefordshire and Worcestershire Health and Care NHS Trust"]


def test_force_not_listed_is_read_from_its_name(directory):
    assert canonicals(directory, "Devon and Cornwall Police") == [("Devon and Cornwall Police", "Police", True)]
    assert canonicals(directory, "Wiltshire Constabulary") == [("Wiltshire Constabulary", "Police", True)]
    assert directory.match("Wiltshire Constabulary")[0].how == "pattern"


def test_a_unitary_council_not_listed_is_a_local_authority_but_a_regulator_is_not(directory):
    assert canonicals(directory, "Cornwall Council") == [("Cornwall Council", "Local authority / CSP", True)]
    assert canonicals(directory, "Northbridge Council and Northbridge Police") == [
        ("Northbridge Council", "Local authority / CSP", True), ("Northbridge Police", "Police", True)]
    assert canonicals(directory, "Nursing and Midwifery Council") == [("Nursing and Midwifery Council", "Other", True)]
    assert canonicals(directory, "GMC") == [("General Medical Council", "Other", True)]


def test_misspellings_are_read_and_marked_fuzzy(directory):
    (m,) = directory.match("West Mercia Polce")
    assert (m.ref.canonical, m.how) == ("West Mercia Police", "fuzzy")
    (m,) = directory.match("Clinical Commission oning Group.")  # seed banner, broken by PDF extraction
    assert (m.ref.canonical, m.how) == ("Clinical Commissioning Group", "fuzzy")


def test_no_guessing_between_close_names(directory):
    # "North/East ..." must not become the South Worcestershire CSP by spelling similarity.
    (ref,) = directory.resolve("East Worcestershire Safety Partnership")
    assert ref.canonical != "South Worcestershire Community Safety Partnership"
    (short,) = directory.resolve("WCX")  # one letter from WCC and WCF: too short to guess
    assert not short.known


def test_unknown_agency_kept_as_written(directory):
    (ref,) = directory.resolve("Wyre Piddle Befrienders")
    assert (ref.raw, ref.canonical, ref.agency_type, ref.known) == ("Wyre Piddle Befrienders", None, None, False)
    (m,) = directory.match("Wyre Piddle Befrienders")
    assert m.how == "unknown"


def test_unknown_pieces_after_strong_separators(directory):
    refs = directory.resolve("WCF, Wyre Piddle Befrienders")
    assert [(r.canonical, r.known) for r in refs] == [("Worcestershire Children First", True), (None, False)]
    assert refs[1].raw == "Wyre Piddle Befrienders"


def test_empty_field(directory):
    assert directory.resolve("") == [] and directory.resolve(" \n ") == []


def test_name_key_ignores_case_punctuation_and_ampersand():
    assert name_key("The H&W H&C Trust.") == name_key("h and w h and c trust")
    assert name_key("Women’s Aid") == name_key("WOMENS AID")


def test_types_and_names(directory):
    assert directory.types() == list(AGENCY_TYPES)
    assert len(AGENCY_TYPES) == 12
    names = directory.canonical_names()
    assert "West Mercia Police" in names and "All agencies" in names
    assert {directory.type_of(n) for n in names} <= set(AGENCY_TYPES)


def test_add_alias_takes_effect_at_once_and_persists(tmp_path, directory):
    ref_dir = tmp_path / "ref"
    ref_dir.mkdir()
    for name in ("agencies.csv", "agency_patterns.csv"):
        shutil.copy(config.REFERENCE_DIR / name, ref_dir / name)
    local = tmp_path / "local_aliases.csv"
    d = AgencyDirectory.load(ref_dir, local_file=local)
    assert not d.resolve("Cranstoun Word l restershire")[0].known
    d.add_alias("Cranstoun Word l restershire", "Cranstoun")
    assert d.resolve("Cranstoun Word l restershire")[0].canonical == "Cranstoun"
    d.add_alias("Wyre Piddle Befrienders", "Wyre Piddle Befriending Service", agency_type="Other")
    assert canonicals(d, "Wyre Piddle Befrienders") == [("Wyre Piddle Befriending Service", "Other", True)]
    reloaded = AgencyDirectory.load(ref_dir, local_file=local)
    assert reloaded.resolve("Cranstoun Word l restershire")[0].canonical == "Cranstoun"
    assert reloaded.type_of("Wyre Piddle Befriending Service") == "Other"
    assert local.read_text(encoding="utf-8").splitlines()[0] == "alias,canonical,type"


def test_add_alias_refuses_unknown_canonical_without_type(tmp_path, directory):
    d = AgencyDirectory.load(config.REFERENCE_DIR, local_file=tmp_path / "a.csv")
    with pytest.raises(ValueError, match="not a known agency"):
        d.add_alias("Foo", "No Such Agency")
    with pytest.raises(ValueError, match="type 'Charity' is not one of"):
        d.add_alias("Foo", "No Such Agency", agency_type="Charity")
    assert not (tmp_path / "a.csv").exists()


def test_bad_reference_file_names_file_and_line(tmp_path):
    (tmp_path / "agencies.csv").write_text("canonical,type,aliases\nWMP,Police,\nFoo,Charity,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"agencies.csv line 3: type 'Charity'"):
        AgencyDirectory.load(tmp_path)
