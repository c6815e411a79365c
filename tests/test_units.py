"""One share reads one way: every share in percent is written by ``sim.units.percent``, which rounds half away from
zero after removing floating-point noise. Python's own format rounds an exact half to even and keeps the noise, so
0.145 read 15% in one report and 14% in the next (the robustness words wrote their shares with an f-string)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.units import percent, share_interval

ROOT = Path(__file__).resolve().parents[1]
OWN_FORMAT = re.compile(r"\{100 \* [^{}]*:\.\d+f\}%|\{[^{}]*:\.\d*%\}")


@pytest.mark.parametrize(("share", "decimals", "said"), [(0.145, 0, "15%"), (0.125, 0, "13%"), (0.0225, 1, "2.3%"),
                                                        (float("nan"), 0, "n/a")])
def test_a_share_is_rounded_as_a_reader_rounds_it(share, decimals, said):
    assert percent(share, decimals) == said


def test_an_interval_of_shares_is_rounded_as_its_shares():
    assert share_interval(0.125, 0.145) == "95% CI 13 to 15%"


def test_no_share_is_written_in_percent_but_through_percent():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sorted((ROOT / "sim").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if OWN_FORMAT.search(line)]
    assert not found, "write these with sim.units.percent:\n" + "\n".join(found)
