"""The dashboard's pages rendered by Solara in this process, without a browser: what a browser session leaves behind.

Needs the dashboard extra; without it the tests skip locally and fail in CI (CI=true).
"""

from __future__ import annotations

import time
import uuid

import pytest
from conftest import unavailable

from sim.dashboard.session import TrainerModel

# Solara's kernel context asks asyncio for the current event loop, which a test process outside any loop lacks
pytestmark = [pytest.mark.timeout(120), pytest.mark.filterwarnings("ignore:There is no current event loop:DeprecationWarning")]


@pytest.fixture
def solara_page():
    """Render a page in a kernel context of its own, as the server does for a browser tab; yields (context, render).

    ``render(page, context)`` renders in another tab's context, made by ``render.new_tab()``."""
    try:
        import solara
        import solara.server.app  # noqa: F401 - sets ipywidgets up as the server does
        from solara.server import kernel, kernel_context
    except ImportError:
        unavailable("solara is not installed (pip install -e '.[dashboard]')")

    tabs = []

    def new_tab():
        tabs.append(kernel_context.VirtualKernelContext(id=str(uuid.uuid4()), kernel=kernel.Kernel(), session_id="test"))
        return tabs[-1]

    def render(page, context=None):
        @solara.component
        def Tab():  # noqa: N802 - a Solara component
            with solara.AppLayout():  # the sidebar, with Mesa's play button, is drawn by the app layout
                page()

        with context or tabs[0]:
            return solara.render(Tab(), handle_error=False)[1]

    render.new_tab = new_tab
    yield new_tab(), render
    for context in tabs:
        if not context.closed_event.is_set():
            context.close()


def test_a_tab_closed_while_playing_stops_its_play_loop(solara_page, monkeypatch):
    """Mesa's play loop runs in a thread of its own until the model stops running, and Solara does not interrupt it
    when the tab's session ends: a tab closed while playing went on stepping its model in the server, a week every
    DRAW_TIMEOUT (2 s then) to the end of the run, for nobody. (The what-if page has the same hook, in MesaPage;
    its model's side is tested in test_dashboard.py: a second Solara page rendered in one test process trips reacton.)"""
    import ipyvuetify as v

    from sim.dashboard import app

    stepped = []
    step = TrainerModel.step
    monkeypatch.setattr(TrainerModel, "step", lambda model: (step(model), stepped.append(model.week)))
    context, render = solara_page
    rc = render(app.Dashboard)
    with context:
        rc.find(v.Btn, children=["▶"]).widget.click()
    deadline = time.monotonic() + 60
    while len(stepped) < 6:
        assert time.monotonic() < deadline, f"playing, but only {len(stepped)} weeks stepped"
        time.sleep(0.05)
    context.close()  # what the server does when the tab is closed (or when it culls a disconnected one)
    time.sleep(1.0)  # a week under way may still finish
    after_close = len(stepped)
    time.sleep(2.5)
    assert len(stepped) == after_close, f"{len(stepped) - after_close} more weeks stepped after the tab closed"


def test_a_page_gone_without_closing_ends_its_session_after_the_idle_time_and_a_connected_one_lives_on(
        solara_page, monkeypatch):
    """A crashed browser or a lost network closes no tab: Solara kept such a session, and its model, for 24 hours
    waiting for a reconnect. `sim dashboard` now ends it SESSION_GONE_AFTER (minutes) after its page went; a page
    still connected, in a background tab or paused by the trainer, is never ended. Timed here with a short timeout."""
    import ipyvuetify as v
    import solara.server.settings
    import solara.util

    from sim.dashboard import app, server

    for key, value in server.environment().items():
        monkeypatch.setenv(key, value)
    served = solara.util.parse_timedelta(solara.server.settings.Kernel().cull_timeout)  # what the server will read
    assert served == solara.util.parse_timedelta(server.SESSION_GONE_AFTER)
    assert 60 <= served <= 600, f"a session whose page went lives on for {served:.0f} s"

    monkeypatch.setattr(solara.server.settings.kernel, "cull_timeout", "0.5s")
    ended = []
    end_session = TrainerModel.end_session
    monkeypatch.setattr(TrainerModel, "end_session", lambda model: (ended.append(model.week), end_session(model)))
    context, render = solara_page
    rc = render(app.Dashboard)
    connection = context.page_connect("page")
    with context:
        rc.find(v.Btn, children=["Step"]).widget.click()  # then paused, as a trainer leaves it to talk
    time.sleep(1.5)
    assert not context.closed_event.is_set() and not ended, "a connected page's session was ended"

    context.page_disconnect("page", connection)  # the browser crashed: its connection dropped, no page close
    assert context.closed_event.wait(10), "the session of a page that went stayed alive"
    assert ended == [1], "its model was not ended with it"


