"""Chart images for print: PNG at 300 dpi for A4 text width, and SVG, from the same plotly figure.

The figure from dhrlearn.charts is copied and given a title, an as-of line and a source line,
then rendered by kaleido with the system's Chromium. kaleido's persistent sync server keeps one
browser open, so after the first image (~2.5 s) each one takes ~0.3 s.
"""
from __future__ import annotations

import datetime as dt
import math
import shutil
import struct
import textwrap
import threading
import zlib

import kaleido
import plotly.graph_objects as go

from dhrlearn.charts import DHRD_CREDIT

CSS_PX_PER_INCH = 96  # plotly lays out in CSS pixels
MM_PER_INCH = 25.4
MAX_HEIGHT_PX = 860  # about 230 mm: a chart never runs off an A4 page
DEFAULT_HEIGHT_PX = 420
FOOTER_FONT_PX = 11
FOOTER_LINE_PX = 15
TITLE_BLOCK_PX = 72  # title and as-of line
LEGEND_PX = 34  # a horizontal legend between them and the plot

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")

# kaleido's sync server pairs requests and answers through shared queues, so two threads
# rendering at once (two dashboard users) could receive each other's images.
_render_lock = threading.Lock()


def as_of_text(as_of: dt.date | str) -> str:
    if isinstance(as_of, (dt.date, dt.datetime)):
        return f"As at {as_of:%d/%m/%Y}"
    return f"As at {as_of}"


def source_text(as_of: dt.date, *, national: bool = False) -> list[str]:
    """The standard source lines: local plans, and the DHRD credit when national data is shown."""
    lines = [f"Source: DHR action plans as at {as_of:%d/%m/%Y}"]
    if national:
        lines.append(f"National data: {DHRD_CREDIT}")
    return lines


def figure_png(fig: go.Figure, *, title: str, as_of, source: str | list[str],
               width_mm: float = 170, dpi: int = 300) -> bytes:
    """A print-quality PNG: `width_mm` wide at `dpi`, with its resolution recorded in the file."""
    figure, width, height = print_figure(fig, title=title, as_of=as_of, source=source, width_mm=width_mm)
    png = _render(figure, "png", width, height, scale=dpi / CSS_PX_PER_INCH)
    return _set_png_dpi(png, dpi)


def figure_svg(fig: go.Figure, *, title: str, as_of, source: str | list[str],
               width_mm: float = 170) -> bytes:
    """The same chart as an SVG, `width_mm` wide when placed at 96 px per inch."""
    figure, width, height = print_figure(fig, title=title, as_of=as_of, source=source, width_mm=width_mm)
    return _render(figure, "svg", width, height)


def print_figure(fig: go.Figure, *, title: str, as_of, source: str | list[str],
                 width_mm: float = 170) -> tuple[go.Figure, int, int]:
    """A copy of `fig` with title, as-of and source lines, sized for print; returns (figure, width, height)."""
    figure = go.Figure(fig)  # a deep copy: the on-screen figure is left as it was
    _drop_own_credit(figure)
    width = round(width_mm / MM_PER_INCH * CSS_PX_PER_INCH)
    wanted = int(figure.layout.height or DEFAULT_HEIGHT_PX)
    height = min(wanted, MAX_HEIGHT_PX)
    if wanted > height:
        _shrink_category_text(figure, height / wanted)
    lines = _wrap([source] if isinstance(source, str) else list(source), width)

    old_top, old_bottom = _margin(figure, "t", 70), _margin(figure, "b", 50)
    top = TITLE_BLOCK_PX + (LEGEND_PX if _has_legend(figure) else 0)
    bottom = _bottom_room(figure) + FOOTER_LINE_PX * len(lines) + 10
    height = min(height + (top - old_top) + (bottom - old_bottom), MAX_HEIGHT_PX + 120)
    figure.update_layout(
        width=width, height=height, margin=dict(t=top, b=bottom),
        title=dict(text=f"<b>{_escape(title)}</b>", subtitle=dict(text=_escape(as_of_text(as_of))),
                   x=0, xanchor="left", xref="container", y=1, yanchor="top", yref="container",
                   pad=dict(t=10, l=10)),
    )
    # Annotations are placed relative to the plot area only: the footer's offset is given in
    # plot heights, and it is anchored at the right edge, whose margin does not grow.
    figure.add_annotation(
        text="<br>".join(_escape(line) for line in lines), showarrow=False,
        xref="paper", yref="paper", x=1, y=-(bottom - 6) / max(height - top - bottom, 1),
        xanchor="right", yanchor="bottom", align="left", xshift=_margin(figure, "r", 30) - 10,
        font=dict(size=FOOTER_FONT_PX, color="#444444"),
    )
    return figure, width, height


