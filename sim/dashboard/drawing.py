"""Matplotlib pictures of the network sample and the curves, kept apart from Solara so they can be timed.

A dashboard frame must take well under 200 ms. Laying out text and axes is most of matplotlib's time,
so each picture draws its static part (edges, axes, ticks, labels) once, keeps that background, and
per update only restores it and draws the moving artists (blitting); a JPEG (several times quicker to
encode than a PNG, and smaller) goes to the page, of ``PIXEL_RATIO`` times as many pixels as the picture's size
on the page at 1280x720, so no screen scales it up. Figures are plain ``Figure`` objects, never pyplot state shared between sessions.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

import matplotlib.style
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator, PercentFormatter
from matplotlib.transforms import ScaledTranslation
from PIL import Image

from sim.agents.states import Status
from sim.dashboard.briefing import title
from sim.dashboard.curve_data import MAIN_PANELS, Panel, curve_frame, like_for_like, overlaid_marks, read_panels
from sim.dashboard.network_sample import STATUS_COLOURS
from sim.dashboard.session import TrainerModel

STIGMA_MAP = "Purples"
PIXEL_RATIO = 2  # picture pixels per CSS pixel of the size a picture is laid out at (1280x720): shown up to 1.65 times
# larger on a 1920x1080 projector, a picture of as many pixels as its layout was scaled up and its lines and text blurred;
# at twice as many it is scaled down there, and sharp on a screen of device pixel ratio 2 too
STATUS_RGBA = np.array([[int(STATUS_COLOURS[s][i : i + 2], 16) / 255 for i in (1, 3, 5)] + [1.0] for s in Status])


def own_style(method):
    """Run a picture's drawing under matplotlib's default style, whatever the process set: a notebook's or
    ``sim.analysis``'s seaborn theme (larger fonts and paddings) would otherwise push the legends onto the
    panel titles. Ticks are made when drawn, so updates need it as much as the build."""

    @functools.wraps(method)
    def drawn(*args, **kwargs):
        with matplotlib.style.context("default"):
            return method(*args, **kwargs)

    return drawn


class Blitted:
    """A figure whose static background is rendered once; ``jpeg()`` redraws only the animated artists."""

    def __init__(self, figure: Figure, moving: list) -> None:
        # blitted in this order, over the background: by z-order, so what is beneath (a band) stays beneath
        self.figure, self.moving = figure, sorted(moving, key=lambda artist: artist.get_zorder())
        self.canvas = FigureCanvasAgg(figure)
        for artist in moving:
            artist.set_animated(True)
        self.background = None

    def invalidate(self) -> None:
        """Call after changing anything static (axis limits, annotations)."""
        self.background = None

    def jpeg(self) -> bytes:
        if self.background is None:
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self.background)
        renderer = self.canvas.get_renderer()
        for artist in self.moving:
            artist.draw(renderer)
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(self.canvas.buffer_rgba())).convert("RGB").save(buffer, format="jpeg", quality=90)
        return buffer.getvalue()


NETWORK_DPI = 80  # CSS pixels per inch of the network picture: 480 px across, its column's width at 1280x720


class NetworkPicture(Blitted):
    """The network sample of one model: laid out once, recoloured by stigma and status every update.

    The picture has no text: legend, colour scale and week are shown by the page around it.
    """

    @own_style
    def __init__(self, model: TrainerModel) -> None:
        self.model = model
        sample = self.sample = model.network_sample
        figure = Figure(figsize=(6.0, 6.0), dpi=NETWORK_DPI * PIXEL_RATIO)
        ax = figure.add_axes((0.01, 0.01, 0.98, 0.98))
        ax.set_axis_off()
        positions, split = sample.positions, sample.community.size
        ax.add_collection(LineCollection(positions[sample.edges], colors="#c8c8c8", linewidths=0.5, zorder=1))
        self.members = ax.scatter(*positions[:split].T, c=sample.stigma(model), cmap=STIGMA_MAP, vmin=0, vmax=1,
                                  s=16, edgecolors="#777777", linewidths=0.3, zorder=2)
        self.people = ax.scatter(*positions[split:].T, c=STATUS_RGBA[sample.status(model)], marker="s", s=56,
                                 edgecolors="black", linewidths=0.4, zorder=3)
        ax.autoscale_view()
        super().__init__(figure, [self.members, self.people])

    @own_style
    def update(self) -> bytes:
        model, sample = self.model, self.sample
        self.members.set_array(sample.stigma(model))
        self.people.set_facecolors(STATUS_RGBA[sample.status(model)])
        return self.jpeg()


CHART_DPI = 80  # CSS pixels per inch of the curves picture as laid out on the page (it has PIXEL_RATIO times as many)
CHART_FONT_PT = 14.5  # every text of the curves picture, in points at CHART_DPI ...
CHART_FONT_PX = CHART_FONT_PT * CHART_DPI / 72  # ... 16 px at the picture's own size: readable on a projector
CHART_SIZE = (6.75, 5.7)  # inches: 540 x 456 px, shown at that size: all of it and two lines of marks in view at 1280 x 720
COMPARISON_CHART_SIZE = (10.5, 5.7)  # inches: the what-if page's curves, as high and wider (840 px fit its column at
# 1280x720): they have the page's width, no network beside them; at CHART_SIZE 600 of its 1,500 px at 1920x1080 were empty
CHART_GAPS = {"h_pad": 1 / 72, "hspace": 0.0}  # inches between panels: matplotlib's default spacing cost five panels
# 20 px of the curves' height, and the line of marks under them went below a 1280 x 720 screen
KEY_LENGTH = 1.6  # a legend swatch's length per run, in font sizes
MIN_PANEL_PX = 110  # least height of each plot at the picture's own size in CSS px (tested): a trend, or two scenarios' gap,
# read from across a room; three panels of PANEL_GROUPS get 112 px
SERIES_STYLES = ("-", "--")
SERIES_COLOURS = ("#222222", "#cc79a7")  # one scenario's two series in a panel: near-black and pink, no status's colour
STATUS_SERIES = {"recalled": STATUS_COLOURS[Status.RECALLED]}  # a curve of one status has its colour in the network view
# A series that holds the other of its panel and is often made of it (every recall for breach is a return to custody,
# and most returns are such recalls; in the extremist scenarios most new offences are terrorism offences) is a wide
# light band beneath that one: as a second line it hid it or was hidden (black showed between the dashes).
BANDS = {"returned", "reoffended"}
BAND_WIDTH = 8.0  # points, against 2.4 for a line: the band shows on both sides of the line it carries
BAND_LIGHTEN = 0.5  # share of white mixed into a band's colour, so the line on it stays the darker
BAND_ZORDER = 1.9  # under the lines (2)
# The numbers of the event marks sit in a band of their own along the top of the first panel, above the highest value
# its axis shows (the axis is raised to make room), so no curve runs under a number: on the curves, at 0.96 and 0.5 of
# the panel's height, their circles hid the lines they sat on.
MARK_BAND_PX = 1.6 * CHART_FONT_PX + BAND_WIDTH / 2 * CHART_DPI / 72  # CSS px: a label's circle, and half a band's
# width, which reaches that far above its top value
MARK_BAND_COLOUR = "#f2f2f2"  # the band's light grey: set apart from the plot, not read as a series
Y_TICKS = {"nbins": 3, "steps": [1, 2, 5, 10]}  # few round ticks on each value axis
MARK_LABEL_ROWS = 1  # rows of numbers in the band
MARK_GAP_PX = 0.2 * CHART_FONT_PX * PIXEL_RATIO  # least room between two mark labels in a row, in picture pixels


class CurvesPicture(Blitted):
    """Stacked panels of live curves, one per entry of ``panels``; ``runs`` are (label, model, colour) overlaid on the same axes.

    One run: each series has its own colour and line style; two runs: colour tells the run, line style
    the series. Each title says its unit (a label beside a panel this low ran past it). Legends sit above each panel
    beside its title (short titles, so neither covers the
    other), outside the data; events are numbered dotted lines (the page lists what each number
    was; numbers too close to read apart share a label, ``mark_labels``), their numbers in a band above the first
    panel's curves (``mark_band``), so no text covers the legend or a curve. Shares are drawn
    in percent. Lines get new data each update; the y-axes grow in coarse steps (1, 2, 5 x 10^k), and
    events are marked as they happen, and only then is the background redrawn: a full redraw costs
    about 180 ms against 10 ms for an update, so while playing it shows as a hitch.
    """

    @own_style
    def __init__(self, runs: list[tuple[str, TrainerModel, str]], series_colours: tuple[str, str] | None = None,
                 panels: tuple[Panel, ...] = MAIN_PANELS, size: tuple[float, float] = CHART_SIZE) -> None:
        panels = like_for_like(read_panels(panels, [model.settings for _, model, _ in runs]),
                               [model for _, model, _ in runs])
        self.runs, self.series_colours, self.panels = runs, series_colours, panels
        figure = Figure(figsize=size, dpi=CHART_DPI * PIXEL_RATIO, layout=ConstrainedLayoutEngine(**CHART_GAPS))
        self.axes = list(figure.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0])
        weeks = max(model.settings.weeks for _, model, _ in runs)
        self.lines: list[tuple[TrainerModel, Line2D, str, float, int]] = []
        for _, model, colour in runs:
            for panel, (ax, (_, columns, scale, _)) in enumerate(zip(self.axes, panels, strict=True)):
                for i, ((column, _), style) in enumerate(zip(columns, SERIES_STYLES[:len(columns)], strict=True)):
                    (line,) = ax.plot([], [], **series_style(style, self.line_colour(column, i, colour),
                                                             banded(column, columns)))
                    self.lines.append((model, line, column, scale, panel))
        for ax, (heading, _, scale, unit) in zip(self.axes, panels, strict=True):
            ax.set_title(heading, fontsize=CHART_FONT_PT, loc="left", fontweight="bold")
            ax.tick_params(labelsize=CHART_FONT_PT)
            ax.set_xlim(0, weeks)
            ax.set_ylim(0, 1 if scale == 1.0 and unit != "people" else 10)
            if scale == 100.0:
                ax.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
            ax.yaxis.set_major_locator(MaxNLocator(**Y_TICKS, integer=unit == "people"))
            ax.grid(alpha=0.3)
            # the legend names the series; with two runs their colours are named on the page above
            columns = panels[self.axes.index(ax)][1]
            handles = [self.legend_key(column, i, style, banded(column, columns))
                       for i, ((column, _), style) in enumerate(zip(columns, SERIES_STYLES[:len(columns)], strict=True))]
            ax.legend(handles, [name for _, name in columns], fontsize=CHART_FONT_PT, loc="lower right",
                      bbox_to_anchor=(1.0, 1.0), borderaxespad=0.1, ncol=2, frameon=False,
                      handlelength=KEY_LENGTH * len(runs), columnspacing=0.8,
                      handler_map={tuple: HandlerTuple(ndivide=None, pad=0)})
        week_beside_ticks(self.axes[-1])
        figure.canvas = FigureCanvasAgg(figure)
        # lay out once, for the widest tick labels the axes can grow to (100%, twice the cohort in people):
        # limits change, the layout does not, so laid out for "10%" the "%" label left the picture at "100%"
        released = max(model.settings.population.released for _, model, _ in runs)
        first = [ax.get_ylim() for ax in self.axes]
        for ax, (_, _, scale, unit) in zip(self.axes, panels, strict=True):
            if scale == 100.0 or unit == "people":
                ax.set_ylim(0, 100.0 if scale == 100.0 else nice_ceiling(2 * released))
        figure.get_layout_engine().execute(figure)
        figure.set_layout_engine("none")
        close_up(self.axes)
        self.headroom, self.band = mark_band(self.axes[0], integer=panels[0][3] == "people")
        self.mark_row = 1 - (1 - 1 / self.headroom) / 2  # the band's middle, in axes fraction
        self.ceilings = [top for _, top in first]  # the highest value each panel's axis shows
        for panel, (_, top) in enumerate(first):
            self.set_ceiling(panel, top)
        self.marks_shown: list[tuple[int, str]] = []  # (week, colour) of the events marked, in their numbers' order
        self.mark_artists: list = []  # their dotted lines and labels
        self.label_widths: dict[str, float] = {}
        super().__init__(figure, [line for _, line, _, _, _ in self.lines])

    def set_ceiling(self, panel: int, ceiling: float) -> None:
        """Show values up to ``ceiling`` on ``panel``'s axis; the first panel's axis reaches higher, over the band of
        mark numbers (``mark_band``)."""
        self.ceilings[panel] = ceiling
        self.axes[panel].set_ylim(0, ceiling * (self.headroom if panel == 0 else 1.0))

    def legend_key(self, column: str, i: int, style: str, band: bool) -> Line2D | tuple[Line2D, ...]:
        """A series' swatch in its legend, drawn as the series is: with two runs, side by side in each run's colour. A
        grey band and a black line stood for series drawn in the runs' colours (a light orange band, an orange line):
        they matched nothing on the curves."""
        keys = tuple(Line2D([], [], **series_style(style, self.line_colour(column, i, colour), band))
                     for _, _, colour in self.runs)
        return keys[0] if len(keys) == 1 else keys

    def line_colour(self, column: str, i: int, run_colour: str) -> str:
        """The colour a series of a run is drawn in: its own (``series_colour``) when one run has series colours, else
        its run's."""
        return self.series_colour(column, i) if len(self.runs) == 1 and self.series_colours else run_colour

    def series_colour(self, column: str, i: int) -> str:
        """One scenario's colour for a series: its status's colour in the network view, else the panel's i-th; a band
        the first's (made light by ``series_style``): the second, pink made light, came too near the not-yet-released
        grey for colour-blind viewers."""
        return STATUS_SERIES.get(column, self.series_colours[0 if column in BANDS else i])

    @own_style
    def update(self) -> bytes:
        frames = {id(model): curve_frame(model) for _, model, _ in self.runs}
        tops = [0.0] * len(self.axes)
        for model, line, column, scale, panel in self.lines:
            frame = frames[id(model)]
            values = frame[column].to_numpy() * scale
            if banded(column, self.panels[panel][1]):
                values = before_the_first(values)
            line.set_data(frame["week"].to_numpy(), values)
            tops[panel] = max(tops[panel], float(np.nanmax(values)) if np.isfinite(values).any() else 0.0)
        cohort = float(max(model.settings.population.released for _, model, _ in self.runs))
        for panel, ((_, _, scale, unit), top) in enumerate(zip(self.panels, tops, strict=True)):
            # a share stops at 100%, a count of people at the cohort (0-1000 for 400 people left the curves a strip)
            cap = 100.0 if scale == 100.0 else cohort if unit == "people" else None
            ceiling = grown_ceiling(top, self.ceilings[panel], cap=cap)
            if self.ceilings[panel] != ceiling:
                self.set_ceiling(panel, ceiling)
                self.invalidate()
        marks = self.event_weeks()
        if marks != self.marks_shown:
            self.draw_marks(marks)
            self.invalidate()
        return self.jpeg()

    def draw_marks(self, marks: list[tuple[int, str]]) -> None:
        """Every event's dotted line and the numbers over them, drawn afresh when an event is added: a new one may
        share a label with the last (``mark_labels``). The labels are drawn over the dotted lines, in the band."""
        for artist in self.mark_artists:
            artist.remove()
        self.moving = [artist for artist in self.moving if artist not in self.mark_artists]
        self.mark_artists = [ax.axvline(week, color=colour, linewidth=1.4, alpha=0.8, linestyle=":")
                             for week, colour in marks for ax in self.axes]
        top = self.axes[0]
        lines_x = [top.transData.transform((week, 0))[0] for week, _ in marks]
        for numbers, _, centre in mark_labels(lines_x, self.label_width, top.bbox.intervalx, MARK_LABEL_ROWS):
            label = top.annotate(numbered(numbers), (top.transData.inverted().transform((centre, 0))[0], self.mark_row),
                                 xycoords=("data", "axes fraction"),
                                 **mark_style(numbers, label_colour([marks[n - 1][1] for n in numbers])))
            label.set_animated(True)
            self.mark_artists.append(label)
            self.moving.append(label)
        self.moving.sort(key=lambda artist: artist.get_zorder())
        self.band.set_visible(bool(marks))
        self.marks_shown = marks

    def label_width(self, text: str) -> float:
        """Pixels a mark label of ``text`` takes across, its circle or box included."""
        if text not in self.label_widths:
            probe = self.axes[0].annotate(text, (0, 0), **mark_style(numbers_in(text), "white"))
            renderer = self.canvas.get_renderer()
            probe.update_bbox_position_size(renderer)
            self.label_widths[text] = max(probe.get_window_extent(renderer).width,
                                          probe.get_bbox_patch().get_window_extent(renderer).width)
            probe.remove()
        return self.label_widths[text]

    def event_weeks(self) -> list[tuple[int, str]]:
        """(week, colour) of each event mark, numbered in this order on the picture and on the page (``overlaid_marks``)."""
        return [(week, self.runs[run][2]) for week, _, run in overlaid_marks([model for _, model, _ in self.runs])]


