"""Standard figures: first-event curves and stigma, NGO and custody series, with 95% bands.

Made to be put in a paper or a report as they are: each figure says under its panels how many people
per replicate and how many replicates it shows and what the band is; panels of one quantity share
their y-axis; the legend sits outside the data; scheduled events are marked on weekly axes; counts
tick at whole numbers. Scenarios appear by their ``title:`` (else their name in words), one colour
each, kept across figures. Text from scenario files is escaped so that a ``$`` never turns on
matplotlib's math mode.
"""

from __future__ import annotations

import functools
import textwrap
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from sim.colour_vision import told_apart  # noqa: E402
from sim.output import replace_file  # noqa: E402
from sim.stats import t_half_width  # noqa: E402
from sim.units import PEOPLE, UNITS, ceiling_of  # noqa: E402

LABELS = {
    "reoffended": "New offence of any kind (first)",
    "terrorism_offence": "Terrorism offence (first)",
    "recalled": "Recalled for breach (first)",
    "returned": "Returned to custody (first)",
    "community_stigma": "Community stigma (mean attitude, 0-1)",
    "experienced_stigma": "Experienced stigma (mean, 0-1)",
    "ngo_enrolled": "Enrolled with an NGO (people)",
    "ngo_waitlist": "On an NGO waitlist (people)",
    "in_custody": "In custody after release (people)",
    "employment_rate": "Employed (share of those in the community)",
    "trust_ngo": "Trust in NGOs (mean, 0-1)",
    "cost_total": "Cost to date (the whole cohort of one run)",
    "cost_per_released": "Cost per person released",
    "custody_weeks": "Custody-weeks (the whole cohort of one run, in prison before release or back in custody)",
    "housing_rate": "Housed (share of those in the community)",
    "trust_government": "Trust in government (mean, 0-1)",
    "ngo_willingness": "NGOs' willingness to cooperate (mean, 0-1)",
    "ngo_reputation": "NGOs' reputation (mean, 0-1)",
    "offences_total": "New offences (count, the whole cohort of one run)",
    "recalls_total": "Recalls for breach (count, the whole cohort of one run)",
    "terrorism_offences_total": "Terrorism offences (count, the whole cohort of one run)",
    "family_bond": "Family bond (mean, 0-1)",
    "family_stigma": "Stigma families experience (mean, 0-1)",
    "prosocial_ties": "Prosocial ties (mean, 0-1)",
    "needs": "Unmet needs (mean, 0-1)",
    "commitment": "Ideological commitment (mean, 0-1)",
    "engagement": "Engagement with the movement (mean, 0-1)",
    "ngo_independence": "NGOs' independence (mean, 0-1)",
    "ngo_places": "NGO places (places)",
    "ngo_enrolled_share": "Enrolled with an NGO (share of the released)",
    "ngo_places_per_person": "NGO places per released person",
    "in_prison": "In prison before release (people)",
    "on_licence": "On licence (people)",
    "licence_ended": "Licence ended (people)",
    "recalled_now": "Recalled this week (people)",
    "returned_now": "Returned to custody this week (people)",
    "probation_contacts": "Probation contacts expected this week",
    "cost_custody": "Cost of custody this week",
    "cost_recalls": "Cost of recalls this week",
    "cost_courts": "Cost of courts this week",
    "cost_probation": "Cost of probation this week",
    "cost_ngo": "Cost of NGO places this week",
    "cost_levers": "Cost of the cooperation levers this week",
    "cost_week": "Cost this week (the whole cohort of one run)",
    "cost_cumulative": "Cost to date (the whole cohort of one run)",
}
"""Each metric a run writes, in words with its unit or scale: the title a figure or table gives it."""
COUNTS = frozenset(metric for metric, unit in UNITS.items() if unit is PEOPLE)  # whole-number ticks
BAND = "bands: 95% t-interval of the mean across replicates"
LINES = "lines: mean"
DPI = 110
# A line at 0 (no event yet, nobody on a waitlist) runs along the bottom of the axis: drawn unclipped and above
# the spine, or the spine and the axis edge hide it and a scenario seems to have no line there
ON_AXIS = {"clip_on": False, "zorder": 3}
FONT_SCALE = 1.3  # about 17 px text at DPI 110: readable in a paper column and on a slide


def plain(text: Any) -> str:
    """Text as matplotlib should print it: a ``$`` from a scenario file stays a dollar sign."""
    return str(text).replace("$", r"\$")


