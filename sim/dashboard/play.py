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
def PlayControls(run: str, model: solara.Reactive, parameters: dict):
    """The buttons over ``model``, the run of the page ``run`` names (``page_run``: the page and how often it was
    shown); Reset builds ``type(model)(**parameters)``.

    Both pages draw their controller at one place of the layout's one sidebar (``solara.Sidebar`` is a portal), so
    Reacton keeps one controller, its buttons and its state, for both. Its state is the page's run's (``run_state``):
    shared, the what-if page opened while the dashboard played took over its "playing", and the play loop left behind,
    which pauses the dashboard's run (``hold_while_away``), then greyed ▶ and Step over the what-if page's week 0 until
    Reset. The buttons themselves are kept: a new controller for each page (a key of its own) lost a Step clicked as
    the other page came up, sent to the buttons being replaced.

    A page shown again starts playable: its run's ``running`` reads False while it was away (``hold_while_away``), its
    ``still_running()`` says whether it is over. ``running`` follows the ``still_running()`` of each model given, so a
    new one put on screen after a run's last week (another preset) makes Play and Step usable again, on the same
    buttons."""
    playing, running, error = solara.use_memo(run_state, [run])
    solara.use_memo(lambda: running.set(model.value.still_running()), [run, model.value])  # playable unless over
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

    # the run too: another page's loop ends by itself (its run paused, ``hold_while_away``), writing only its own state
    solara.lab.use_task(play, dependencies=[run, playing.value, running.value], prefer_threaded=True)

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


def run_state() -> tuple[solara.Reactive[bool], solara.Reactive[bool], solara.Reactive[str | None]]:
    """A page's run's controller state: playing, running (the run can go on: set from the run on screen) and the error
    of its last week, made afresh each time a page is shown. A play loop holds the state of the run it plays, so one
    left behind by the other page ends (its run paused, ``hold_while_away``) without touching the buttons now shown."""
    return solara.reactive(False), solara.reactive(False), solara.reactive(None)
