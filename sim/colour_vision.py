"""How far apart two colours look to a room: CIEDE2000 between sRGB colours, as people with normal vision, the two
commonest colour-vision deficiencies and a washed-out projector see them.

Figures and the dashboard tell scenarios apart by colour (``sim.figures.scenario_colours``), and the dashboard its
network's statuses by colour alone, so colours shown together must stay apart for everyone in the room, not only on
the screen they were picked on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])  # Machado, Oliveira & Fernandes 2009, severity 1
PROTANOPIA = np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                       [-0.003882, -0.048116, 1.051998]])
SEEN_BY: dict[str, Callable[[np.ndarray], np.ndarray]] = {  # linear sRGB -> linear sRGB as seen
    "normal vision": lambda linear: linear,
    "deuteranopia": lambda linear: np.clip(linear @ DEUTERANOPIA.T, 0, 1),
    "protanopia": lambda linear: np.clip(linear @ PROTANOPIA.T, 0, 1),
    "a projector in a lit room": lambda linear: 0.15 + 0.85 * linear,  # black raised to 15% of white
    "deuteranopia on that projector": lambda linear: 0.15 + 0.85 * np.clip(linear @ DEUTERANOPIA.T, 0, 1),
}
APART = 20  # CIEDE2000: colours told apart across a room need far more than a just-noticeable 2


def linear_rgb(colour: str) -> np.ndarray:
    srgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def contrast(first: str, second: str = "#ffffff") -> float:
    """The WCAG 2.x contrast ratio of two hex colours, from their relative luminance: 1 (none) to 21 (black on white);
    a line needs 3 against its background to be seen (non-text contrast)."""
    lighter, darker = sorted((float(np.array([0.2126, 0.7152, 0.0722]) @ linear_rgb(c)) for c in (first, second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def lab(linear: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of linear sRGB."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz = xyz / np.array([0.9505, 1.0, 1.089])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(first: np.ndarray, second: np.ndarray) -> float:
    """The CIEDE2000 colour difference (Sharma, Wu & Dalal 2005): about 2 is just noticeable, 20 is plain."""
    (l1, a1, b1), (l2, a2, b2) = first, second
    mean_c = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(mean_c**7 / (mean_c**7 + 25**7)))
    c1, c2 = np.hypot((1 + g) * a1, b1), np.hypot((1 + g) * a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, (1 + g) * a1)) % 360, np.degrees(np.arctan2(b2, (1 + g) * a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    mean_h = h1 + h2 if c1 * c2 == 0 else ((h1 + h2) / 2 if abs(h1 - h2) <= 180 else (h1 + h2 + 360) / 2 % 360)
    mean_l, mean_cp = (l1 + l2) / 2, (c1 + c2) / 2
    t = (1 - 0.17 * np.cos(np.radians(mean_h - 30)) + 0.24 * np.cos(np.radians(2 * mean_h))
         + 0.32 * np.cos(np.radians(3 * mean_h + 6)) - 0.20 * np.cos(np.radians(4 * mean_h - 63)))
    sl = 1 + 0.015 * (mean_l - 50) ** 2 / np.sqrt(20 + (mean_l - 50) ** 2)
    sc, sh = 1 + 0.045 * mean_cp, 1 + 0.015 * mean_cp * t
    rt = (-2 * np.sqrt(mean_cp**7 / (mean_cp**7 + 25**7))
          * np.sin(np.radians(60 * np.exp(-(((mean_h - 275) / 25) ** 2)))))
    dl, dc, dhh = (l2 - l1) / sl, (c2 - c1) / sc, 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2)) / sh
    return float(np.sqrt(dl**2 + dc**2 + dhh**2 + rt * dc * dhh))


def difference(first: str, second: str, seen_by: str = "normal vision") -> float:
    """How far apart two hex colours look to ``seen_by`` (one of ``SEEN_BY``), in CIEDE2000."""
    see = SEEN_BY[seen_by]
    return ciede2000(lab(see(linear_rgb(first))), lab(see(linear_rgb(second))))


@functools.cache
def told_apart(first: str, second: str) -> bool:
    """Whether a room tells two curves' colours apart: ``APART`` or more with normal vision, half that however else
    they are seen (colour-blind, on a projector), the margin a curve keeps from the network's status colours. All of
    ``APART`` for everyone left no two of the colour-blind-safe palette's eight shades apart for half the pairs."""
    return all(difference(first, second, seen_by) >= (APART if seen_by == "normal vision" else APART / 2)
               for seen_by in SEEN_BY)
