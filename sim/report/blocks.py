"""The HTML pieces every section of a report is made of: a figure embedded as a PNG (nothing is fetched, so the file
reads offline) and a table of every row, escaped."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import pandas as pd

from sim.checked_read import damaged
from sim.figures import save

DPI = 80


def figure_html(fig, caption: str) -> str:
    """A matplotlib Figure as an embedded PNG (the figure is closed)."""
    buffer = save(fig, io.BytesIO(), dpi=DPI)
    return png_html(buffer.getvalue(), caption)


def png_html(data: bytes, caption: str) -> str:
    text = html.escape(caption)
    encoded = base64.b64encode(data).decode("ascii")
    return f'<figure><img alt="{text}" src="data:image/png;base64,{encoded}"><figcaption class="note">{text}</figcaption></figure>'


def table_html(frame: pd.DataFrame | None, *, index: bool = True, digits: int = 3) -> str:
    """A frame as an HTML table, every row (escaped; numbers to `digits` significant digits)."""
    if frame is None or frame.empty:
        return '<p class="note">(none)</p>'
    text = frame.to_html(index=index, float_format=lambda v: f"{v:.{digits}g}", border=0, na_rep="", escape=True)
    return text


PNG_END = b"IEND\xaeB`\x82"  # the last chunk of every PNG file


def png_file_html(path: Path, caption: str) -> str:
    """A PNG file of the folder, embedded; a truncated one is named rather than shown broken."""
    data = path.read_bytes()
    if not data.endswith(PNG_END):
        raise damaged(path, "is truncated (no PNG end marker)", "an intact PNG file (rerun the command that wrote it)")
    return png_html(data, caption)


def figure_of(path: Path, caption: str, draw) -> str:
    """The folder's figure at `path`, or, when it was not written (``--no-figures``), `draw(file)` into the report."""
    if path.exists():
        return png_file_html(path, caption)
    buffer = io.BytesIO()
    draw(buffer)
    return png_html(buffer.getvalue(), caption)