def test_tabs_closed_during_a_week_leave_nothing_in_the_servers_log(solara_page, monkeypatch, capfd):
    """The week under way when a tab closed ended in Mesa's play loop redrawing the closed page, which reacton refused:
    a traceback in the server's log (and an exception escaping the loop's thread) for what is a normal end. Two tabs
    closed in turn while playing, as a server sees them."""
    import threading

    import ipyvuetify as v

    from sim.dashboard import app

    escaped = []
    monkeypatch.setattr(threading, "excepthook", escaped.append)
    context, render = solara_page
    for tab in (context, render.new_tab()):
        rc = render(app.Dashboard, tab)
        with tab:
            rc.find(v.Btn, children=["▶"]).widget.click()
        time.sleep(2.0)
        tab.close()
        time.sleep(1.5)
    printed = capfd.readouterr().err
    assert "Traceback" not in printed and not escaped, printed[-2000:] or escaped


def test_an_error_in_a_week_is_shown_with_its_run_and_goes_with_it(solara_page):
    """A week that fails while playing is shown under the buttons. Another scenario put on screen (a preset, a
    what-if's Apply) is a new run: the failed run's message must not stand under it as if the new run had failed."""
    import ipyvuetify as v
    import solara

    from sim.dashboard.play import PlayControls

    class Run:
        """A stand-in run, enough for the buttons: its week fails or does nothing."""

        running = True

        def __init__(self, fails: bool) -> None:
            self.fails = fails

        def still_running(self) -> bool:
            return True

        def step(self) -> None:
            if self.fails:
                raise RuntimeError("the week failed")

    context, render = solara_page
    model = solara.reactive(Run(fails=True))

    def shown() -> list:
        return [alert.children for alert in rc.find(v.Alert).widgets]

    rc = render(lambda: PlayControls(0, model, {}), context)
    with context:
        rc.find(v.Btn, children=["▶"]).widget.click()
        deadline = time.monotonic() + 30
        while not shown():
            assert time.monotonic() < deadline, "the failed week was never shown"
            time.sleep(0.05)
        assert shown() == [["error in step: the week failed"]]
        model.value = Run(fails=False)
        assert shown() == []


def test_the_sliders_show_the_values_in_force_after_a_scheduled_policy_change_and_a_move_waiting_for_reset(solara_page):
    """attack_backlash sets supervision strictness to 0.9 in week 80: the slider kept showing 0.50, its own copy of the
    value it was mounted with, and a trainer read it for the setting in force. A move that applies on Reset (a slider
    of the world as built) is shown as moved."""
    import ipyvuetify as v
    import solara
    from mesa.visualization.utils import force_update

    from sim.dashboard.controls import PolicySliders
    from sim.dashboard.session import Setup
    from sim.dashboard.sliders import SLIDERS

    small = {"population.community": 200, "population.released": 30}
    run = TrainerModel(Setup("attack_backlash", values=small))
    model = solara.reactive(run)
    context, render = solara_page
    rc = render(lambda: PolicySliders(model, SLIDERS[:3], help_text=False), context)

    def labels() -> str:
        return " | ".join(text.children[0] for text in rc.find(v.Html, class_="sim-slider-label").widgets)

    assert "Supervision strictness: 0.50" in labels()
    with context:
        while run.week < 80:
            run.step()
        force_update()  # as the play loop does after each week
        assert "Supervision strictness: 0.90" in labels(), labels()
        rc.find(v.Slider).widgets[0].v_model = 0.8  # community stigma at the start, the first
        assert "Community stigma at the start (on Reset): 0.80" in labels(), labels()


