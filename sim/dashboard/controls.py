"""The trainer's controls: preset picker, policy sliders and the media-shock button.

Mesa's SolaraViz supplies play, pause, step and reset; these controls change what is being run.
Sliders act on the running model through ``change_policy`` (marked on the curves), except those that
only shape the world when it is built, which apply on Reset.
"""

# ruff: noqa: N802 - Solara components are named like classes, as in Solara's and Mesa's own code

from __future__ import annotations

import solara
from mesa.visualization.utils import force_update

from sim.dashboard.session import ComparisonModel, Pair, TrainerModel
from sim.dashboard.sliders import SLIDERS, SliderSpec
from sim.scenarios import list_scenarios

MEDIA_SHOCK = 0.3
DESCRIPTION_STYLE = {"font-size": "0.85em", "display": "block", "margin": "0 0 10px 0"}
HELP_STYLE = {"font-size": "0.8em", "color": "#555", "line-height": "1.25", "display": "block", "margin": "-6px 0 10px 0"}
LABEL_STYLE = {"font-weight": "500", "display": "block", "margin-top": "4px"}


@solara.component
def PresetPicker(model: solara.Reactive[TrainerModel]):
    presets = solara.use_memo(lambda: dict(list_scenarios()), [])
    setup = model.value.setup

    def pick(name: str) -> None:
        setup.choose(name)
        model.value = TrainerModel(setup)

    solara.Select(label="Scenario", values=list(presets), value=setup.preset, on_value=pick, classes=["sim-preset"])
    solara.Text(presets.get(setup.preset, ""), style=DESCRIPTION_STYLE, classes=["sim-description"])


@solara.component
def PolicySliders(model: solara.Reactive[TrainerModel], specs: tuple[SliderSpec, ...]):
    for spec in specs:
        # keyed by the model: a new preset or a Reset remounts the slider at the new model's value
        PolicySlider(model.value, spec).key(f"{spec.key}-{id(model.value)}")


@solara.component
def PolicySlider(current: TrainerModel, spec: SliderSpec):
    shown, set_shown = solara.use_state(current.setup.values.get(spec.key, spec.value(current.settings)))

    def move(value: float) -> None:
        set_shown(value)
        current.setup.values[spec.key] = value
        if spec.live:
            current.change_policy({spec.key: value}, label=f"{spec.label}: {value:.2f}")
            force_update()

    label = spec.label if spec.live else f"{spec.label} (applies on Reset)"
    with solara.Div(classes=["sim-slider", f"sim-slider-{spec.key.replace('.', '-')}"]):
        solara.Text(f"{label}: {shown:.2f}", style=LABEL_STYLE)
        solara.SliderFloat("", value=shown, min=0.0, max=spec.maximum, step=spec.step, on_value=move)
        solara.Text(spec.help, style=HELP_STYLE)


@solara.component
def MediaShockButton(model: solara.Reactive[TrainerModel]):
    def shock() -> None:
        model.value.media_shock(MEDIA_SHOCK, "media shock (trainer)")
        force_update()

    solara.Button("Media shock now", color="error", on_click=shock, classes=["sim-media-shock"],
                  icon_name="mdi-newspaper-variant-outline")
    solara.Text("An attack or scandal in the news: community stigma jumps now, then fades over months.",
                style=HELP_STYLE | {"margin": "4px 0 0 0"})


@solara.component
def BelowMesaControls(children: list, depth: int = 8):
    """Sidebar content placed after SolaraViz's own play/step/reset card.

    Solara orders the parts of the sidebar by how deeply nested the component adding them is, so this
    adds ours from a few components further down than SolaraViz adds its card.
    """
    if depth > 0:
        return BelowMesaControls(children=children, depth=depth - 1)
    with solara.Sidebar():
        solara.Column(children=children)


@solara.component
def TrainerControls(model: solara.Reactive[TrainerModel]):
    with solara.Card("Scenario"):
        PresetPicker(model)
        MediaShockButton(model)
    with solara.Card("Policy"):
        PolicySliders(model, SLIDERS[:3])
    with solara.Card("Government - civil society cooperation (0 none, 1 full)"):
        PolicySliders(model, SLIDERS[3:])


@solara.component
def ComparisonControls(model: solara.Reactive[ComparisonModel]):
    presets = solara.use_memo(lambda: dict(list_scenarios()), [])
    pair: Pair = model.value.pair

    def rebuild() -> None:
        model.value = ComparisonModel(pair)

    def choose(side: str, name: str) -> None:
        getattr(pair, side).choose(name)
        rebuild()

    def reseed(seed: int) -> None:
        pair.seed = int(seed)
        rebuild()

    with solara.Card("What if we ...?"):
        solara.Text("Two scenarios with the same people and the same luck (one seed), stepped together.",
                    style=HELP_STYLE | {"margin": "0 0 8px 0"})
        for side, title in (("left", "Scenario A"), ("right", "Scenario B")):
            solara.Select(label=title, values=list(presets), value=getattr(pair, side).preset,
                          on_value=lambda name, side=side: choose(side, name), classes=[f"sim-preset-{side}"])
            solara.Text(presets.get(getattr(pair, side).preset, ""), style=DESCRIPTION_STYLE)
        solara.InputInt("Seed", value=pair.seed, on_value=reseed)