def _shrink_category_text(figure: go.Figure, ratio: float) -> None:
    """A chart taller than a page is squeezed to fit: make its bar labels smaller to match,
    so every category keeps its label instead of plotly dropping every other one."""
    base = figure.layout.template.layout.font.size if figure.layout.template else None
    size = max(7, min(base or 14, round((base or 14) * ratio * 1.45)))
    figure.update_yaxes(tickfont_size=size)
    figure.update_traces(textfont_size=size, selector=dict(type="bar"))
    figure.update_layout(legend_font_size=max(size, 11))


def _drop_own_credit(figure: go.Figure) -> None:
    """The source line carries the DHRD credit, so a chart's own credit note is not repeated."""
    kept = [a for a in figure.layout.annotations if DHRD_CREDIT not in (a.text or "")]
    if len(kept) < len(figure.layout.annotations):
        figure.layout.annotations = kept
        figure.layout.margin.b = None  # the room the note needed


def _has_legend(figure: go.Figure) -> bool:
    if figure.layout.showlegend is not None:
        return bool(figure.layout.showlegend)
    return sum(1 for trace in figure.data if trace.showlegend is not False) > 1


def _wrap(lines: list[str], width_px: int) -> list[str]:
    per_line = int((width_px - 20) / (FOOTER_FONT_PX * 0.52))
    return [part for line in lines for part in textwrap.wrap(line, per_line) or [""]]


def _margin(figure: go.Figure, side: str, default: int) -> int:
    value = getattr(figure.layout.margin, side)
    if value is None:
        value = getattr(figure.layout.template.layout.margin, side, None) if figure.layout.template else None
    return int(value if value is not None else default)


def _bottom_room(figure: go.Figure) -> int:
    """Room under the plot for x tick labels, the axis title and any note the chart adds itself."""
    room = _margin(figure, "b", 50)
    axis = figure.layout.xaxis
    if axis.visible is False:
        return 20
    if axis.tickangle not in (None, 0):
        labels = [str(v) for trace in figure.data for v in (getattr(trace, "x", None) or [])]
        longest = max((len(v) for v in labels), default=0)
        room = max(room, int(longest * 0.55 * 14 * abs(math.sin(math.radians(axis.tickangle)))) + 60)
    notes_below = [a for a in figure.layout.annotations if a.yref == "paper" and (a.y or 0) < 0]
    return room + 18 * len(notes_below)


def _escape(text: str) -> str:
    """Plotly reads a little HTML in text; keep user text literal."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _render(figure: go.Figure, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
    _start_server()
    opts = dict(format=fmt, width=width, height=height, scale=scale)
    with _render_lock:
        data = kaleido.calc_fig_sync(figure.to_dict(), opts=opts)
    return data if isinstance(data, bytes) else str(data).encode("utf-8")


def _start_server() -> None:
    # Without a browser kaleido's server thread dies and the next render waits for ever,
    # so say what is missing instead.
    if not any(shutil.which(name) for name in BROWSERS):
        raise RuntimeError("Chart images need Chromium, which is not installed: run scripts/setup.sh.")
    kaleido.start_sync_server(silence_warnings=True)


def _set_png_dpi(png: bytes, dpi: int) -> bytes:
    """Record the resolution (a pHYs chunk), so Word and print tools place the image at its size.

    Written directly rather than re-encoding the image, which would cost ~0.2 s a chart.
    """
    if png[:8] != PNG_SIGNATURE:
        raise ValueError("the chart renderer did not return a PNG")
    pixels_per_metre = round(dpi / MM_PER_INCH * 1000)
    body = struct.pack(">IIB", pixels_per_metre, pixels_per_metre, 1)  # unit 1: metre
    phys = struct.pack(">I", len(body)) + b"pHYs" + body + struct.pack(">I", zlib.crc32(b"pHYs" + body))
    chunks, offset = [], 8
    while offset < len(png):
        length = struct.unpack(">I", png[offset:offset + 4])[0]
        end = offset + 12 + length  # length, type, data, crc
        if png[offset + 4:offset + 8] != b"pHYs":
            chunks.append(png[offset:end])
        if png[offset + 4:offset + 8] == b"IHDR":
            chunks.append(phys)
        offset = end
    return PNG_SIGNATURE + b"".join(chunks)