def mark_labels(lines_x: list[float], width: Callable[[str], float], within: tuple[float, float],
                rows: int = MARK_LABEL_ROWS) -> list[tuple[list[int], int, float]]:
    """The labels over the events' dotted lines at ``lines_x`` (pixels; mark n at ``lines_x[n - 1]``): the mark
    numbers each names, its row and its centre, between its lines and inside ``within`` (the panel's left and right
    edges: at week 0 a number centred on the axis covered the axis's top number). From left to right each number
    goes on the first row where it clears every label by ``MARK_GAP_PX``; where no row has room (three events in three
    weeks of a long run lie 6 px apart) it joins the label last placed, which then reads e.g. "2-3", and any label of
    that row the wider one reaches joins too: drawn over each other, the numbers read as neither. ``width`` gives a
    label's width in pixels from its text."""

    def span(numbers: list[int]) -> tuple[float, float]:
        half = width(numbered(numbers)) / 2
        centre = (min(lines_x[n - 1] for n in numbers) + max(lines_x[n - 1] for n in numbers)) / 2
        centre = min(max(centre, within[0] + half), within[1] - half)
        return centre - half - MARK_GAP_PX / 2, centre + half + MARK_GAP_PX / 2

    def reached(numbers: list[int], row: int) -> list[int] | None:
        left, right = span(numbers)
        return next((other for other, at in labels if at == row and left < span(other)[1] and span(other)[0] < right),
                    None)

    labels: list[tuple[list[int], int]] = []
    for number in sorted(range(1, len(lines_x) + 1), key=lambda n: lines_x[n - 1]):
        row = next((row for row in range(rows) if reached([number], row) is None), None)
        if row is not None:
            labels.append(([number], row))
            continue
        numbers, row = labels.pop()
        numbers = sorted([*numbers, number])
        while (other := reached(numbers, row)) is not None:
            labels.remove((other, row))
            numbers = sorted(numbers + other)
        labels.append((numbers, row))
    return [(numbers, row, sum(span(numbers)) / 2) for numbers, row in labels]