def test_the_controller_handed_the_other_page_s_run_while_playing_leaves_its_buttons_usable(solara_page):
    """Both pages draw their play controller at one place of the layout's sidebar, so Reacton keeps one for both. The
    what-if page opened while the dashboard played took over the dashboard's state: the play loop left behind, which
    finds the dashboard's run paused (``hold_while_away``), greyed ▶ and Step over the what-if page's week 0."""
    import ipyvuetify as v
    import solara

    from sim.dashboard.play import PlayControls

    class Run:
        """A stand-in page's run, paused while the trainer is on the other page as ``Paced`` pauses it."""

        def __init__(self) -> None:
            self.week, self.running = 0, True

        def still_running(self) -> bool:
            return self.week < 100

        def step(self) -> None:
            if self.running:
                self.week += 1

        def leave(self) -> None:
            self.running = False

    runs = {"Reintegration dashboard": solara.reactive(Run()), "What if we ...?": solara.reactive(Run())}
    shown = solara.reactive("Reintegration dashboard")
    context, render = solara_page
    rc = render(lambda: PlayControls(shown.value, runs[shown.value], {}), context)

    def button(label: str):
        return rc.find(v.Btn, children=[label]).widget

    dashboard, what_if = (run.value for run in runs.values())
    with context:
        button("▶").click()
        deadline = time.monotonic() + 30
        while dashboard.week < 3:
            assert time.monotonic() < deadline, "the dashboard never played"
            time.sleep(0.01)
        dashboard.leave()  # what the dashboard's page does as it goes (hold_while_away)
        shown.value = "What if we ...?"
        time.sleep(0.5)  # the dashboard's play loop takes its next week
        assert not button("▶").disabled and not button("Step").disabled, "greyed over the what-if page's week 0"
        button("Step").click()
        assert what_if.week == 1


def test_the_sliders_are_rendered_when_the_policy_changes_not_at_every_week(solara_page, monkeypatch):
    """All thirteen sliders were rendered again at every week while playing (their elements made anew and compared),
    where they show only the policy in force: they are when it changes (a scheduled change, a move) or the run does (a
    preset, a Reset), and still follow it."""
    import ipyvuetify as v
    import solara
    from mesa.visualization.utils import force_update

    from sim.dashboard import controls
    from sim.dashboard.controls import PolicySliders
    from sim.dashboard.session import Setup
    from sim.dashboard.sliders import SLIDERS

    drawn = []
    slider = controls.PolicySlider
    monkeypatch.setattr(controls, "PolicySlider", lambda *args: (drawn.append(args[1].key), slider(*args))[1])
    small = {"population.community": 200, "population.released": 30}
    run = TrainerModel(Setup("baseline", values=small))
    model = solara.reactive(run)
    context, render = solara_page
    rc = render(lambda: PolicySliders(model, SLIDERS, help_text=False), context)

    def labels() -> str:
        return " | ".join(text.children[0] for text in rc.find(v.Html, class_="sim-slider-label").widgets)

    assert len(drawn) == len(SLIDERS)
    with context:
        for _ in range(10):
            run.step()
            force_update()  # as the play loop does after each week
        assert len(drawn) == len(SLIDERS), f"{len(drawn) - len(SLIDERS)} sliders rendered in 10 weeks of no change"
        run.change_policy({"supervision.strictness": 0.85}, label="as a scheduled change does")
        force_update()
        assert "Supervision strictness: 0.85" in labels(), labels()
        redrawn = len(drawn)
        model.value = TrainerModel(Setup("strict_supervision", values=small))  # a preset picked, or a Reset
        strictness = model.value.settings.supervision.strictness
        assert f"Supervision strictness: {strictness:.2f}" in labels() and len(drawn) > redrawn, labels()
