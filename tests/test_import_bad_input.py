"""Files that cannot be imported, or only just: each gives a clear error naming the file and place."""
import io
import zipfile
from pathlib import Path

import pytest

from dhrlearn import config
from dhrlearn.importers import parse_bytes, parse_path
from dhrlearn.model import ImportFailed

FIXTURES = Path(__file__).parent / "fixtures"
SEED_DOCX = FIXTURES / "docx" / "seed_five_columns.docx"
SEED_XLSX = FIXTURES / "tabular" / "seed_home_office.xlsx"


def failure(data: bytes, name: str) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        parse_bytes(data, name)
    assert caught.value.file == name and str(caught.value).startswith(name)
    return caught.value


@pytest.mark.parametrize("name", ["plan.csv", "plan.xlsx", "plan.docx", "plan.pdf"])
def test_empty_file(name):
    assert "empty" in failure(b"", name).reason


def test_csv_with_only_separators():
    assert "no text" in failure(b",,,\r\n,,,\r\n", "plan.csv").reason


@pytest.mark.parametrize("name, hint", [("plan.doc", "save it as .docx"), ("plan.xls", ".xlsx"), ("plan", "no extension")])
def test_wrong_extension(name, hint):
    assert hint in failure(b"something", name).reason


def test_cp1252_csv_imports_correctly():
    text = ("Case No. 4\r\nRecommendation,Lead Agency,Key milestones achieved in enacting recommendation\r\n"
            "1 Fund the Women’s Aid outreach worker,Women’s Aid,\"£12,000 agreed – Complete\"\r\n")
    [plan] = parse_bytes(text.encode("cp1252"), "plan.csv")
    action = plan.actions[0]
    assert plan.recommendations[0].text == "Fund the Women’s Aid outreach worker"
    assert action.lead_agency_raw == "Women’s Aid"
    assert action.update_text == "£12,000 agreed – Complete"
    assert any(w.field == "encoding" and "cp1252" in w.message for w in plan.warnings)


def test_xlsx_without_a_recognisable_header_names_the_sheets():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Budget"
    wb.active.append(["Item", "Cost"])
    wb.active.append(["Training", 500])
    wb.create_sheet("Notes").append(["Meeting moved to Tuesday"])
    out = io.BytesIO()
    wb.save(out)
    error = failure(out.getvalue(), "tracker.xlsx")
    assert "no header row" in error.reason
    assert "Budget" in error.where and "Notes" in error.where


def test_csv_without_a_recognisable_header():
    error = failure(b"name,cost\r\ntraining,500\r\n", "budget.csv")
    assert "no header row" in error.reason and error.where


def test_file_over_the_size_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "MAX_FILE_BYTES", 1000)
    data = SEED_DOCX.read_bytes()
    assert "limit" in failure(data, "big.docx").reason
    path = tmp_path / "big.docx"
    path.write_bytes(data)
    with pytest.raises(ImportFailed, match="big.docx.*limit"):
        parse_path(path)


def test_formula_cell_is_stored_as_text():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Recommendation", "Target Date", "Progress"])
    ws.append(["1 Publish the DHR", "=DATE(2024,1,31)", '=HYPERLINK("https://example.org/x","evidence")'])
    out = io.BytesIO()
    wb.save(out)
    [plan] = parse_bytes(out.getvalue(), "plan.xlsx")
    action = plan.actions[0]
    assert action.target_date_raw == "=DATE(2024,1,31)"
    assert action.update_text == '=HYPERLINK("https://example.org/x","evidence")'


def test_scanned_pdf_needs_ocr():
    from fpdf import FPDF
    from PIL import Image

    picture = io.BytesIO()
    Image.new("L", (400, 300), 200).save(picture, format="PNG")
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(picture, x=10, y=10, w=180)
    error = failure(bytes(pdf.output()), "scan.pdf")
    assert "no text layer" in error.reason and "OCR" in error.reason
    assert error.where == "2 pages"


def test_encrypted_pdf():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Recommendation 1")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    assert "encrypted" in failure(bytes(pdf.output()), "locked.pdf").reason


@pytest.mark.parametrize("data", [b"%PDF-1.4\nnot really a pdf", b"hello, I am text"])
def test_corrupt_pdf(data):
    assert "PDF" in failure(data, "broken.pdf").reason


def test_truncated_pdf():
    data = (FIXTURES / "pdf" / "seed_five_columns.pdf").read_bytes()
    assert "damaged" in failure(data[: len(data) // 3], "cut.pdf").reason


@pytest.mark.parametrize("name, source", [("broken.docx", SEED_DOCX), ("broken.xlsx", SEED_XLSX)])
def test_corrupt_office_files(name, source):
    data = source.read_bytes()
    assert "damaged" in failure(data[: len(data) // 2], name).reason  # a zip cut short
    assert "damaged" in failure(b"PK\x03\x04" + b"\x00" * 200, name).reason


def test_zip_without_a_document_inside():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    assert "damaged" in failure(out.getvalue(), "plan.docx").reason


def test_old_binary_word_file_renamed():
    assert ".doc" in failure(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "plan.docx").reason


@pytest.mark.parametrize("name", ["bomb.docx", "bomb.xlsx"])
def test_zip_bomb_refused_before_opening(monkeypatch, name):
    monkeypatch.setattr(config, "MAX_UNZIPPED_BYTES", 10 * 1024 * 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (40 * 1024 * 1024))  # 40 MB of zeros, ~40 KB packed
    data = out.getvalue()
    assert len(data) < 200_000
    error = failure(data, name)
    assert "zip bomb" in error.reason and error.where == "part word/document.xml"