def numbered(numbers: list[int]) -> str:
    """A label's text: its mark numbers, consecutive ones as a range ("1-3"; "2,3" looked like "23"), others with commas
    ("1,4-5")."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ",".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def numbers_in(text: str) -> list[int]:
    """The mark numbers a label's text names: the inverse of ``numbered``."""
    numbers: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        numbers += range(int(first), int(last or first) + 1)
    return numbers


MIXED_MARKS_EDGE = "#222222"  # a label shared by marks of both scenarios of a comparison: the numbers' own colour


def label_colour(colours: list[str]) -> str:
    """The edge of a label over marks whose lines have ``colours``: their colour when they share one, else neither
    scenario's. Edged in the first one's colour, "3-4" of a comparison (3 in High community stigma's orange, 4 in Attack
    in the media's blue) read as two marks of High community stigma."""
    return colours[0] if len(set(colours)) == 1 else MIXED_MARKS_EDGE


def mark_style(numbers: list[int], colour: str) -> dict:
    """How a mark label is drawn: one number in a circle, as ever; several in a rounded box, edged in ``colour``
    (``label_colour``)."""
    box = "circle,pad=0.15" if len(numbers) == 1 else "round,pad=0.15"
    return {"ha": "center", "va": "center", "fontsize": CHART_FONT_PT, "color": "#222222",
            "bbox": {"boxstyle": box, "fc": "white", "ec": colour}}


