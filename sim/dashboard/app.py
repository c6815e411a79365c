"""The Solara app: the trainer's dashboard ("/") and the side-by-side comparison ("/compare").

Made for a room with a projector (1280x720): the sidebar shows, without scrolling, the play, step
and reset buttons, the scenario picker, the media-shock button and the three main sliders; the ten
cooperation levers are folded below them. Nothing else from Mesa's SolaraViz is on the page (its
page tabs, parameter and information cards, thread and interval settings mean nothing to a trainer),
so the page is built from a play/step/reset controller after Mesa's own (``sim.dashboard.play``) rather
than from SolaraViz. Each browser session gets its own setup and model; Reset rebuilds the model from the
setup now on screen.
Run with ``sim dashboard`` (which also makes it work offline).
"""

# ruff: noqa: N802 - Solara components are named like classes, as in Solara's and Mesa's own code

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reacton.core
import solara
from solara.server import kernel_context

from sim.dashboard.controls import ComparisonControls, TrainerControls
from sim.dashboard.curves import ComparisonCurves, Headline, LiveCurves, MarkFolding, WhatToWatch
from sim.dashboard.network_view import NetworkView
from sim.dashboard.play import PlayControls
from sim.dashboard.session import ComparisonModel, Pair, Setup, TrainerModel

SERVER_STOPPED = ("<div><b>The dashboard server has stopped</b><br>(or this computer lost contact with it).</div>"
                  "<div>To carry on, run <span class='sim-command'>sim dashboard</span> again on the computer that was running it, "
                  "then reload this page (F5). The run starts again from week 0.</div>")
