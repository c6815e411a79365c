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
def Dashboard():
    setup = solara.use_memo(Setup, [])
    first = solara.use_memo(lambda: TrainerModel(setup), [])
    model = solara.use_reactive(first)
    solara.Title("Reintegration dashboard")
    BelowMesaControls(children=[TrainerControls(model)])
    SolaraViz(model, components=[(NetworkView, 0), (LiveCurves, 0)], model_params={"setup": setup},
              name="Reintegration after prison", play_interval=PLAY_INTERVAL_MS)


@solara.component
def Compare():
    pair = solara.use_memo(Pair, [])
    first = solara.use_memo(lambda: ComparisonModel(pair), [])
    model = solara.use_reactive(first)
    solara.Title("What if we ...? - reintegration dashboard")
    BelowMesaControls(children=[ComparisonControls(model)])
    SolaraViz(model, components=[(ComparisonCurves, 0)], model_params={"pair": pair},
              name="What if we ...?", play_interval=PLAY_INTERVAL_MS)


routes = [
    solara.Route(path="/", component=Dashboard, label="Dashboard"),
    solara.Route(path="compare", component=Compare, label="What if we ...?"),
]