def before_the_first(values: np.ndarray) -> np.ndarray:
    """A band's values with the weeks before its first non-zero one left out (not a number, so not drawn): at 0 a wide
    band drew a grey strip along the axis before anyone had returned to custody."""
    started = np.flatnonzero(values > 0)
    gone = started[0] if started.size else len(values)
    return np.concatenate([np.full(gone, np.nan), values[gone:]])


WEEK_LABEL_LEFT_PT = 10  # points from the week axis's start to the end of its label: a share of the axis's width put
# it off the wider what-if picture's left edge ('eek')


def week_beside_ticks(ax) -> None:
    """The week axis's label left of its tick labels, under the y-axis's, instead of on a line of its own: that line
    is worth about 20 px to the panels' height."""
    ax.set_xlabel("week", fontsize=CHART_FONT_PT, ha="right", va="top")
    clear = ax.xaxis.get_tick_padding() + 3  # points below the axis: 3 more than the numbers, clear of the lowest y label
    below_ticks = ScaledTranslation(-WEEK_LABEL_LEFT_PT / 72, -clear / 72, ax.figure.dpi_scale_trans)
    ax.xaxis.set_label_coords(0.0, 0.0, transform=ax.transAxes + below_ticks)


def mark_band(ax, integer: bool) -> tuple[float, Rectangle]:
    """Give the top of ``ax`` (the first panel, laid out) to a band of MARK_BAND_PX for the mark numbers, above the
    highest value its axis shows, and ticks no higher; returns how much higher the axis must reach than that value, and
    the band's light shade, hidden until there is a mark (a grey strip over nothing said nothing)."""
    band = MARK_BAND_PX * PIXEL_RATIO / ax.bbox.height  # axes fraction
    shade = ax.add_patch(Rectangle((0, 1 - band), 1, band, transform=ax.transAxes, facecolor=MARK_BAND_COLOUR,
                                   edgecolor="none", zorder=0.1, visible=False))
    headroom = 1 / (1 - band)
    ax.yaxis.set_major_locator(BelowBand(headroom, **Y_TICKS, integer=integer))
    return headroom, shade


