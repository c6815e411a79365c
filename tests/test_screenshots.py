"""`make screenshots` (scripts/screenshots.py): the pictures of docs/img that no `sim` command writes are the ones it
makes, every picture a doc shows is there, and without a browser it refuses in one line, exit 2, writing nothing.

It is not run here: its dashboard pictures come from the functions tests/test_dashboard_browser.py drives
(``trainer_session``, ``what_if_session``), its reports from `sim report`, which tests/test_report.py opens in the
same browser.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS_IMG = ROOT / "docs" / "img"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.fixture(scope="module")
def screenshots():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pictures_shown() -> dict[Path, list[str]]:
    """Each picture a doc links to or shows (``![...](img/x.png)``, ``[...](img/x.png)``), with the docs naming it."""
    shown = {}
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)\s]+\.png)\)", doc.read_text()):
            shown.setdefault((doc.parent / target).resolve(), []).append(doc.relative_to(ROOT).as_posix())
    return shown


def test_the_command_makes_every_picture_of_docs_img_but_the_validation_figures(screenshots):
    """validation_*.png are `sim patterns --write-docs`'s; every other picture there is one the command takes again."""
    kept = {path.name for path in DOCS_IMG.iterdir() if not path.name.startswith("validation_")}
    assert sorted(screenshots.PICTURES) == sorted(kept)
    assert screenshots.DOCS_IMG == DOCS_IMG


def test_every_picture_a_doc_shows_is_in_docs_img_and_every_picture_there_is_shown():
    shown = pictures_shown()
    missing = {path.relative_to(ROOT).as_posix(): docs for path, docs in shown.items() if not path.is_file()}
    assert not missing, f"pictures the docs show that are not there: {missing}"
    assert {path for path in shown if path.parent == DOCS_IMG} == set(DOCS_IMG.iterdir()), "a picture no doc shows"


def test_a_report_picture_starts_below_the_section_every_report_opens_with(screenshots):
    """The pictures scroll past 'What these results are' (the same in every report) by its heading's words."""
    from sim.report.validation import validation_html

    assert validation_html().startswith(f"<h2>{screenshots.COMMON}</h2>")


@pytest.mark.parametrize("without", ["chromium", "playwright", "docs/img"])
def test_without_a_browser_or_outside_a_source_checkout_it_refuses_in_one_line_and_writes_nothing(
        screenshots, monkeypatch, capsys, tmp_path, without):
    import sim.browser

    monkeypatch.setattr(sim.browser, "playwright_installed", lambda: without != "playwright")
    monkeypatch.setattr(sim.browser, "chromium", lambda: None if without == "chromium" else "/usr/bin/chromium")
    if without == "docs/img":
        monkeypatch.setattr(screenshots, "DOCS_IMG", tmp_path / "docs" / "img")
    said = {"chromium": sim.browser.NO_CHROMIUM, "playwright": sim.browser.NO_PLAYWRIGHT,
            "docs/img": f"{tmp_path / 'docs' / 'img'} is not a folder: the pictures belong to a source checkout of "
                        "reintegration-sim"}[without]
    before = {path.name: path.stat().st_mtime_ns for path in DOCS_IMG.iterdir()}
    assert screenshots.main() == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.splitlines() == [f"error: screenshots: {said}; nothing was written"]
    assert {path.name: path.stat().st_mtime_ns for path in DOCS_IMG.iterdir()} == before
