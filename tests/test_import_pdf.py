"""PDF import: ruled tables over several pages, repeated headers, rows split by page breaks."""
import datetime as dt
from pathlib import Path

import pytest

from dhrlearn.importers import parse_path
from dhrlearn.normalise.plan import normalise_plan
from tests.fixtures import seed_plan as seed

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"


def squash(text: str) -> str:
    """PDF text wraps long words (URLs) inside a cell: compare without whitespace."""
    return "".join(text.split())


@pytest.fixture(scope="module", params=["seed_five_columns.pdf", "seed_home_office.pdf"])
def plan(request):
    [plan] = parse_path(FIXTURES / request.param)
    return plan


def test_seed_pdf_case_details(plan):
    assert plan.format == "pdf" and plan.importer_version.startswith("pdf-")
    assert (plan.case.reference, plan.case.partnership, plan.as_of_date) == (
        "Case No. 16", seed.PARTNERSHIP, dt.date(2023, 1, 12))


def test_seed_pdf_recommendations_and_actions(plan):
    recs = plan.recommendations
    assert [r.number_raw for r in recs] == [t.number_raw for t in seed.RECOMMENDATIONS]
    assert [r.level for r in recs] == [t.level for t in seed.RECOMMENDATIONS]
    assert [r.owning_agencies_raw for r in recs] == [t.owning_agency for t in seed.RECOMMENDATIONS]
    for got, truth in zip(recs, seed.RECOMMENDATIONS):
        assert squash(got.text) == squash(truth.text)
        [action] = got.actions  # repeated headers and split rows add no actions
        assert squash(action.text) == squash(truth.actions[0].action)
        assert squash(action.update_text) == squash(truth.actions[0].update)
        assert action.update_text.endswith(truth.actions[0].status_word)
        assert action.target_date_raw == truth.actions[0].target


def test_seed_pdf_table_continues_over_pages_with_rows_split(plan):
    spanning = [r for r in plan.recommendations if " to " in r.provenance.location]
    assert len(spanning) >= 2, "the fixture splits rows over page breaks"
    first, last = spanning[0].provenance.location.split(" to ")
    assert first.startswith("page ") and last.startswith("page ") and first != last


def test_seed_pdf_normalised(plan):
    assert seed.mismatches(normalise_plan(plan), seed.SEED_TRUTH) == []


# ---------------------------------------------------------------- other layouts, truth written by hand
from tests.fixtures.make_fixtures import continued_rows  # noqa: E402
from tests.fixtures.seed_plan import Truth, mismatches  # noqa: E402
from tests.test_import_docx import check_sub_parts  # noqa: E402

_AGENCY = {5: "Police", 6: "Police", 7: "Integrated Care Board", 8: "Integrated Care Board", 9: "Housing",
           10: "Housing"}
_STATUS = {0: "complete", 1: "in_progress", 2: "not_started", 3: "off_track"}
CONTINUED_TRUTH = tuple(
    Truth(str(n), "overview" if n < 5 else "single_agency", _AGENCY.get(n, ""),
          f"Recommendation text number {n}:", (_STATUS[n % 4],), (f"{['Mar', 'Jun', 'Sep', 'Dec'][n % 4]} 2024",))
    for n in range(1, 11)
)


def test_table_over_four_pages_with_repeated_headers_and_split_rows():
    [plan] = parse_path(FIXTURES / "continued_pages.pdf")
    assert (plan.case.reference, plan.as_of_date) == ("DHR 2022/07", dt.date(2024, 6, 30))
    recs = plan.recommendations
    assert len(recs) == 10 and all(len(r.actions) == 1 for r in recs)
    written = {row[1][0]: row[1] for row in continued_rows() if row[0] == "row"}
    for rec in recs:
        assert rec.actions[0].update_text == written[rec.number_raw][5]  # joined over the break, word for word
    split = [r.number_raw for r in recs if " to " in r.provenance.location]
    assert len(split) >= 2
    assert len({r.provenance.location.split(" to ")[-1] for r in recs}) == 4  # rows on four pages
    assert mismatches(normalise_plan(plan), CONTINUED_TRUTH) == []


def test_unruled_table_read_by_alignment():
    [plan] = parse_path(FIXTURES / "sub_parts_unruled.pdf")
    check_sub_parts(plan)
    assert plan.recommendations[0].provenance.rows.startswith("line")


# ---------------------------------------------------------------- the quick reader reads what pdfplumber reads
@pytest.mark.parametrize("name", ["seed_home_office.pdf", "continued_pages.pdf", "sub_parts_unruled.pdf"])
def test_quick_page_reading_equals_pdfplumber(name):
    import pdfplumber

    from dhrlearn.importers import pdf as pdf_importer

    with pdfplumber.open(FIXTURES / name) as ours, pdfplumber.open(FIXTURES / name) as theirs:
        for page, reference in zip(ours.pages, theirs.pages):
            assert pdf_importer.page_objects(page) == reference.parse_objects()
            pdf_importer.load_objects(page)
            chars = pdf_importer.CharIndex(page.chars)
            for table in reference.find_tables(pdf_importer.LINES):
                expected = [[None if t is None else pdf_importer.cell_text(t) for t in row] for row in table.extract()]
                assert [[None if box is None else chars.text_in(box) for box in row.cells]
                        for row in table.rows] == expected


def test_ticks_in_a_symbol_font_are_read_as_the_marks_they_show(tmp_path):
    """ZapfDingbats '4' draws a tick and '8' a cross; a tick drawn from a Unicode font is itself."""
    from fpdf import FPDF

    from tests.fixtures.make_fixtures import FONT_DIR

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 6, "DHR Adult T, Brackenford Community Safety Partnership. Action plan as at 5 June 2024",
             new_x="LMARGIN", new_y="NEXT")
    rows = [("Rec", "Action", "Lead agency", "Target date", ("DejaVu", "Status"))]
    rows += [(str(n), f"Action number {n}", "Police", "Mar 2024", mark)
             for n, mark in enumerate((("ZapfDingbats", "4"), ("DejaVu", "✔"), ("ZapfDingbats", "8")), start=1)]
    y = 20
    for row in rows:
        x = 12
        for cell in row:
            font, text = cell if isinstance(cell, tuple) else ("DejaVu", cell)
            pdf.rect(x, y, 50, 8)
            pdf.set_font(font, "", 9)
            pdf.set_xy(x + 1, y + 2)
            pdf.cell(48, 4, text)
            x += 50
        y += 8
    path = tmp_path / "ticks.pdf"
    path.write_bytes(bytes(pdf.output()))
    [plan] = parse_path(path)
    assert [a.status_raw for a in plan.actions] == ["✔", "✔", "✗"]
    statuses = [a.status for r in normalise_plan(plan).recommendations for a in r.actions]
    assert statuses == ["complete", "complete", "unknown"]


def test_symbol_fonts_are_known_by_any_of_their_names():
    from dhrlearn.importers.symbols import in_symbol_font, symbol_font

    assert [symbol_font(n) for n in ("ABCDEF+Wingdings-Regular", "Wingdings 2", "WINGDINGS2", "ZapfDingbats",
                                     "Wingdings 3", "Calibri", None)] == \
        ["wingdings", "wingdings 2", "wingdings 2", "zapfdingbats", None, None, None]
    assert in_symbol_font("\uf0fc", "ABCDEF+Wingdings-Regular") == "✔"  # Word's PDFs: the private-use code
    assert in_symbol_font("ü", "Calibri") == "ü"
