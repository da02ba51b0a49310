"""The report pack: DOCX and PDF hold the headings, figures and tables the queries give, and no staff names."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from types import SimpleNamespace

import docx
import pdfplumber
import pytest

from dhrlearn import analytics
from dhrlearn.export import report
from dhrlearn.export.report import ReportOptions, build_reports
from dhrlearn.filters import Filters
from dhrlearn.store import db
from fixture_db import standard_fixture

AS_OF = dt.date(2023, 3, 31)
STAFF = ("Zebedee Quillfeather", "Perpetua Thistlewood")
OPTIONS = ReportOptions(date_from=dt.date(2022, 4, 1), date_to=AS_OF)
HEADINGS = ["Executive summary", "Charts", "Overdue actions by agency", "Method notes"]


def plant_staff_names(con, ids) -> None:
    """Staff named where real plans name them: the named lead and the update log."""
    for action in (ids["a2_r2_a1"], ids["a2_r3_a1"], ids["b1_r1_a1"]):
        con.execute("UPDATE action SET named_lead = ?, update_text = ? WHERE action_id = ?",
                    [STAFF[0], f"Chased by {STAFF[1]} on 3/2/23; {STAFF[0]} to report back. Incomplete", action])


@pytest.fixture(scope="module")
def fixture():
    con, ids = standard_fixture()
    plant_staff_names(con, ids)
    analytics.load_dhrd(con)  # national figures, so the comparison chart is in the pack
    return con, ids


@pytest.fixture(scope="module")
def pack(fixture):
    con, _ = fixture
    return build_reports(con, OPTIONS)


@pytest.fixture(scope="module")
def word(pack):
    return docx.Document(io.BytesIO(pack["docx"]))


@pytest.fixture(scope="module")
def pdf_text(pack) -> str:
    with pdfplumber.open(io.BytesIO(pack["pdf"])) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def expected(con, name: str):
    return db.query(con, name, **Filters(as_of=AS_OF).params(), limit=None)


def kpi_sentence(con) -> str:
    k = expected(con, "kpis").iloc[0]
    return f"{int(k.actions_complete)} of {int(k.actions)} actions were complete ({k.pct_actions_complete:.1f}%)"


def word_tables(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def find_table(tables, header: list[str]):
    found = [t for t in tables if t and t[0] == header]
    assert found, f"no table headed {header}"
    return found[0]


# ---- DOCX ---------------------------------------------------------------------------------------

def test_docx_has_title_page_headings_and_summary(fixture, word):
    con, _ = fixture
    text = [p.text for p in word.paragraphs]
    assert text[0] == OPTIONS.title
    assert "Period: 1 April 2022 to 31 March 2023" in text
    assert "Figures as at 31 March 2023" in text
    assert any(t.startswith("Demo data") for t in text)  # case C is demo data
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    for heading in HEADINGS:
        assert heading in headings
    assert any(kpi_sentence(con) in t for t in text)


def test_docx_has_a_picture_with_alt_text_per_chart(fixture, word):
    con, _ = fixture
    data = report.gather(con, OPTIONS)
    assert len(data.sections) >= 6
    assert len(word.inline_shapes) == len(data.sections)
    for shape, section in zip(word.inline_shapes, data.sections):
        doc_pr = shape._inline.docPr
        assert doc_pr.get("descr") == section.alt_text and len(doc_pr.get("descr")) > 40
        assert doc_pr.get("title")
        assert abs(shape.width.mm - report.TEXT_WIDTH_MM) < 1
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert sum(c.startswith("Figure ") for c in captions) == len(data.sections)


def test_docx_tables_equal_the_query_results(fixture, word):
    con, _ = fixture
    tables = word_tables(word)
    status = find_table(tables, ["Status", "Actions", "% of actions"])
    q = expected(con, "status_counts")
    assert [int(row[1]) for row in status[1:]] == q["actions"].tolist()
    assert [float(row[2]) for row in status[1:]] == q["pct_actions"].tolist()

    overdue = find_table(tables, ["Agency", "Overdue", "Up to 90 days", "91-180 days", "181-365 days",
                                  "Over a year", "Oldest target date"])
    q = expected(con, "overdue_by_agency")
    assert [(r[0], int(r[1])) for r in overdue[1:]] == list(zip(q["agency"], q["overdue"]))

    by_case = find_table(tables, ["Partnership", "Case", "Year", "Actions", "Complete", "% complete", "Overdue"])
    q = expected(con, "completion_by_case")
    assert [(r[1], int(r[3]), int(r[6])) for r in by_case[1:]] == list(zip(q["reference"], q["actions"], q["overdue"]))

    actions = find_table(tables, list(report.OVERDUE_ACTION_COLUMNS.values()))
    q = expected(con, "overdue_actions")
    assert sorted(int(r[-1]) for r in actions[1:]) == sorted(q["days_overdue"].tolist())


def test_docx_names_no_staff_anywhere(pack, word):
    texts = [p.text for p in word.paragraphs]
    texts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    texts += [s.footer.paragraphs[0].text for s in word.sections]
    with zipfile.ZipFile(io.BytesIO(pack["docx"])) as archive:
        texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                  if name.endswith((".xml", ".rels"))]
    for name in STAFF:
        for part in (name, name.split()[1]):
            assert not any(part in t for t in texts), part


# ---- PDF ----------------------------------------------------------------------------------------

def test_pdf_has_headings_figures_and_summary(fixture, pack, pdf_text):
    con, _ = fixture
    text = flat(pdf_text)
    for heading in HEADINGS + ["Period: 1 April 2022 to 31 March 2023", "Figures as at 31 March 2023", "Demo data"]:
        assert heading in text
    assert kpi_sentence(con) in text
    assert "Domestic Homicide Review Dataset (DHRD), Cook & Cook, City St George's, University of London, CC BY 4.0" in text
    with pdfplumber.open(io.BytesIO(pack["pdf"])) as pdf:
        images = sum(len(page.images) for page in pdf.pages)
        assert pdf.metadata.get("Title") == OPTIONS.title
    assert images == len(report.gather(con, OPTIONS).sections)


def test_pdf_tables_equal_the_query_results(fixture, pack):
    con, _ = fixture
    with pdfplumber.open(io.BytesIO(pack["pdf"])) as pdf:
        tables = [t for page in pdf.pages for t in page.extract_tables()]
    status = find_table(tables, ["Status", "Actions", "% of actions"])
    q = expected(con, "status_counts")
    assert [int(row[1]) for row in status[1:]] == q["actions"].tolist()
    by_year = find_table(tables, ["Year", "Actions", "Complete", "% complete", "Overdue"])
    q = expected(con, "completion_by_year")
    assert [(int(r[0]), int(r[1]), int(r[4])) for r in by_year[1:]] == list(zip(q["year"], q["actions"], q["overdue"]))


def test_pdf_names_no_staff_anywhere(pack, pdf_text):
    with pdfplumber.open(io.BytesIO(pack["pdf"])) as pdf:
        metadata = " ".join(str(v) for v in pdf.metadata.values())
    for name in STAFF:
        for part in (name, name.split()[1]):
            assert part not in pdf_text and part not in metadata
            assert part.encode() not in pack["pdf"]


def test_national_comparison_is_credited(fixture, word):
    con, _ = fixture
    data = report.gather(con, OPTIONS)
    national = [s for s in data.sections if s.spec.national]
    assert national, data.missing
    q = db.query(con, "national_comparison", **Filters(as_of=AS_OF).params())
    table = find_table(word_tables(word), list(national[0].table.columns))
    assert [row[0] for row in table[1:]] == q["label"].tolist()
    credit = [p.text for p in word.paragraphs if "Cook & Cook" in p.text]
    assert credit and "Domestic Homicide Review Dataset (DHRD)" in credit[0]


def test_without_national_data_the_comparison_is_left_out():
    con, _ = standard_fixture()
    data = report.gather(con, OPTIONS)
    assert not [s for s in data.sections if s.spec.national]
    assert any("DHRD" in m for m in data.missing)


# ---- Options and the command line ---------------------------------------------------------------

def test_partnership_option_limits_the_figures(fixture):
    con, _ = fixture
    options = ReportOptions(dt.date(2022, 4, 1), AS_OF, partnerships=("North CSP",))
    data = report.gather(con, options)
    k = db.query(con, "kpis", **Filters(as_of=AS_OF, partnerships=("North CSP",)).params()).iloc[0]
    assert data.kpis["actions"] == k["actions"] < expected(con, "kpis").iloc[0]["actions"]
    by_case = next(s.table for s in data.sections if s.spec.query == "completion_by_case")
    assert set(by_case["Partnership"]) == {"North CSP"}


def test_period_must_run_forwards():
    with pytest.raises(ValueError, match="starts"):
        ReportOptions(dt.date(2024, 4, 1), dt.date(2023, 3, 31))


def cli_args(tmp_path, **overrides):
    values = dict(db=str(tmp_path / "dhr.duckdb"), partnership=[], date_from="2022-04-01", date_to="2023-03-31",
                  theme=[], with_names=False, out=str(tmp_path / "report.docx"))
    values.update(overrides)
    return SimpleNamespace(**values)


def test_cli_refuses_unknown_partnership_and_bad_output(tmp_path, capsys):
    db.connect(tmp_path / "dhr.duckdb").close()
    assert report.run_cli(cli_args(tmp_path, partnership=["Nowhere CSP"])) == 2
    assert "Nowhere CSP" in capsys.readouterr().err
    assert report.run_cli(cli_args(tmp_path, out=str(tmp_path / "report.txt"))) == 2
    with pytest.raises(SystemExit, match="YYYY-MM-DD"):
        report.run_cli(cli_args(tmp_path, date_to="31/03/2023"))


def test_cli_writes_the_report(tmp_path, fixture):
    con, _ = fixture
    path = tmp_path / "dhr.duckdb"
    con.execute(f"ATTACH '{path}' AS out_db")
    con.execute("COPY FROM DATABASE memory TO out_db")
    con.execute("DETACH out_db")
    out = tmp_path / "pack" / "report.pdf"
    assert report.run_cli(cli_args(tmp_path, out=str(out), partnership=["South CSP"])) == 0
    with pdfplumber.open(out) as pdf:
        text = flat(" ".join(page.extract_text() or "" for page in pdf.pages))
    assert "South CSP" in text and "North CSP" not in text
