"""The Solara app: the trainer's dashboard ("/") and the side-by-side comparison ("/compare").

Both pages are Mesa SolaraViz views. Each browser session gets its own setup and model; the setup is
handed to SolaraViz as a fixed model parameter so that its Reset button rebuilds what is on screen.
Run with ``sim dashboard`` (which also makes it work offline).
"""

# ruff: noqa: N802 - Solara components are named like classes, as in Solara's and Mesa's own code

from __future__ import annotations

import solara
from mesa.visualization import SolaraViz

from sim.dashboard.controls import BelowMesaControls, ComparisonControls, TrainerControls
from sim.dashboard.curves import ComparisonCurves, LiveCurves
from sim.dashboard.network_view import NetworkView
from sim.dashboard.session import ComparisonModel, Pair, Setup, TrainerModel

PLAY_INTERVAL_MS = 60  # pause between weeks while playing; shorter left Pause clicks unanswered on a loaded machine


@solara.component
def MesaPage(title: str, name: str, settings: type, model_class: type, parameter: str, controls, components: list):
    """A SolaraViz page over one model built from ``settings()``, our controls below Mesa's.

    The settings object is created once per browser session and passed to SolaraViz as the fixed
    model parameter ``parameter``, so Mesa's Reset rebuilds ``model_class(settings)`` as now on screen.
    """
    chosen = solara.use_memo(settings, [])
    first = solara.use_memo(lambda: model_class(chosen), [])
    model = solara.use_reactive(first)
    solara.Title(title)
    BelowMesaControls(children=[controls(model)])
    SolaraViz(model, components=components, model_params={parameter: chosen}, name=name,
              play_interval=PLAY_INTERVAL_MS)


@solara.component
def Dashboard():
    MesaPage("Reintegration dashboard", "Reintegration after prison", Setup, TrainerModel, "setup",
             TrainerControls, [(NetworkView, 0), (LiveCurves, 0)])


@solara.component
def Compare():
    MesaPage("What if we ...? - reintegration dashboard", "What if we ...?", Pair, ComparisonModel, "pair",
             ComparisonControls, [(ComparisonCurves, 0)])


routes = [
    solara.Route(path="/", component=Dashboard, label="Dashboard"),
    solara.Route(path="compare", component=Compare, label="What if we ...?"),
]