class BelowBand(MaxNLocator):
    """MaxNLocator's ticks up to the highest value an axis shows below its band of mark numbers (``mark_band``)."""

    def __init__(self, headroom: float, **settings) -> None:
        super().__init__(**settings)
        self.headroom = headroom

    def tick_values(self, vmin: float, vmax: float):
        highest = vmax / self.headroom
        return [tick for tick in super().tick_values(vmin, highest) if tick <= highest * (1 + 1e-9)]


def close_up(axes: list) -> None:
    """Stack the panels with just their title's and legend's line between them (the height constrained layout leaves
    above the first) and share the rest equally: constrained layout gave every panel the bottom margin of the last
    (its week axis), some 15 px each that the plots need on a projector."""
    top, bottom = axes[0].get_position().y1, axes[-1].get_position().y0
    header = 1 - top
    height = (top - bottom - (len(axes) - 1) * header) / len(axes)
    for i, ax in enumerate(axes):
        box = ax.get_position()
        ax.set_position((box.x0, top - (i + 1) * height - i * header, box.width, height))


def series_style(style: str, colour: str, band: bool) -> dict:
    """How a series is drawn, on the curves and in its legend: a line of ``style``, or for a band (``banded``) a wide
    solid stroke in ``colour`` made light, beneath the lines."""
    if not band:
        return {"linestyle": style, "linewidth": 2.4, "color": colour}
    light = BAND_LIGHTEN + (1 - BAND_LIGHTEN) * np.array(to_rgb(colour))
    return {"linestyle": "-", "linewidth": BAND_WIDTH, "color": light, "zorder": BAND_ZORDER, "solid_capstyle": "butt"}


