"""The report pack as a PDF (fpdf2, DejaVu fonts): A4, bookmarks, charts with alt text, tables."""
from __future__ import annotations

import io

import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from PIL import Image  # a dependency of fpdf2

from dhrlearn.export import report as r

FONT = "DejaVu"
MARGIN_MM = 20
BODY_PT, SMALL_PT, TABLE_PT = 10.5, 8.5, 8
LINE_MM = 5.5
HEADING_FILL = (225, 232, 240)
CELL_PADDING_MM = 3  # 1 mm each side, and a little for rounding


class _ReportPDF(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-13)
        self.set_font(FONT, "", SMALL_PT)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"{self.footer_text}    Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def render_pdf(data: "r.ReportData", images: list[bytes]) -> bytes:
    pdf = _new_pdf(data)
    _title_page(pdf, data)

    pdf.add_page()
    _heading(pdf, "Executive summary", 1)
    for sentence in data.summary:
        _bullet(pdf, sentence)

    pdf.add_page()
    _heading(pdf, "Charts", 1)
    for number, (section, png) in enumerate(zip(data.sections, images), start=1):
        _chart(pdf, number, section, png)

    pdf.add_page()
    _heading(pdf, "Overdue actions by agency", 1)
    if data.overdue_actions.empty:
        _paragraph(pdf, "No actions were overdue at the as-of date.")
    else:
        _paragraph(pdf, f"Every action overdue at {data.options.date_to:%d/%m/%Y}, by agency, oldest first.")
        _table(pdf, data.overdue_actions)

    pdf.add_page()
    _heading(pdf, "Method notes", 1)
    for heading, text in r.method_notes(data):
        _heading(pdf, heading, 2)
        _paragraph(pdf, text)
    return bytes(pdf.output())


def _new_pdf(data) -> _ReportPDF:
    pdf = _ReportPDF(orientation="portrait", unit="mm", format="A4")
    for style, file in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf"), ("I", "DejaVuSans-Oblique.ttf"),
                        ("BI", "DejaVuSans-BoldOblique.ttf")):
        path = r.FONT_DIR / file
        if not path.exists():
            raise RuntimeError(f"The PDF report needs the DejaVu fonts ({path} is missing): run scripts/setup.sh.")
        pdf.add_font(FONT, style, str(path))
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(data.options.title)
    pdf.set_subject(f"{r.partnership_text(data.options)}, {r.period_text(data.options)}")
    pdf.set_lang("en-GB")
    pdf.footer_text = f"As at {data.options.date_to:%d/%m/%Y}" + (" · DEMO DATA" if data.is_demo else "")
    return pdf


def _title_page(pdf: _ReportPDF, data) -> None:
    o = data.options
    pdf.add_page()
    pdf.set_y(70)
    pdf.set_font(FONT, "B", 24)
    pdf.multi_cell(0, 11, o.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(FONT, "", 15)
    pdf.multi_cell(0, 8, r.partnership_text(o), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font(FONT, "", 12)
    for line in (f"Period: {r.period_text(o)}", f"Figures as at {r._date_text(o.date_to)}"):
        pdf.multi_cell(0, 7, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    if data.is_demo:
        pdf.set_font(FONT, "B", 13)
        pdf.set_text_color(160, 48, 0)
        pdf.multi_cell(0, 7, "Demo data: these figures include fictional demonstration data.",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "B" if o.with_names else "", 11)
    pdf.multi_cell(0, 6, "Contains staff names: not for publication." if o.with_names else
                   "Staff names and agency update text are left out of this report.",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: _ReportPDF, text: str, level: int) -> None:
    size = {1: 17, 2: 13}[level]
    if pdf.will_page_break(size * 1.5):
        pdf.add_page()
    if level == 2:
        pdf.ln(3)
    pdf.start_section(text, level=level - 1)
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _paragraph(pdf: _ReportPDF, text: str, size: float = BODY_PT, style: str = "") -> None:
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(0, LINE_MM, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)


def _bullet(pdf: _ReportPDF, text: str) -> None:
    pdf.set_font(FONT, "", BODY_PT)
    pdf.cell(6, LINE_MM, "•")
    pdf.multi_cell(pdf.epw - 6, LINE_MM, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)


def _png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # the IHDR chunk


def _chart(pdf: _ReportPDF, number: int, section, png: bytes) -> None:
    width_px, height_px = _png_size(png)
    height_mm = r.TEXT_WIDTH_MM * height_px / width_px
    if pdf.will_page_break(height_mm + 25):  # heading, chart and caption stay together
        pdf.add_page()
    _heading(pdf, section.spec.heading, 2)
    pdf.image(_as_jpeg(png), x=pdf.l_margin, w=r.TEXT_WIDTH_MM, h=height_mm,
              title=section.figure.layout.title.text or section.spec.heading, alt_text=section.alt_text)
    _paragraph(pdf, f"Figure {number}. {section.spec.caption}", SMALL_PT, "I")
    _table(pdf, section.table)
    _paragraph(pdf, f"Table {number}. The figures behind figure {number}.", SMALL_PT, "I")
    pdf.ln(4)


def _as_jpeg(png: bytes) -> io.BytesIO:
    """The chart as a high-quality JPEG: fpdf2 embeds JPEG as it is, while a PNG costs ~0.5 s a chart
    to decode and recompress. Full colour resolution keeps coloured text and edges crisp."""
    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=92, subsampling=0, dpi=(300, 300))
    out.seek(0)
    return out


def _table(pdf: _ReportPDF, table: pd.DataFrame) -> None:
    if table.empty:
        _paragraph(pdf, "No rows for the filters chosen.", SMALL_PT)
        return
    pdf.set_font(FONT, "", TABLE_PT)
    numeric = [all(_looks_numeric(v) for v in table[c]) for c in table.columns]
    with pdf.table(col_widths=_column_widths(pdf, table), width=pdf.epw, line_height=4.2, padding=1,
                   text_align=tuple("RIGHT" if n else "LEFT" for n in numeric),
                   headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
                   repeat_headings=1) as grid:
        heading = grid.row()
        for column in table.columns:
            heading.cell(str(column))
        for values in table.itertuples(index=False):
            row = grid.row()
            for value in values:
                row.cell(str(value))
    pdf.ln(1)


def _looks_numeric(value: str) -> bool:
    text = str(value).rstrip("%").replace(",", "")
    try:
        float(text)
    except ValueError:
        return text == ""
    return True


def _column_widths(pdf: _ReportPDF, table: pd.DataFrame) -> tuple[float, ...]:
    """Column widths in mm: each column at least as wide as its longest word (so dates, numbers and
    references never break), and the room left shared by the columns holding longer text."""
    least, wanted = [], []
    for column in table.columns:
        cells = [str(v) for v in table[column]]
        words = {w for text in cells for w in text.split()}
        longest_words = sorted(words, key=len)[-5:]
        heading_words = str(column).split() or [""]
        least.append(max([pdf.get_string_width(w) for w in longest_words] +
                         [1.1 * pdf.get_string_width(w) for w in heading_words]) + CELL_PADDING_MM)
        longest_cell = max(cells + [str(column)], key=len)
        wanted.append(min(pdf.get_string_width(longest_cell), 110) + CELL_PADDING_MM)
    spare = pdf.epw - sum(least)
    growth = [max(w - m, 0) for w, m in zip(wanted, least)]
    if spare <= 0 or not sum(growth):
        return tuple(least)
    share = min(1.0, spare / sum(growth))
    return tuple(m + g * share for m, g in zip(least, growth))