PAGE_STYLE = """
.v-application { font-size: 16px; }
.sim-main { max-width: 1000px; }
.sim-headline, .sim-events, .sim-populations { font-size: 16px; }
/* lines close enough for three lines of marks under the curves on a 1280x720 screen, under a what to watch of three
   lines and a headline of two; the picture a block, without the gap under an inline image's baseline */
.sim-watch { font-size: 18px; line-height: 1.25; margin: 0 0 2px 0; }
.sim-headline, .sim-events, .sim-populations { line-height: 1.25; } .sim-picture img { display: block; margin: 0; }
/* marks folded into the lead of the list (MarkFolding), and the separator before the first one still listed */
.sim-events .sim-folded, .sim-folded + .sim-mark > .sim-sep, .sim-run.sim-folded + .sim-run > .sim-sep { display: none; }
.sim-earlier { cursor: pointer; text-decoration: underline dotted; } .sim-earlier-numbers { font-weight: 700; }
/* every mark, opened from the lead (MarkFolding), laid over the curves: the page neither moves nor scrolls */
.sim-all-marks { position: fixed; z-index: 5; overflow-y: auto; box-sizing: border-box; padding: 0 12px 8px;
  background: #fff; border: 1px solid #666; box-shadow: 0 4px 16px rgba(0, 0, 0, 0.3); font-size: 16px; line-height: 1.25; }
.sim-all-marks-head { position: sticky; top: 0; display: flex; justify-content: space-between; align-items: center;
  padding: 8px 0 4px; background: #fff; }
.sim-all-marks ol { list-style: none; margin: 0; padding: 0; }
.sim-all-marks-close { font-size: inherit; padding: 2px 12px; border: 1px solid #666; border-radius: 4px; }
.sim-slider-label { font-size: 16px; font-weight: 500; }
.sim-help { font-size: 16px; color: #444; line-height: 1.25; }
.v-application .v-btn, .v-application .v-tab, .v-application .v-expansion-panel-header { font-size: 16px; }
.sim-controls .v-input__slot { margin-bottom: 0; } .sim-controls .v-messages { display: none; }
/* a field's label (Scenario, Seed) at full size: Vuetify draws it at 16 px scaled to 0.75, 12 px on screen */
.v-application .v-text-field .v-label--active { transform: translateY(-22px) scale(1); }
.sim-controls .v-text-field { margin-top: 10px; }
/* the scenario picker's label, lifted above its field, clear of the row of play buttons (it sat right under them) */
.v-application .sim-preset.v-input { margin-top: 20px; }
.sim-page-link { margin-left: 8px; }
/* the buttons choosing the curves shown, in the words of the panels' titles: side by side, or one under the
   other where the text is larger (20 px on 1920x1080) */
.sim-panels { margin-top: 4px; } .sim-panels .v-btn-toggle { display: flex; flex-wrap: wrap; width: 100%; }
.v-application .sim-panels .v-btn { flex: 1 0 auto; text-transform: none; letter-spacing: normal; padding: 0 8px; }
/* the comparison's numbers: a line per scenario under one header, keyed by a swatch of its curves' colour */
.sim-sides { border-collapse: collapse; font-size: 16px; align-self: flex-start; }
.sim-sides th, .sim-sides td { padding: 0 0 0 12px; text-align: right; white-space: nowrap; font-weight: 400; }
.sim-sides th:first-child { padding-left: 0; text-align: left; }
.sim-sides tr + tr th { font-weight: 700; white-space: normal; } .sim-side-ended { font-weight: 400; }
.sim-key { display: inline-block; width: 32px; height: 18px; margin-right: 8px; vertical-align: -3px; }
/* Solara's own sign that the page lost its server is a grey veil with "Server disconnected." in a spinner (its
   overlay at z-index 100002), over a Pause button still showing: across a room it said nothing, nor what to do. */
.sim-server-stopped { display: none; }
body:has(.v-overlay--active[style*="100002"]) .sim-server-stopped {
  display: flex; flex-direction: column; justify-content: center; align-items: center; gap: 24px;
  position: fixed; inset: 0; z-index: 100003; padding: 48px; text-align: center;
  background: rgba(255, 255, 255, 0.97); color: #000; font-size: 30px; line-height: 1.3;
}
.sim-server-stopped b { font-size: 40px; }
/* a scenario's title in its picker wraps, whole words on a second line: Vuetify cuts it to one line with an ellipsis,
   "General offenders (BJS 2005 coh..." at 1920x1080 */
.v-application .v-select__selection--comma { white-space: normal; overflow: visible; text-overflow: clip; line-height: 1.25; }
/* a picker's list of scenarios, drawn outside the page's own elements: Vuetify's 13 px was unreadable across a room */
.v-menu__content .v-list .v-list-item .v-list-item__title { font-size: 16px; line-height: 1.3; }
.sim-command { font-family: monospace; background: #eee; padding: 0 8px; }  /* not <code>: Solara forces that to 14 px */
/* between the two: a 1920x1080 projector at Windows' 125% scaling (1536x864), a 1440x900 laptop. The 1280x720 layout,
   its text already larger on the screen by that scaling, with the curves grown into the room the screen has: at their
   1280x720 size they ended 240 px above the bottom of a 1536x864 page and left a third of its width empty */
@media (min-width: 1400px) and (min-height: 800px) {
  .sim-main { max-width: 1300px; }
  .sim-curves .sim-picture { width: 100% !important;
    max-width: min(100%, calc((100vh - 300px) * var(--sim-aspect))) !important; }
}
/* a 1920x1080 projector: the same layout, larger; the curves fill their column as far as the screen's height allows */
@media (min-width: 1600px) and (min-height: 900px) {
  .v-application, .sim-headline, .sim-events, .sim-populations, .sim-all-marks, .sim-slider-label, .sim-help, .sim-sides,
  .v-application .v-btn, .v-application .v-expansion-panel-header, .v-menu__content .v-list .v-list-item .v-list-item__title,
  .v-application .v-label, .v-application .v-select__selection, .v-application input { font-size: 20px; }
  .sim-watch { font-size: 24px; }
  .sim-main { max-width: 1500px; }
  .sim-curves .sim-picture { width: 100% !important;
    max-width: min(100%, calc((100vh - 330px) * var(--sim-aspect))) !important; }
}
"""


@solara.component
def MesaPage(title: str, settings: type, model_class: type, parameter: str, controls, views):
    """One page over a model built from ``settings()``: play/step/reset (``PlayControls``), our controls, our views.

    The settings object is created once per browser session and handed to the play controller as the
    model parameter ``parameter``, so its Reset rebuilds ``model_class(settings)`` as now on screen.
    """
    kept = solara.use_memo(lambda: kept_page(title, settings, model_class), [])
    chosen = kept.settings
    model = solara.use_reactive(kept.model, on_change=kept.keep)

    def replace(new_model) -> None:
        """Put a model built by our controls on screen, playable at once.

        The controller on screen goes on with it: after a run's last week, Play and Step come back with the new
        run's week 0 (``PlayControls``). A new controller was mounted instead, and a Step clicked as week 0 showed was
        lost: it went to the finished run's controller, shown over the new run until the new one replaced it, and
        arrived after its buttons were closed. While a run is still going, the controller's play loop simply carries
        on with the new model, from week 0 on screen (without the wait it ran several weeks before the new scenario
        was first drawn).
        """
        new_model.drawn_week = -1  # the views will draw it: while playing, its week 1 waits for its week 0 on screen
        model.value = new_model

    solara.use_effect(lambda: end_with_session(kept), [])
    solara.use_effect(lambda: hold_while_away(kept), [])
    solara.Title(title)
    solara.Style(PAGE_STYLE)
    solara.HTML(tag="div", classes=["sim-server-stopped"], unsafe_innerHTML=SERVER_STOPPED)  # shown only then
    MarkFolding()  # the lists of marks under the curves kept on the screen
    with solara.Div(style={"display": "none"}):  # Solara's Sidebar leaves an empty block here, 12 px over the page
        with solara.Sidebar():
            with solara.Column(gap="6px", classes=["sim-controls"]):
                with solara.Div(classes=["sim-play"]):
                    PlayControls(page_run(title, kept), model, {parameter: chosen})
                controls(model, replace)
    views(model.value)