def banded(column: str, columns: tuple[tuple[str, str], ...]) -> bool:
    """Whether a series of a panel of ``columns`` is drawn as a band (``BANDS``): only beneath the other series it holds.
    Alone in its panel (a general cohort's offences, with no terrorism curve: ``read_panels``) it is a line: a light
    band said 'beneath something' over nothing, and two sides' bands blurred into one."""
    return column in BANDS and len(columns) > 1


def scenario_curves(model: TrainerModel, panels: tuple[Panel, ...] = MAIN_PANELS) -> CurvesPicture:
    """The dashboard's curves of one scenario: each series in its own colour, a status's curve in that status's."""
    return CurvesPicture([(title(model.settings), model, SERIES_COLOURS[0])], SERIES_COLOURS, panels)


def grown_ceiling(top: float, current: float, cap: float | None = None) -> float:
    """The y-axis top for curves reaching ``top``: unchanged while they fit, else twice ``top`` made nice.

    Doubling leaves room for the curve to grow, so an axis rescales (a full redraw) about three times
    in a run instead of at every step of 1, 2, 5, 10, ...; ``cap`` bounds percentages at 100 and counts of people at
    the cohort's size.
    """
    if top <= current:
        return current
    ceiling = nice_ceiling(2 * top)
    return min(ceiling, cap) if cap is not None and top <= cap else ceiling


def nice_ceiling(value: float) -> float:
    """The next of 1, 2, 5 x 10^k at or above ``value`` (at least 1), so an axis rescales rarely."""
    value = max(value, 1.0)
    magnitude = 10 ** np.floor(np.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)