def theme() -> None:
    """Seaborn's white grid at a font size readable at the saved size."""
    sns.set_theme(context="notebook", style="whitegrid", font_scale=FONT_SCALE)


@contextmanager
def matplotlib_defaults() -> Iterator[None]:
    """Draw a figure that takes no theme of its own (a calibration fit, the validation figures, robustness's and
    optimise's) in matplotlib's defaults, whatever theme an earlier figure or a notebook set: ``theme`` here, or
    ``sim.analysis``'s larger one, would enlarge its text past its edges. The theme in force is back afterwards."""
    with plt.style.context("default"):
        yield


def palette(levels: list[str]) -> dict[str, tuple]:
    """One colour per level of something that is not a scenario (a lever, a factor's level), by its position
    (colour-blind safe); one name alone is one level. Scenarios take ``scenario_colours``."""
    levels = [levels] if isinstance(levels, str) else list(levels)
    colours = sns.color_palette("colorblind", max(len(levels), 3))
    return {name: colours[i % len(colours)] for i, name in enumerate(levels)}


REFERENCE_SCENARIO = "baseline"  # the shipped reference: drawn in NEUTRAL wherever it appears
NEUTRAL = "#666666"  # grey: no hue to mistake for another scenario's, dark enough to read as a line on white
SCENARIO_SHADES = ("#0173b2", "#d67a13", "#029e73", "#d55e00", "#cc78bc", "#6e440e", "#776ff7", "#772171")
"""Seaborn's colour-blind-safe palette without its grey (``NEUTRAL`` stands for it) or its yellow, each shade at least
``LINE_CONTRAST`` against white (``sim.colour_vision.contrast``): its orange darkened, its brown darkened, its sky
blue and pale pink (1.7:1, faint on a projector) replaced by a violet and a plum, the shades that left the most pairs
``told_apart``."""
LINE_CONTRAST = 3.0  # WCAG 2.x non-text contrast: a line on white a room can see
COLOUR_ORDER = ("ngo_surge", "high_stigma", "strict_supervision", "full_cooperation", "no_cooperation", "ngo_absent",
                "low_stigma", "light_supervision", "attack_backlash", "general_offenders")
"""The shipped scenarios but the reference, those most often shown beside it first, so that they take the strongest
shades; a shipped scenario not listed comes after them in the shipped order."""


@functools.cache
def _shipped_order() -> dict[str, int]:
    """Each shipped scenario but the reference -> its place among them: ``COLOUR_ORDER``, then the shipped order."""
    from sim.scenarios.loader import shipped_names

    others = [n for n in shipped_names() if n != REFERENCE_SCENARIO and n not in COLOUR_ORDER]
    return {name: i for i, name in enumerate([*COLOUR_ORDER, *others])}


def _slot(name: str) -> int:
    """A scenario's place among SCENARIO_SHADES: its place in ``_shipped_order``, so the first len(SCENARIO_SHADES)
    shipped scenarios have a colour no other has, else a stable hash of its name (crc32, the same in every process,
    unlike ``hash``)."""
    shipped = _shipped_order()
    index = shipped[name] if name in shipped else zlib.crc32(str(name).encode())
    return index % len(SCENARIO_SHADES)


def scenario_colours(scenarios: Iterable[str]) -> dict[str, str]:
    """Scenario name -> its colour (hex), the same in every figure, report and the dashboard whatever its place among
    the scenarios shown: ``baseline`` neutral grey, each other shipped scenario a colour by ``COLOUR_ORDER``, any
    other name a colour by a hash of the name (all colour-blind safe).

    Only when two of the scenarios shown would share a colour (a hash lands on a colour taken, or more scenarios than
    colours), or a room could take one's for another's (``sim.colour_vision.told_apart``: No NGOs' brown and General
    offenders' orange were 12 apart in CIEDE2000, 7 on a projector), does one move: scenarios keep theirs in the
    shipped order first, then by name, and one whose colour is taken or too close to one shown has the next free one
    told apart from those shown (the next free one, where the palette has none left), so the colours depend on which
    scenarios are shown, never on their order. One name alone is one scenario."""
    scenarios = [scenarios] if isinstance(scenarios, str) else list(dict.fromkeys(scenarios))
    shipped, count = _shipped_order(), len(SCENARIO_SHADES)
    colours: dict[str, str] = {REFERENCE_SCENARIO: NEUTRAL}
    shown = [NEUTRAL] if REFERENCE_SCENARIO in scenarios else []
    taken: set[int] = set()
    for name in sorted((n for n in scenarios if n != REFERENCE_SCENARIO),
                       key=lambda n: (n not in shipped, shipped.get(n, 0), str(n))):
        free = [slot for slot in ((_slot(name) + i) % count for i in range(count)) if slot not in taken]
        clear = (slot for slot in free if all(told_apart(SCENARIO_SHADES[slot], colour) for colour in shown))
        slot = next(clear, free[0] if free else _slot(name))
        taken.add(slot)
        colours[name] = SCENARIO_SHADES[slot]
        shown.append(colours[name])
    return {name: colours[name] for name in scenarios}


