"""Live curves: one scenario on the dashboard, two overlaid on the comparison page."""

# ruff: noqa: N802 - Solara components are named like classes, as in Solara's and Mesa's own code

from __future__ import annotations

import html
import itertools

import solara
from mesa.visualization.utils import update_counter

from sim.dashboard.briefing import title, watched, what_to_watch
from sim.dashboard.curve_data import PANEL_GROUPS, RECALLED_EVER, cohort_sizes, no_places, overlaid_marks
from sim.dashboard.drawing import CHART_DPI, CHART_SIZE, COMPARISON_CHART_SIZE, CurvesPicture, scenario_curves
from sim.dashboard.session import ComparisonModel, TrainerModel
from sim.figures import scenario_colours
from sim.units import percent

# Which of PANEL_GROUPS the curves show: one value per browser session (Solara scopes a module's reactive variable to
# its session), set by the buttons in the sidebar, on both pages.
shown_panels = solara.reactive(next(iter(PANEL_GROUPS)))


def colours(scenarios: list[str]) -> list[str]:
    """Each side's hex colour: its scenario's own, as in every figure and report (``sim.figures.scenario_colours``,
    which keeps the colours shown together apart for colour-blind viewers and on a washed-out projector); of two
    sides of one scenario (sliders set apart) the second takes a colour of its own, so the two stay apart."""
    sides = [name if name not in scenarios[:i] else f"{name} ({i + 1})" for i, name in enumerate(scenarios)]
    own = scenario_colours(sides)
    return [own[side] for side in sides]


@solara.component
def WhatToWatch(model: TrainerModel):
    """The preset's title and what to watch, large enough to read out to the room."""
    solara.HTML(tag="div", classes=["sim-watch"], unsafe_innerHTML=watch_html(model))


def watch_html(model: TrainerModel) -> str:
    """The title, '(changed)' when sliders were moved before the start (the mark at week 0 says how), what to watch."""
    settings = model.settings
    changed = " (changed)" if model.changed else ""
    text = what_to_watch(settings.description)
    where = "".join(f" <span class='sim-watch-where'>(Some of it is under &lsquo;{html.escape(group)}&rsquo; on the "
                    "left.)</span>" for group in elsewhere(text, shown_panels.value))
    return (f"<b class='sim-title'>{html.escape(title(settings))}{changed}</b> &mdash; "
            f"<span class='sim-watch-text'>{html.escape(text)}</span>{where}")


def elsewhere(text: str, shown: str) -> list[str]:
    """The other groups of curves (``PANEL_GROUPS``) holding a curve ``text`` tells the room to watch: with three
    panels at a time, a preset's 'Watch ...' may name curves not on screen."""
    named = watched(text)
    return [group for group, panels in PANEL_GROUPS.items()
            if group != shown and any(column in named for _, columns, _, _ in panels for column, _ in columns)]


@solara.component
def Headline(model: TrainerModel):
    """This week's numbers in words, across the whole page: in the curves' column (540 px at 1280x720) the end of a run
    took three lines and pushed the curves down."""
    update_counter.get()
    solara.HTML(tag="div", classes=["sim-headline"], unsafe_innerHTML=headline(model))


@solara.component
def LiveCurves(model: TrainerModel):
    update_counter.get()
    panels = PANEL_GROUPS[shown_panels.value]
    picture = solara.use_memo(lambda: scenario_curves(model, panels), [model, panels])
    picture_bytes = picture.update()
    with solara.Column(gap="4px", classes=["sim-curves"]):
        Picture(picture_bytes)
        EventList(all_marks([model]))
    solara.use_effect(model.drawn)  # once this render's changes are applied to the page (Paced)


@solara.component
def PanelPicker():
    """Buttons that choose which curves the picture shows (``PANEL_GROUPS``): the three outcomes the tool compares,
    or work, home and the NGO places; all five in one picture were too low to read from across a room."""
    with solara.Div(classes=["sim-panels"]):
        solara.Text("Curves shown", classes=["sim-slider-label"], style={"display": "block"})
        solara.ToggleButtonsSingle(value=shown_panels, values=list(PANEL_GROUPS), mandatory=True, dense=True)


@solara.component
def Picture(picture_bytes: bytes, size: tuple[float, float] = CHART_SIZE):
    """The curves at their own size (``size`` in inches at CHART_DPI), so chart text stays 16 px, or as large as the
    screen allows (the page's style, which reads the picture's aspect from ``--sim-aspect``)."""
    style = {"width": f"{round(size[0] * CHART_DPI)}px", "max-width": "100%", "--sim-aspect": f"{size[0] / size[1]:.4f}"}
    with solara.Div(style=style, classes=["sim-picture"]):
        solara.Image(picture_bytes, width="100%", format="jpeg")