def page_run(title: str, kept: KeptPage) -> str:
    """Which page's run the play controller drives, and how often the page was shown: the controller takes fresh
    state (``PlayControls``) whenever this changes."""
    return f"{title}, shown {kept.shown}"


@dataclass
class KeptPage:
    """What one page shows in one browser session: its settings (the model parameter Reset rebuilds from) and
    the model on screen now, kept while the trainer is on the other page."""

    settings: Any
    model: Any
    shown: int = 0  # times the page was shown again after its first: the play controller takes fresh state each time
    ended: bool = False  # the session's end is registered (``end_with_session``)

    def keep(self, model: Any) -> None:
        self.model = model


KEPT: dict[tuple[str, str], KeptPage] = {}
"""Each browser session's pages, by (session, page title): a page is rebuilt each time it is shown, and its run was
lost with it (back from "What if we ...?" at week 0, marks and slider moves gone) until it was kept here."""


def kept_page(title: str, settings: type, model_class: type) -> KeptPage:
    """This session's `title` page: as the trainer left it, or new (``settings()`` and a model of them)."""
    key = (kernel_context.get_current_context().id, title)
    if key not in KEPT:
        chosen = settings()
        KEPT[key] = KeptPage(chosen, model_class(chosen))
    else:  # shown again: fresh controller state, playable, where the state left said "playing" of a run since paused
        KEPT[key].shown += 1
    return KEPT[key]


def hold_while_away(kept: KeptPage):
    """Shown: the page's run can be played on. Left for the other page: paused where it is (``Paced.leave``)."""
    kept.model.come_back()
    return lambda: kept.model.leave()


def end_with_session(kept: KeptPage) -> None:
    """When the browser session ends (its tab closed, or Solara culls it), end the page's model on screen then (once,
    however often the page was shown): the play loop stops with it instead of stepping on in the server with no
    one watching, and the session's pages are forgotten.

    The page is closed at once too, after the redraw under way: the week being computed then ended in the play
    loop redrawing a page whose widgets were closed meanwhile, a traceback in the server's log for a closed tab.
    Redraws of a closed page are ignored."""
    if kept.ended:
        return
    kept.ended = True
    page, context = reacton.core.get_render_context(), kernel_context.get_current_context()

    def end() -> None:
        kept.model.end_session()
        for key in [key for key in KEPT if key[0] == context.id]:
            del KEPT[key]
        try:
            page.close()
        except RuntimeError:  # asked from a redraw of this page itself: Solara closes it once that is over
            pass

    context.on_close(end)


@solara.component
def TrainerViews(model: TrainerModel):
    with solara.Column(gap="4px", classes=["sim-main"]):
        WhatToWatch(model)
        Headline(model)
        with solara.Row(gap="12px", style={"align-items": "flex-start"}):
            with solara.Div(style={"width": "34%"}):
                NetworkView(model)
            with solara.Div(style={"width": "66%"}):
                LiveCurves(model)


@solara.component
def ProjectorLayout(children: list | None = None):
    """Solara's app layout with the two pages as buttons in its title bar instead of a row of tabs under it: the row
    took 48 of a projector's 720 pixels, and at 1280x720 the headline across the page then pushed the network's
    legend off the screen."""
    here, routes = solara.use_route()
    with solara.AppLayout(children=children or [], navigation=False):
        with solara.AppBar():
            for route in routes:
                with solara.Link(solara.resolve_path(route)):
                    solara.Button(route.label, text=True, dark=True, outlined=route is here,
                                  classes=["sim-page-link"])


@solara.component
def Dashboard():
    MesaPage("Reintegration dashboard", Setup, TrainerModel, "setup", TrainerControls, TrainerViews)


@solara.component
def Compare():
    MesaPage("What if we ...? - reintegration dashboard", Pair, ComparisonModel, "pair", ComparisonControls,
             ComparisonCurves)


routes = [
    solara.Route(path="/", component=Dashboard, label="Dashboard", layout=ProjectorLayout),
    solara.Route(path="compare", component=Compare, label="What if we ...?"),
]