def settings_dicts(scenarios: Iterable[Any] | None) -> list[dict]:
    """Scenario settings (Scenario objects, the manifest's dicts, or bare names) as plain dicts."""
    return [s.model_dump(mode="json") if hasattr(s, "model_dump") else {"name": s} if isinstance(s, str) else dict(s)
            for s in scenarios or [] if s is not None]


def titles(scenarios: Iterable[Any] | None, names: Iterable[str] = ()) -> dict[str, str]:
    """Scenario name -> what figures show: its ``title:``, else the name with spaces for underscores."""
    found = {s.get("name"): s.get("title") for s in settings_dicts(scenarios)}
    return {name: found.get(name) or str(name).replace("_", " ") for name in [*found, *names] if name is not None}


def titled(names: Mapping[str, str], name: str) -> str:
    """A scenario as a policy reader meets it in words: its title, with its name (what reruns it) in brackets when the
    two differ; `names` as ``titles`` gives them (a name it lacks is shown as it is)."""
    title = names.get(name) or name
    return name if title == name else f"{title} ({name})"


def scheduled_events(scenarios: Iterable[Any] | None) -> list[tuple[int, str]]:
    """(week, label) of every scheduled media shock and policy change, once each, in week order. An event that not
    every scenario shown has is labelled with the titles of those that have it ('tougher licence conditions (Attack in
    the media, then backlash)'): a line on a shared axis says nothing of whose it is."""
    shown = settings_dicts(scenarios)
    names = titles(shown)
    owners: dict[tuple[int, str], list[str]] = {}
    for settings in shown:
        for event in settings.get("events") or []:
            key = (int(event["week"]), str(event.get("label") or event.get("kind", "event")))
            title = names.get(settings.get("name"), str(settings.get("name")))
            if title not in owners.setdefault(key, []):
                owners[key].append(title)
    return sorted((week, label if len(who) == len(shown) else f"{label} ({'; '.join(who)})")
                  for (week, label), who in owners.items())


def caption(scenarios: Iterable[Any] | None, frame: pd.DataFrame | None, band: str = BAND, lines: str = LINES) -> str:
    """Who the figure shows: released people per replicate, replicates per scenario, what the lines and band are."""
    sizes = sorted({int(s["population"]["released"]) for s in settings_dicts(scenarios) if "population" in s})
    parts = []
    if sizes:
        parts.append(f"{' / '.join(f'{n:,}' for n in sizes)} released people per replicate")
    if frame is not None and "replicate" in frame:
        counts = sorted(set(frame.groupby("scenario")["replicate"].nunique()))
        parts.append(f"{' / '.join(str(c) for c in counts)} replicate{'s' if counts != [1] else ''} per scenario")
    parts += [lines, band]
    return plain("; ".join(parts))


def band(frame: pd.DataFrame, x: str, y: str, *, floor: float | None = None, ceiling: float | None = None
         ) -> pd.DataFrame:
    """Mean and 95% t-interval of `y` across replicates at each `x` (as ``sim.stats.interval``, cut to
    [floor, ceiling]), with the number of replicates that have a value there.

    Mean and band are NaN wherever fewer replicates have a value than at the best-covered `x`: past the
    last week since release a replicate follows anyone to, or in a week when some replicates have nobody
    in the community, the mean of the others is a mean over another set of replicates, and joining it
    to the rest would draw two averages as one curve (a cumulative share could even fall).
    """
    grouped = frame.groupby(x)[y]
    mean, sd, n = grouped.mean(), grouped.std(ddof=1), grouped.count()
    half = pd.Series(t_half_width(sd, n), index=n.index).fillna(0)  # one replicate: a line without a band
    drawn = pd.DataFrame({"mean": mean, "low": (mean - half).clip(floor, ceiling),
                          "high": (mean + half).clip(floor, ceiling)}).where(n == n.max())
    return drawn.assign(replicates=n).reset_index()