@solara.component
def EventList(marks: list[tuple[int, str]]):
    """What each numbered mark on the curves is: media shocks and policy changes so far.

    Below the picture: a run's own media shocks and a few slider moves make it several lines long, and
    above the picture it pushed the curves' week axis off a 1280x720 screen. Where it would still run below the
    screen, ``MarkFolding`` folds the earliest into one lead."""
    if marks:
        solara.HTML(tag="div", classes=["sim-events"], unsafe_innerHTML=marks_html(marks))


@solara.component_vue("mark_folding.vue", vuetify=False)
def MarkFolding():
    """Folds the earliest marks of the lists on the page into their lead, as few as keep each list on the screen:
    a dozen moves took four lines or more, below a 1280x720 screen, and only the browser knows how many lines fit.
    Clicking a lead opens every mark over the curves, open until closed however often the list is redrawn."""


def marks_html(marks: list[tuple[int, str]]) -> str:
    """Each mark's number and week, marks in a row of the same kind sharing their label ('1 week 0, 2 week 1: media
    shock (trainer)'): with the label repeated, six media shocks took three lines, and under a what to watch of three
    lines the third was below a 1280x720 screen. Each mark is a ``sim-mark`` in its row's ``sim-run``, its separator
    a ``sim-sep``, so that ``MarkFolding`` can fold the earliest into the lead (``sim-earlier``, hidden until then):
    a button that opens every mark over the curves (``MarkFolding`` reads them from its tooltip)."""
    numbered = list(enumerate(marks, start=1))
    runs = itertools.groupby(numbered, key=lambda mark: mark[1][1])
    listed = "".join(
        f"<span class='sim-run'>{separator('; ') if i else ''}"
        + "".join(f"<span class='sim-mark'>{separator(', ') if j else ''}<b>{number}</b> week {week}</span>"
                  for j, (number, (week, _)) in enumerate(run))
        + f": {html.escape(text)}</span>" for i, (text, run) in enumerate(runs))
    every = html.escape("\n".join(f"{number} week {week}: {text}" for number, (week, text) in numbered), quote=True)
    lead = (f"<span class='sim-earlier' hidden role='button' tabindex='0' aria-expanded='false' title='{every}'>"
            "<span class='sim-earlier-numbers'></span> earlier (click for all); </span>")
    return lead + listed


def separator(text: str) -> str:
    """A separator between marks, which ``MarkFolding`` hides before the first mark still listed."""
    return f"<span class='sim-sep'>{text}</span>"


@solara.component
def ComparisonCurves(model: ComparisonModel):
    update_counter.get()
    names = [title(model.left.settings), title(model.right.settings)]
    if names[0] == names[1]:
        names = [f"{names[0]} (A)", f"{names[1]} (B)"]
    shades = colours([model.left.settings.name, model.right.settings.name])
    panels = PANEL_GROUPS[shown_panels.value]
    picture = solara.use_memo(
        lambda: CurvesPicture([(names[0], model.left, shades[0]), (names[1], model.right, shades[1])], panels=panels,
                              size=COMPARISON_CHART_SIZE),
        [model, panels],
    )
    picture_bytes = picture.update()
    with solara.Column(gap="4px", classes=["sim-curves", "sim-main"]):
        solara.HTML(tag="div", classes=["sim-headline"], unsafe_innerHTML=comparison_week(model))
        solara.HTML(tag="table", classes=["sim-sides"], unsafe_innerHTML=sides_table(model, names, shades))
        Picture(picture_bytes, COMPARISON_CHART_SIZE)
        if note := populations_note(model, names):
            solara.HTML(tag="div", classes=["sim-populations"], unsafe_innerHTML=note)
        EventList(all_marks([model.left, model.right], names))
    solara.use_effect(model.drawn)  # once this render's changes are applied to the page (Paced)


def populations_note(pair: ComparisonModel, names: list[str]) -> str:
    """Under the curves, when the two sides release different numbers of people (not the same people, then), how
    many each releases: only the table above said it, and the room read No NGOs' curves beside General offenders' (400
    and 1,000 released) as one population's. One line at 1280x720 with the two longest titles: a second took the room
    of a line of marks."""
    sizes = cohort_sizes([pair.left, pair.right])
    if sizes[0] == sizes[1]:
        return ""
    (left, right), (left_released, right_released) = names, sizes
    return (f"{html.escape(left)}: {left_released:,} released; {html.escape(right)}: {right_released:,}. Not the same "
            "people.")


STIGMA_SCALE = "0 accepting, 1 rejecting"
# the scale kept on one line: where the headline wrapped (the end of a run at 1920x1080) it split as "(0 accepting, 1"
# and "rejecting)" on the next line, a 1 read as a count
STIGMA_SCALE_HTML = f"<span class='sim-scale' style='white-space:nowrap'>{STIGMA_SCALE}</span>"
SIDE_COLUMNS = ("reoffended", "recalled", "released", "NGO waitlist", "community stigma", "felt stigma")
SIDE_HEADERS = ("reoffended", RECALLED_EVER, "released", "NGO waitlist", "stigma", "felt stigma")  # one line at 1280x720


