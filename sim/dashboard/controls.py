"""The trainer's controls: preset picker, policy sliders and the media-shock button.

``sim.dashboard.play`` supplies play, pause, step and reset; these controls change what is being run.
Sliders act on the running model through ``change_policy`` (marked on the curves), except those that
only shape the world when it is built, which apply on Reset.
"""

# ruff: noqa: N802 - Solara components are named like classes, as in Solara's and Mesa's own code

from __future__ import annotations

import solara
from mesa.visualization.utils import force_update, update_counter

from sim.dashboard.briefing import title
from sim.dashboard.curves import PanelPicker
from sim.dashboard.session import ComparisonModel, Pair, TrainerModel
from sim.dashboard.sliders import SLIDERS, SliderSpec
from sim.scenarios import load_scenario, shipped_names

MEDIA_SHOCK = 0.3
MAIN_SLIDERS = 3  # stigma, supervision, NGO places: in view; the ten cooperation levers are folded


def preset_titles() -> dict[str, str]:
    """Scenario title (what the picker shows) -> shipped name."""
    return {title(load_scenario(name)): name for name in shipped_names()}


@solara.component
def PresetPicker(model: solara.Reactive[TrainerModel], replace):
    presets = solara.use_memo(preset_titles, [])
    names = {name: title for title, name in presets.items()}
    setup = model.value.setup

    def pick(title: str) -> None:
        setup.choose(presets[title])
        replace(TrainerModel(setup))

    solara.Select(label="Scenario", values=list(presets), value=names.get(setup.preset, setup.preset), on_value=pick,
                  classes=["sim-preset"], dense=True)


@solara.component
def PolicySliders(model: solara.Reactive[TrainerModel], specs: tuple[SliderSpec, ...], help_text: bool = True):
    """The sliders of ``specs`` at the values in force in the model, redrawn when a value changes (a scheduled policy
    change, a move) or the model does (a preset, a Reset), not every week: all thirteen redrawn each week while
    playing were work the page's thread did between weeks for nothing."""
    in_force = use_policy_in_force(model, specs)
    for spec, value in zip(specs, in_force, strict=True):
        # keyed by the model: a new preset or a Reset remounts the slider at the new model's value
        PolicySlider(model.value, spec, value, help_text).key(f"{spec.key}-{id(model.value)}")


def use_policy_in_force(model: solara.Reactive[TrainerModel], specs: tuple[SliderSpec, ...]) -> tuple[float, ...]:
    """The values of ``specs`` in force in the model now. The component re-renders when they change after a week or
    a change from the page (each ends in ``force_update``), and not for a week that changed none of them: it follows
    ``update_counter`` through a subscription, where reading it would re-render the component at every week."""
    def in_force() -> tuple[float, ...]:
        return tuple(spec.value(model.value.settings) for spec in specs)

    _, set_shown = solara.use_state(in_force())  # a state that changes, so re-renders, only with the values in force
    solara.use_effect(lambda: update_counter.subscribe(lambda _: set_shown(in_force())), [model.value])
    return in_force()


@solara.component
def PolicySlider(current: TrainerModel, spec: SliderSpec, in_force: float, help_text: bool = True):
    """Shows the value in force in the model (``in_force``: a preset's, a scheduled policy change's, a move's), or a
    move that waits for Reset: the slider kept its own copy, and after attack_backlash set strictness to 0.9 at week
    80 it still showed 0.50."""
    waiting, set_waiting = solara.use_state(None)  # a move that applies on Reset (the run is over, or not live)

    def move(value: float) -> None:
        current.setup.values[spec.key] = value
        if spec.live and current.running:  # after the last week it would mark a week no curve goes past: on Reset
            current.change_policy({spec.key: value}, label=spec.mark(value))
            set_waiting(None)
            force_update()
        else:
            set_waiting(value)

    shown = in_force if waiting is None else waiting
    label = spec.label if spec.live else f"{spec.label} (on Reset)"
    with solara.Div(classes=["sim-slider", f"sim-slider-{spec.key.replace('.', '-')}"]):
        solara.Text(f"{label}: {shown:.2f}", classes=["sim-slider-label"])
        solara.SliderFloat("", value=shown, min=0.0, max=spec.maximum, step=spec.step, on_value=move)
        if help_text:
            solara.Text(spec.help, classes=["sim-help"], style={"display": "block", "margin": "-4px 0 6px 0"})


RUN_OVER = ("The run is over: Reset plays it again from week 0 with the sliders as they are now; "
            "sliders moved now apply then.")


@solara.component
def MediaShockButton(model: solara.Reactive[TrainerModel]):
    """Greyed after the last week, with a line saying why and what Reset does: a shock then marked a week that no
    curve reaches and changed nothing the room could see."""
    update_counter.get()  # re-rendered every week, so it greys out at the last one
    over = not model.value.running

    def shock() -> None:
        if model.value.running:  # a click on its way as the run ended
            model.value.media_shock(MEDIA_SHOCK, "media shock (trainer)")
            force_update()

    solara.Button("Media shock now", color="error", on_click=shock, classes=["sim-media-shock"], block=True,
                  icon_name="mdi-newspaper-variant-outline", disabled=over)
    if over:
        solara.Text(RUN_OVER, classes=["sim-help", "sim-run-over"], style={"display": "block"})


# the scale's numbers kept with their words (no-break spaces): the title takes three lines in the sidebar at 1920x1080
# and broke as "(10 levers, 0 none, 1" then "full)", a 1 read as a count of levers
COOPERATION_TITLE = "Government - civil society cooperation (10\u00a0levers, 0\u00a0none, 1\u00a0full)"


@solara.component
def TrainerControls(model: solara.Reactive[TrainerModel], replace):
    """``replace`` puts a newly built model on screen (``MesaPage``), so Play works even after a run ended."""
    PresetPicker(model, replace)
    MediaShockButton(model)
    PolicySliders(model, SLIDERS[:MAIN_SLIDERS], help_text=False)
    PanelPicker()
    with solara.Details("What these three sliders do", expand=False):
        for spec in SLIDERS[:MAIN_SLIDERS]:
            solara.Text(f"{spec.label}: {spec.help}", classes=["sim-help"], style={"display": "block", "margin": "4px 0"})
    with solara.Details(COOPERATION_TITLE, expand=False):
        with solara.Div(classes=["sim-levers"]):
            PolicySliders(model, SLIDERS[MAIN_SLIDERS:])


@solara.component
def ComparisonControls(model: solara.Reactive[ComparisonModel], replace):
    presets = solara.use_memo(preset_titles, [])
    names = {name: title for title, name in presets.items()}
    pair: Pair = model.value.pair

    def rebuild() -> None:
        replace(ComparisonModel(pair))

    def choose(side: str, title: str) -> None:
        getattr(pair, side).choose(presets[title])
        rebuild()

    def reseed(seed: int) -> None:
        pair.reseed(seed)
        rebuild()

    solara.Text("Two scenarios on one seed, stepped together: the same people and the same luck when both build the "
                "same population.",
                classes=["sim-help"], style={"display": "block", "margin": "0 0 8px 0"})
    for side, label in (("left", "Scenario A"), ("right", "Scenario B")):
        preset = getattr(pair, side).preset
        solara.Select(label=label, values=list(presets), value=names.get(preset, preset),
                      on_value=lambda title, side=side: choose(side, title), classes=[f"sim-preset-{side}"], dense=True)
    solara.InputInt("Seed", value=pair.seed, on_value=reseed)
    PanelPicker()