def draw_bands(ax, frame: pd.DataFrame, x: str, y: str, colours: dict[str, Any], scale: float = 1.0,
               names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Mean line and 95% band per scenario, only where all its replicates have a value (``band``); returns
    what was drawn (``band``'s columns with ``scenario`` and ``metric``) for the caption to say where lines stop.

    Every quantity drawn is a share, a 0-1 level or a count, so the band is cut at zero, and shares and levels
    (by their unit, ``sim.units.ceiling_of``) at 1, rather than showing impossible values.
    """
    ceiling = ceiling_of(frame[y])
    bands = {scenario: band(group.dropna(subset=[y]), x, y, floor=0.0, ceiling=ceiling)
             for scenario, group in frame.groupby("scenario", sort=False)}
    top = max((float(np.nanmax(b["mean"])) for b in bands.values() if b["mean"].notna().any()), default=0.0)
    styles = coincident_dashes({scenario: (b[x], b["mean"]) for scenario, b in bands.items()}, within=OVERLAID * top)
    for scenario, b in bands.items():
        label = plain((names or {}).get(scenario, scenario))
        ax.plot(b[x], b["mean"] * scale, color=colours[scenario], label=label, lw=2, ls=styles[scenario], **ON_AXIS)
        ax.fill_between(b[x], b["low"] * scale, b["high"] * scale, color=colours[scenario], alpha=0.2, lw=0)
    drawn = [b.assign(scenario=scenario, metric=y) for scenario, b in bands.items()]
    return pd.concat(drawn, ignore_index=True) if drawn else pd.DataFrame()


OVERLAID = 0.01
"""Two lines of a panel whose means never differ by more than this share of the panel's highest mean lie under one
another (a 2-point line in a panel of a figure's size is about a hundredth of its height): ``coincident_dashes`` dashes
them. Baseline's grey lay wholly under High community stigma's orange in the NGO panels (1.9 people apart at most,
on a panel of 320), and the legend named a line nobody could see."""


def coincident_dashes(lines: dict[str, tuple[np.ndarray, np.ndarray]], dash: float = 3.0,
                      within: float = 0.0) -> dict[str, object]:
    """A line style for each named line: solid, or, where lines coincide (scenarios alike, or none with an event; or
    never more than `within` apart at the same x, where they would be drawn over one another), dashes that take
    turns, so that each of the coinciding lines shows instead of the last drawn hiding the others."""
    groups: list[list[str]] = []
    for name, (x, y) in lines.items():
        group = next((group for group in groups if _overlaid((x, y), lines[group[0]], within)), None)
        if group is None:
            groups.append([name])
        else:
            group.append(name)
    styles: dict[str, object] = {}
    for names in groups:
        for turn, name in enumerate(names):
            styles[name] = "-" if len(names) == 1 else (turn * dash, (dash, (len(names) - 1) * dash))
    return styles


def _overlaid(line: tuple[np.ndarray, np.ndarray], other: tuple[np.ndarray, np.ndarray], within: float) -> bool:
    """Whether two lines are drawn over one another: the same x, and y never more than `within` apart (a gap where
    both have none)."""
    (x, y), (ox, oy) = [(np.asarray(a, float), np.asarray(b, float)) for a, b in (line, other)]
    if x.shape != ox.shape or y.shape != oy.shape or not np.array_equal(x, ox) or \
            not np.array_equal(np.isnan(y), np.isnan(oy)):
        return False
    apart = np.abs(y - oy)[~np.isnan(y)]
    return bool((apart <= within).all())


def weeks_text(weeks: Iterable[int]) -> str:
    """Weeks in words, consecutive ones as a run: ``week 5``, ``weeks 1-4, 60``."""
    runs: list[list[int]] = []
    for week in sorted(set(weeks)):
        if runs and week == runs[-1][-1] + 1:
            runs[-1].append(week)
        else:
            runs.append([week])
    text = ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else f"{run[0]}" for run in runs)
    return f"week {text}" if len(runs) == 1 and len(runs[0]) == 1 else f"weeks {text}"


def curve_ends(drawn: pd.DataFrame) -> str:
    """Where first-event lines end, and why, when some end before the longest follow-up drawn; else nothing."""
    if drawn.empty:
        return ""
    x = "weeks_since_release"
    ends = drawn.dropna(subset=["mean"]).groupby(["scenario", "metric"])[x].max()
    longest = drawn[x].max()
    if ends.empty or ends.min() >= longest:
        return ""
    span = weeks_text(range(ends.min(), ends.max() + 1))
    return (f"; each line ends at the last week since release all its scenario's replicates reach ({span} of "
            f"{longest}): later weeks rest on fewer replicates")


def weeks_left_out(drawn: pd.DataFrame) -> str:
    """The weeks of simulation where a line is left out because only some replicates have a value; else nothing."""
    if drawn.empty:
        return ""
    partial = drawn.loc[drawn["mean"].isna(), "week"]
    if partial.empty:
        return ""
    return f"; no line at {weeks_text(partial)}, where only some replicates have anyone in the community"


def followed_by_everyone(scenarios: Iterable[Any] | None) -> int | None:
    """The last week since release to which every scenario follows everyone it releases: the run's weeks less the
    release window (the last released are followed that long); None when the settings do not say."""
    weeks = [int(s["weeks"]) - int(s["release"]["window_weeks"])
             for s in settings_dicts(scenarios) if "weeks" in s and "window_weeks" in (s.get("release") or {})]
    return min(weeks) if weeks else None


def mark_followed(axes, curves: pd.DataFrame, scenarios: Iterable[Any] | None) -> str:
    """A dashed line where follow-up stops covering everyone, when the curves go past it, and the caption's words
    for it: to its right a curve rests on those released first, so it is noisier than the headline horizons."""
    week = followed_by_everyone(scenarios)
    if week is None or curves.empty or curves["weeks_since_release"].max() <= week:
        return ""
    for ax in axes:
        ax.axvline(week, color="#555555", ls="--", lw=0.9, zorder=1)
    return (f"; the dashed line (week {week} since release) is as far as everyone released is followed: later weeks "
            "rest on those released first")


def mark_events(ax, events: list[tuple[int, str]], *, labelled: bool = True) -> None:
    """A dotted line at each scheduled event, and its number at the top of the panel (stacked when several share a
    week); ``event_key`` gives the numbers' labels in the caption. A label on the panel itself covered the data and,
    naming whose event it is, squeezed the panels apart."""
    stacked: dict[int, int] = {}
    for number, (week, _) in enumerate(events, start=1):
        ax.axvline(week, color="#555555", ls=":", lw=1.2, zorder=1)
        if labelled:
            row = stacked[week] = stacked.get(week, -1) + 1
            ax.annotate(str(number), (week, 0.97 - 0.1 * row), xycoords=("data", "axes fraction"), xytext=(3, 0),
                        textcoords="offset points", fontsize="x-small", va="top", ha="left", color="#333333",
                        bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": "#555555", "lw": 0.6, "alpha": 0.85})


def event_key(events: list[tuple[int, str]]) -> str:
    """The caption's words for the numbered event lines: '; dotted lines: scheduled events, 1 week 52: attack
    reported in the media; 2 week 80: ...'; nothing without events."""
    if not events:
        return ""
    return "; dotted lines: scheduled events, " + "; ".join(
        f"{number} week {week}: {plain(label)}" for number, (week, label) in enumerate(events, start=1))


def label_points(ax, points: list[tuple[float, float]], labels: list[str], **text) -> list:
    """Write each label beside its point where it covers no other label and no point, nearest first; a label moved
    away from its point gets a thin line back to it. Points that coincide or nearly do (two levers with the same
    effect) would otherwise print their labels over one another. Call it once the layout is done."""
    fig = ax.figure
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    scale = fig.dpi / 72  # offsets are in points, boxes in pixels
    pixels = ax.transData.transform(np.asarray(points, dtype=float).reshape(-1, 2))
    taken = [Bbox.from_bounds(x - 6 * scale, y - 6 * scale, 12 * scale, 12 * scale)
             for x, y in pixels]
    inside = ax.get_window_extent(renderer)
    directions = [(1, 0.6), (-1, 0.6), (1, -0.6), (-1, -0.6), (0, 1), (0, -1), (1, 0), (-1, 0)]
    placed = []
    for (x, y), label in zip(points, labels, strict=True):
        for distance in (8, 16, 26, 38, 52):
            for dx, dy in directions:
                line = {"arrowprops": {"arrowstyle": "-", "lw": 0.5, "color": "grey"}} if distance > 8 else {}
                candidate = ax.annotate(label, (x, y), xytext=(dx * distance, dy * distance), textcoords="offset points",
                                        ha={1: "left", -1: "right", 0: "center"}[dx],
                                        va="bottom" if dy > 0 else "top" if dy < 0 else "center", **line, **text)
                candidate.update_positions(renderer)
                box = Text.get_window_extent(candidate, renderer)  # the words, without the line back
                if inside.contains(box.x0, box.y0) and inside.contains(box.x1, box.y1) \
                        and not any(box.overlaps(other) for other in taken):
                    break
                candidate.remove()
            else:
                continue
            break
        else:  # nowhere free: beside the point, as before
            candidate = ax.annotate(label, (x, y), xytext=(7, 5), textcoords="offset points", **text)
            candidate.update_positions(renderer)
            box = Text.get_window_extent(candidate, renderer)
        taken.append(box)
        placed.append(candidate)
    return placed


def legend_outside(fig, ax, note: str = "") -> None:
    """One legend for the whole figure, below the panels (off the data), the caption as its heading."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        legend = fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), frameon=False,
                            title=note or None, title_fontsize="small")
        legend.get_title().set_color("#444444")
    elif note:
        fig.supxlabel(note, fontsize="small", color="#444444")


MIN_WIDTH = 12.5  # inches: a figure of one or two panels still holds its title and caption on one or two lines


def panels(count: int, *, width: float = 5.2, height: float = 4.6, alone: tuple[int, ...] = ()):
    """A row of panels sharing one y-axis, laid out so that titles, legend and caption never overlap; the panels at
    the indices `alone` each on a y-axis of their own, with its numbers (a count of about 10 people in custody on the
    0-320 axis of NGO places read as a flat line at 0)."""
    theme()
    fig, axes = plt.subplots(1, count, figsize=(max(width * count, MIN_WIDTH), height), sharey=not alone, squeeze=False,
                             layout="constrained")
    axes = list(axes[0])
    shared = [ax for index, ax in enumerate(axes) if index not in alone]
    for ax in shared[1:]:
        ax.sharey(shared[0])
        ax.tick_params(labelleft=False)  # the numbers once, on the first of the panels sharing them, as sharey=True has
    return fig, axes


def wrap(text: str, width: float, per_inch: float) -> str:
    """Text broken into lines that fit `width` inches of figure at about `per_inch` characters an inch."""
    return "\n".join(textwrap.wrap(text, max(20, int(width * per_inch))))


def parameter_label(key: str, width: float, per_inch: float = 12) -> str:
    """A parameter as an axis names it for a reader who does not know its key: its name in words with its unit
    (``key_heading``) on at most three lines of `width` inches, over the key that a scenario file or ``--set`` uses;
    the key alone for one the schema does not know. Every name fits in three lines of a PRIM figure's axes (a lever's
    running cost, its unit of 46 characters beside it, takes three on the narrower y axis); only on a narrower axis is
    the name shortened with '…', the key below saying which it is."""
    from sim.scenarios.names import key_heading

    heading = key_heading(key, room=3 * max(20, int(width * per_inch)))
    return plain(wrap(heading, width, per_inch) + f"\n{key}" if heading else key)


def finish(fig, axes, title: str, note: str) -> None:
    """Title on top; legend and the caption (who is shown, what the band is) below the panels.

    The shared y-axis is scaled once all panels are drawn, from zero: every quantity is non-negative.
    """
    width = fig.get_figwidth()
    fig.suptitle(wrap(plain(title), width, 6.5), fontweight="bold")
    legend_outside(fig, axes[0], wrap(note, width, 9))
    for ax in axes:
        if ax.has_data():
            ax.relim()
            ax.autoscale_view()
    for ax in axes:
        if ax.has_data() and ax.get_ylim()[0] < 0 <= ax.dataLim.y0:
            ax.set_ylim(bottom=0)


FIRST_EVENT_PANELS = ("reoffended", "terrorism_offence", "recalled", "returned")
"""The order of first-event panels in every figure: offences, then custody (the curves and the Kaplan-Meier figure)."""


def curves_figure(curves: pd.DataFrame, scenarios=None, metrics=None,
                  title: str = "Recidivism and recall: cumulative share of the released cohort"):
    """First-event curves by weeks since release, one panel per outcome, in percent of the cohort.

    By default any new offence, recall and return, and terrorism offences when a run has any.
    """
    if metrics is None:
        terrorism = "terrorism_offence" in curves and bool((curves["terrorism_offence"] > 0).any())
        metrics = tuple(m for m in FIRST_EVENT_PANELS if terrorism or m != "terrorism_offence")
    names = titles(scenarios, dict.fromkeys(curves["scenario"]))
    colours = scenario_colours(curves["scenario"])
    fig, axes = panels(len(metrics))
    drawn = []
    for ax, metric in zip(axes, metrics, strict=True):
        drawn.append(draw_bands(ax, curves, "weeks_since_release", metric, colours, scale=100, names=names))
        ax.set(title=LABELS.get(metric, metric), xlabel="Weeks since release")
    axes[0].set_ylabel("Share of cohort (%)")
    finish(fig, axes, title, caption(scenarios, curves) + mark_followed(axes, curves, scenarios)
           + curve_ends(pd.concat(drawn, ignore_index=True)))
    return fig


def weekly_figure(timeseries: pd.DataFrame, scenarios=None, metrics=("community_stigma", "experienced_stigma"),
                  title: str = "Stigmatisation: community attitudes and what released people experience",
                  ylabel: str | None = None, own_scale: tuple[str, ...] = ()):
    """Weekly series by week of simulation, one panel per metric, scheduled events marked; the panels share a y-axis
    but those of `own_scale`, each on its own (the caption says which)."""
    names = titles(scenarios, dict.fromkeys(timeseries["scenario"]))
    colours = scenario_colours(timeseries["scenario"])
    events = scheduled_events(scenarios)
    alone = tuple(index for index, metric in enumerate(metrics) if metric in own_scale)
    fig, axes = panels(len(metrics), alone=alone)
    drawn = []
    for ax, metric in zip(axes, metrics, strict=True):
        drawn.append(draw_bands(ax, timeseries, "week", metric, colours, names=names))
        mark_events(ax, events, labelled=ax is axes[0])
        ax.set(title=LABELS.get(metric, metric), xlabel="Week of simulation")
        if metric in COUNTS:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if ylabel is None:
        ylabel = "Stigma\n(0 accepting, 1 rejecting)" if all("stigma" in m for m in metrics) else (
            "People" if all(m in COUNTS for m in metrics) else "")
    axes[0].set_ylabel(ylabel)
    own = " and ".join(f"'{LABELS.get(metric, metric).split(' (')[0]}'" for metric in metrics if metric in own_scale)
    scales = ("" if not alone else f"; the panel {own} has a y scale of its own" if len(alone) == 1 else
              f"; the panels {own} each have a y scale of their own")
    note = (caption(scenarios, timeseries) + weeks_left_out(pd.concat(drawn, ignore_index=True)) + scales
            + event_key(events))
    finish(fig, axes, title, note)
    return fig


def support_figure(timeseries: pd.DataFrame, scenarios=None):
    """NGO enrolment and waitlist on one y scale, people in custody after release (about a tenth as many) on its own."""
    return weekly_figure(timeseries, scenarios, ("ngo_enrolled", "ngo_waitlist", "in_custody"),
                         title="Support and custody over time", own_scale=("in_custody",))


def draw_run(curves: pd.DataFrame, timeseries: pd.DataFrame, folder: Path, scenarios=None) -> list[Path]:
    """Write the standard figures of a run into `folder` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        save(curves_figure(curves, scenarios), folder / "recidivism_recall.png"),
        save(weekly_figure(timeseries, scenarios), folder / "stigma.png"),
        save(support_figure(timeseries, scenarios), folder / "ngo_custody.png"),
    ]


def save(fig, path, dpi: int = DPI):
    """Write `fig` as a PNG to `path` (a file, or an open buffer such as a report's) and close it."""
    if fig.get_layout_engine() is None:
        fig.tight_layout()
    try:
        if isinstance(path, str | Path):  # through a temporary file, so that an interrupted write leaves no half figure
            replace_file(Path(path), lambda temporary: fig.savefig(temporary, dpi=dpi, format="png"))
        else:
            fig.savefig(path, dpi=dpi, format="png")
    finally:
        plt.close(fig)
    return path