def comparison_week(pair: ComparisonModel) -> str:
    """The week and seed of both sides, and the stigma scale their numbers share (once, not on each side's line)."""
    return f"{week_label(pair)}, same seed ({pair.pair.seed}); stigma {STIGMA_SCALE_HTML}"


def sides_table(pair: ComparisonModel, names: list[str], shades: list[str]) -> str:
    """Both sides' numbers as a table, a line each under one header: as sentences each side took two lines at 1280x720
    (three with a long title and large numbers, pushing the marks list off the screen), repeating the stigma scale."""
    header = "".join(f"<th>{column}</th>" for column in ("", *SIDE_HEADERS))
    rows = []
    for name, run, shade in zip(names, (pair.left, pair.right), shades, strict=True):
        ended = f" <span class='sim-side-ended'>(week {run.week}, its end)</span>" if run.week < pair.week else ""
        cells = shown_numbers(run).values()
        rows.append(f"<tr><th><span class='sim-key' style='background:{shade}'></span>{html.escape(name)}{ended}</th>"
                    + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return f"<tr>{header}</tr>{''.join(rows)}"


def all_marks(models: list[TrainerModel], names: list[str] | None = None) -> list[tuple[int, str]]:
    """The events of the models in the order the picture numbers them (``overlaid_marks``; passed by value, so the
    list re-renders); with `names` (a comparison's sides) each says which side it is on, as the picture says it only by
    its colour."""
    sides = [f", in {name}" for name in names] if names is not None else [""] * len(models)
    return [(week, text + sides[run]) for week, text, run in overlaid_marks(models)]


# Where the NGOs offer no places (No NGOs), those on the waitlist were referred and wait for a place none has: "325
# on the NGO waitlist" raised "waiting for what?"
NO_PLACES_HEADLINE = "referred, no NGO place to take them"
NO_PLACES_CELL = " (no NGO places)"
NOBODY_OUT = "nobody out yet"  # felt stigma before anyone is released: the stigma released people feel, of no one


def shown_numbers(model: TrainerModel) -> dict[str, str]:
    """This week's numbers as the page writes them, by the names of the comparison's columns. Felt stigma before
    anyone is out is said in words (``NOBODY_OUT``), as the headline says it: the what-if table's '-' at week 0 read as
    a number missing, a minus or a gap."""
    row = model.history[-1]
    felt = row["experienced_stigma"]
    return dict(zip(SIDE_COLUMNS, (
        percent(row["reoffended"]), percent(row["recalled"]), f"{row['released']:,}",
        f"{row['ngo_waitlist']:,.0f}{NO_PLACES_CELL if no_places(row) else ''}", f"{row['community_stigma']:.2f}",
        NOBODY_OUT if felt != felt else f"{felt:.2f}"), strict=True))


def headline(model: TrainerModel) -> str:
    """This week's numbers in words, for the room at the back that cannot read the axes; stigma with its scale, in
    words short enough for two lines at 1280x720 (a third pushed the list of marks below the screen). After a media
    shock fired this week, community stigma now beside the week's (``TrainerModel.stigma_after_shock``)."""
    n, row = shown_numbers(model), model.history[-1]
    community = f"community stigma {n['community stigma']}" + (
        "" if model.stigma_after_shock is None else f", {model.stigma_after_shock:.2f} after the media shock")
    waiting = (f"{n['NGO waitlist'].removesuffix(NO_PLACES_CELL)} {NO_PLACES_HEADLINE}" if no_places(row)
               else f"{n['NGO waitlist']} on the NGO waitlist")
    stigma = (f"{community}, felt stigma {n['felt stigma']} ({STIGMA_SCALE_HTML})"
              if n["felt stigma"] != NOBODY_OUT else  # "felt stigma - (0 accepting, ...)" read as a minus or a gap
              f"{community} ({STIGMA_SCALE_HTML}); felt stigma: {NOBODY_OUT}")
    text = (f"{n['reoffended']} reoffended, {n['recalled']} {RECALLED_EVER} of {n['released']} released; "
            f"{waiting}; {stigma}")
    return f"{week_label(model)}: {text}"


def week_label(model: TrainerModel | ComparisonModel) -> str:
    """The week shown, and at the end of the run that it is the end: Play and Step are greyed out then,
    with nothing else on the page to say why. Its end, not ``running``: that also reads False while the run waits
    paused for the trainer's return from the other page (``Paced.leave``), and the page drawn on that return said
    "Week 7 (end of the run)" of a run of 182 weeks until the next Step."""
    ended = "" if model.still_running() else " <b class='sim-ended'>(end of the run)</b>"
    return f"<b class='sim-week'>Week {model.week}</b>{ended}"
