"""Reset, play/pause and step: the run's controller, Mesa's ``ModelController`` less what a room does not need.

Mesa's controller left its pause button (❚❚, greyed) on the screen at the end of a run that was played to its last
week: its "playing" stayed set when the run stopped, so the room saw a pause button on a run that was over. This one
shows ▶, greyed, as after stepping to the end. Otherwise it is Mesa's: while playing, a week every
``PLAY_INTERVAL_MS`` in a thread of its own, Step disabled; Reset rebuilds the model from the parameters on screen;
an error in a week is shown under the buttons (and printed in the server's log).
"""

# ruff: noqa: N802 - Solara components are named like classes, as in Solara's and Mesa's own code

from __future__ import annotations

import time
import traceback

import solara
import solara.lab
from mesa.visualization.utils import force_update

PLAY_INTERVAL_MS = 60  # pause between weeks while playing; shorter left Pause clicks unanswered on a loaded machine


@solara.component
def PlayControls(run: int, model: solara.Reactive, parameters: dict):
    """The buttons over ``model``; Reset builds ``type(model)(**parameters)``. A new ``run`` number mounts a fresh
    controller (``MesaPage``): Reacton reuses a component whose arguments are unchanged even when its key changes, so
    the run number is an argument as well as the key.

    A controller mounted over a run paused while the trainer was on the other page starts playable: the run's
    ``running`` reads False then (``hold_while_away``), its ``still_running()`` says whether it is over. As ``running``
    follows the ``still_running()`` of each model given, a new one put on screen after a run's last week (another
    preset) makes Play and Step usable again, on the same buttons."""
    playing = solara.use_reactive(False)
    running = solara.use_reactive(model.value.still_running())
    error = solara.use_reactive(None)
    solara.use_effect(lambda: error.set(None), [model.value])  # an error is the run's it happened in, not the next's

    def step() -> None:
        model.value.step()
        running.value = model.value.running
        if not running.value:
            playing.value = False  # over (or left for the other page): nothing is playing any more
        force_update()

    def play() -> None:
        try:
            while running.value and playing.value:
                time.sleep(PLAY_INTERVAL_MS / 1000)
                step()
        except Exception as failure:  # shown on the page; the week's traceback goes to the server's log
            error.value = f"error in step: {failure}"
            traceback.print_exc()

    solara.lab.use_task(play, dependencies=[playing.value, running.value], prefer_threaded=True)

    def reset() -> None:
        error.value = None
        playing.value = False
        running.value = True
        model.value = type(model.value)(**parameters)

    def play_or_pause() -> None:
        playing.value = not playing.value

    with solara.Row(justify="space-between"):
        solara.Button(label="Reset", color="primary", on_click=reset)
        solara.Button(label="❚❚" if playing.value else "▶", color="primary", on_click=play_or_pause,
                      disabled=not running.value)
        solara.Button(label="Step", color="primary", on_click=step, disabled=playing.value or not running.value)
    if error.value:
        solara.Error(label=error.value)
