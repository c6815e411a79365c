"""End to end: `sim dashboard` in headless Debian chromium at 1280x720 (a projector), driven by Playwright.

A trainer loads the page, picks a preset, moves a slider, steps and plays, fires a media shock and
opens the what-if page; the pictures and numbers must change, and no request may leave 127.0.0.1.
At 1280x720 the controls a trainer needs are in view without scrolling, the text (chart text too)
is at least 16 px, and nothing of Mesa's own page furniture is left.
Screenshots go to test-artifacts/; the session and the what-if page's steps are those of docs/img's pictures, which
`make screenshots` takes through the same functions (sim.dashboard.drive). Without chromium (or the
dashboard extra) the tests skip locally and fail in CI (CI=true).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import chromium_path, unavailable

from sim.dashboard.drawing import CHART_FONT_PX, PIXEL_RATIO
from sim.dashboard.drive import (
    choose_preset,
    click_slider,
    pick_option,
    picture,
    trainer_session,
    wait_for_week,
    week,
    what_if_session,
)
from sim.dashboard.server import DashboardNotStartedError, in_background
from sim.dashboard.watch import RECORD_WEEKS

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def server():
    for module in ("playwright", "solara", "solara_assets"):
        try:
            __import__(module)
        except ImportError:
            unavailable(f"{module} is not installed (pip install -e '.[dashboard]' playwright)")
    chromium_path()
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "dashboard_server.log").open("w") as log:
        try:
            with in_background(log) as url:
                yield url
        except DashboardNotStartedError as error:
            pytest.fail(f"{error}; see {log.name}")


@pytest.fixture
def page(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    page.close()


def local(url: str, server: str) -> bool:
    port = server.rsplit(":", 1)[1]
    return bool(re.match(rf"^(https?|wss?)://127\.0\.0\.1:{port}(/|$)|^blob:http://127\.0\.0\.1:{port}/|^data:", url))


def play_to(page, container: str, weeks: int, timeout: float = 60) -> None:
    """Play until ``container`` shows week ``weeks`` or later, then pause, and wait until the server has taken it."""
    page.get_by_role("button", name="▶").click()
    deadline = time.monotonic() + timeout
    while week(page, container) < weeks:
        assert time.monotonic() < deadline, f"playing, but the page is still at week {week(page, container)}"
        time.sleep(0.1)
    page.get_by_role("button", name="❚❚").click()
    page.get_by_role("button", name="▶").wait_for(timeout=30_000)  # the server has taken the pause (slow when busy)


def test_trainer_session(page, server):
    """The session docs/img/dashboard.png shows (``trainer_session``, which ``make screenshots`` drives too): a
    preset, a slider moved, three steps and a media shock."""
    seen = trainer_session(page, server)
    assert seen.first_week == 0
    assert "400" in seen.first_text  # baseline: 400 not yet released
    # the preset's description shows, its slider's label the new value (trainer_session waits for both); stepping
    # changes the week, the network and the curves; the media shock recolours the network at once (it waits for that)
    assert seen.after_steps["network"] != seen.before_steps["network"]
    assert seen.after_steps["curves"] != seen.before_steps["curves"]
    assert week(page, ".sim-network") == 3 and "media shock" in page.locator(".sim-events").inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"))

    outside = [url for url in page.requests if not local(url, server)]
    assert not outside, f"requests left 127.0.0.1: {outside[:5]}"


def test_what_if_page(page, server):
    """The page docs/img/dashboard_compare.png shows (``what_if_session``, which ``make screenshots`` drives too)."""
    seen = what_if_session(page, server)
    assert seen.first_week == 0
    assert "Baseline" in seen.first_text and "Full cooperation" in seen.first_text  # the scenarios' titles
    assert seen.after_steps["curves"] != seen.before_steps["curves"]
    page.screenshot(path=str(ARTIFACTS / "dashboard_compare.png"))
    outside = [url for url in page.requests if not local(url, server)]
    assert not outside, f"requests left 127.0.0.1: {outside[:5]}"


def test_a_run_is_where_the_trainer_left_it_after_a_visit_to_the_other_page(page, server):
    """A trainer takes a "what if we ...?" question on the other page and comes back: the run, its marks and its
    slider moves were lost (back at week 0), since each page was built afresh each time it was shown."""
    page.goto(server + "/")
    page.wait_for_selector(".sim-network img", timeout=90_000)
    for expected in range(1, 4):
        page.get_by_role("button", name="Step").click()
        wait_for_week(page, ".sim-network", expected)
    page.locator(".sim-media-shock").click()
    page.wait_for_function("(document.querySelector('.sim-events')?.innerText || '').includes('media shock')", timeout=20_000)
    page.locator(".sim-page-link", has_text="What if").click()
    page.wait_for_selector(".sim-curves img", timeout=90_000)
    page.get_by_role("button", name="Step").click()
    wait_for_week(page, ".sim-curves", 1)
    page.locator(".sim-page-link", has_text="Dashboard").click()
    page.wait_for_selector(".sim-network img", timeout=90_000)
    assert week(page, ".sim-network") == 3 and "media shock" in page.locator(".sim-events").inner_text()
    page.get_by_role("button", name="Step").click()  # and it carries on from there
    wait_for_week(page, ".sim-network", 4)
    page.locator(".sim-page-link", has_text="What if").click()
    page.wait_for_selector(".sim-curves img", timeout=90_000)
    assert week(page, ".sim-curves") == 1


def test_a_run_left_playing_for_the_other_page_waits_there_paused(page, server):
    """Mesa's play loop outlived its page: a run left playing went on stepping in the background (week 38 to 69 in a
    few seconds), and on return ran on under a controller that showed it paused, with no Pause to press."""
    page.goto(server + "/")
    page.wait_for_selector(".sim-network img", timeout=90_000)
    page.get_by_role("button", name="▶").click()
    deadline = time.monotonic() + 60
    while week(page, ".sim-network") < 3:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    page.locator(".sim-page-link", has_text="What if").click()
    page.wait_for_selector(".sim-curves img", timeout=90_000)
    time.sleep(3)
    page.locator(".sim-page-link", has_text="Dashboard").click()
    page.wait_for_selector(".sim-network img", timeout=90_000)
    left = week(page, ".sim-network")
    time.sleep(3)
    assert week(page, ".sim-network") == left and 3 <= left < 40  # paused where it was left
    page.get_by_role("button", name="▶").click()  # and plays on from there
    wait_for_week(page, ".sim-network", left + 2)


def test_the_what_if_page_can_be_played_when_opened_while_the_dashboard_plays(page, server):
    """Both pages' play buttons are drawn in the one sidebar of the layout, so the what-if page's controller was the
    dashboard's, with its state: opened while the dashboard played, the play loop left behind paused the dashboard's
    run and greyed ▶ and Step over the what-if page's week 0, and picking scenarios did not bring them back (only
    Reset did). The dashboard's run still waits, paused where it was left."""
    page.goto(server + "/")
    page.wait_for_selector(".sim-network img", timeout=90_000)
    page.get_by_role("button", name="▶").click()
    deadline = time.monotonic() + 60
    while week(page, ".sim-network") < 3:
        assert time.monotonic() < deadline, "the dashboard never played"
        time.sleep(0.1)
    page.locator(".sim-page-link", has_text="What if").click()
    page.wait_for_selector(".sim-curves img", timeout=90_000)
    time.sleep(2)  # the dashboard's play loop takes its next week (the pause): the buttons were greyed by then
    for side, name in (("left", "Strict supervision"), ("right", "Low community stigma")):
        page.locator(f".sim-preset-{side}").click()
        pick_option(page, name)
        page.wait_for_function(f"document.querySelector('.sim-sides').innerText.includes('{name}')", timeout=60_000)
    wait_for_week(page, ".sim-curves", 0)
    play, step = page.locator(".sim-play button >> text=▶"), page.locator(".sim-play button >> text=Step")
    assert play.is_enabled() and step.is_enabled(), "▶ and Step greyed on the what-if page at week 0"
    step.click(timeout=10_000)
    wait_for_week(page, ".sim-curves", 1)
    play_to(page, ".sim-curves", 3)
    page.locator(".sim-page-link", has_text="Dashboard").click()
    page.wait_for_selector(".sim-network img", timeout=90_000)
    left = week(page, ".sim-network")
    time.sleep(2)
    assert week(page, ".sim-network") == left and 3 <= left < 40, "the dashboard's run did not wait where it was left"
    page.get_by_role("button", name="Step").click(timeout=10_000)  # and carries on from there
    wait_for_week(page, ".sim-network", left + 1)


def test_a_scenario_list_is_as_large_as_the_page_s_text_across_a_room(browser, server):
    """The picker's list of scenarios, which the room watches while the trainer chooses, was at Vuetify's 13 px, and
    at 1920x1080 the fields' labels and values stayed at 16 px where the rest of the page is 20."""
    for (width, height), least in (((1280, 720), 16), ((1920, 1080), 20)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(server + "/compare")
        page.wait_for_selector(".sim-curves img", timeout=90_000)
        sizes = page.evaluate("[...document.querySelectorAll('.v-label, .v-select__selection, input')]"
                              ".filter(e => e.offsetParent).map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert sizes and min(sizes) >= least, (width, sizes)
        page.locator(".sim-preset-left").click()
        page.get_by_role("option").first.wait_for(timeout=20_000)
        options = page.evaluate("[...document.querySelectorAll('.v-menu__content .v-list-item__title')]"
                                ".map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert options and min(options) >= least, (width, options)
        page.close()


def test_play_runs_the_weeks_in_order_and_pause_stops_them(page, server):
    """Play shows week after week (none skipped, none backwards); Pause holds the picture still.

    How many a second is a speed target: `benchmarks/dashboard_fps.py` measures it in this browser.
    """
    page.goto(server + "/")
    page.wait_for_selector(".sim-network img", timeout=90_000)
    page.evaluate(RECORD_WEEKS)
    play_to(page, ".sim-network", 8)
    time.sleep(1.0)  # a week already being drawn may still arrive
    paused = week(page, ".sim-network")
    time.sleep(1.5)
    assert week(page, ".sim-network") == paused
    shown = [int(text.split()[1]) for _, text in page.evaluate("window.simWeeks")]
    assert shown == list(range(shown[0], shown[0] + len(shown))), f"weeks shown out of order: {shown}"
    assert page.get_by_role("button", name="Step").is_enabled()


IN_VIEW = [".sim-play button >> text=Reset", ".sim-play button >> text=▶", ".sim-play button >> text=Step", ".sim-preset",
           ".sim-media-shock", ".sim-slider-stigma-baseline", ".sim-slider-supervision-strictness",
           ".sim-slider-ngo-capacity", ".sim-watch", ".sim-curves img"]


MIDDLE_SCREEN = (1536, 864)  # a 1920x1080 projector at Windows' 125% scaling: the curves grow into it (1.2 times)


def in_view(page, selector: str) -> bool:
    box, size = page.locator(selector).first.bounding_box(), page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"]
            and box["y"] + box["height"] <= size["height"])


def longest_headline() -> str:
    """The headline with the widest numbers a shipped scenario can show: the end of General offenders' run (week 261,
    1,000 released), everyone reoffended and recalled, everyone waiting for an NGO place where none offers one (the
    longer wording: 'referred, no NGO place to take them') and community stigma after a media shock beside the week's
    (a shock cannot follow the last week, so this is longer than any headline shown)."""
    from types import SimpleNamespace

    from sim.dashboard.curves import headline

    row = {"week": 261, "released": 1000, "reoffended": 1.0, "recalled": 1.0, "ngo_waitlist": 1000.0, "ngo_places": 0,
           "community_stigma": 0.48, "experienced_stigma": 0.61}
    return headline(SimpleNamespace(history=[row], week=261, running=False, still_running=lambda: False,
                                    stigma_after_shock=0.62))


@pytest.mark.parametrize("width, height", [(1280, 720), MIDDLE_SCREEN, (1920, 1080)])
def test_the_longest_headline_takes_two_lines_and_the_main_things_stay_in_view(browser, server, width, height):
    """At 1280x720 the headline, in the curves' column, took three lines at the end of a run and pushed the curves
    down; at 1920x1080 the page used 1,000 of the 1,920 pixels, pictures and text as small as on a 1280 screen."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(server + "/")
        page.wait_for_selector(".sim-curves img", timeout=90_000)
        lines = page.evaluate("""(text) => { const line = document.querySelector('.sim-headline'); line.innerHTML = text;
            return line.getBoundingClientRect().height / parseFloat(getComputedStyle(line).lineHeight); }""",
                              longest_headline())
        assert round(lines) <= 2, f"the headline takes {lines:.1f} lines at {width}x{height}"
        time.sleep(0.5)
        hidden = [selector for selector in [*IN_VIEW, ".sim-headline"] if not in_view(page, selector)]
        assert not hidden, f"not in view at {width}x{height}: {hidden}"
        assert page.evaluate("window.scrollY") == 0
        shown, natural = page.evaluate("(() => { const i = document.querySelector('.sim-curves img');"
                                       " return [i.getBoundingClientRect().width, i.naturalWidth]; })()")
        # a 1920 projector's screen is no larger than a 1280 one's: the curves must grow with it to be read as far ...
        laid_out = natural / PIXEL_RATIO
        assert shown / laid_out >= 1.5 * width / 1920 - 0.01, f"curves at {shown / laid_out:.2f} of their size"
        # ... and stay sharp: each of the screen's pixels has a pixel of the picture, none is blown up (blurred)
        for picture in (".sim-curves img", ".sim-network img"):
            drawn, pixels = page.evaluate("""(selector) => { const i = document.querySelector(selector);
                return [i.getBoundingClientRect().width * window.devicePixelRatio, i.naturalWidth]; }""", picture)
            assert pixels >= drawn, f"{picture} of {pixels} px blown up to {drawn:.0f} px at {width}x{height}"
        page.screenshot(path=str(ARTIFACTS / f"dashboard_{width}x{height}.png"))
    finally:
        page.close()


KEY_MARGIN = 8  # px at least between the network view's colour keys and the bottom of the screen
LABEL_GAP = 8  # px at least between the play buttons and the scenario picker's label


@pytest.mark.parametrize("width, height", [(1280, 720), MIDDLE_SCREEN, (1920, 1080)])
def test_the_colour_keys_under_the_network_are_wholly_in_view(browser, server, width, height):
    """The stigma key under the network picture touched or left the bottom of a 1280x720 screen. At its lowest: General
    offenders (its caption takes a line more: 400 of the 1,000 drawn) and a what to watch of three lines (High
    community stigma), each with the longest headline."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(server + "/")
        page.wait_for_selector(".sim-network img", timeout=90_000)
        for preset in ("General offenders (BJS 2005 cohort)", "High community stigma"):
            choose_preset(page, preset)
            page.evaluate("(text) => { document.querySelector('.sim-headline').innerHTML = text; }", longest_headline())
            time.sleep(0.5)
            key, column = page.evaluate("""(() => { const view = document.querySelector('.sim-network');
                return [view.lastElementChild.getBoundingClientRect().toJSON(),
                        view.getBoundingClientRect().toJSON()]; })()""")
            assert key["height"] > 0 and key["bottom"] + KEY_MARGIN <= height, f"{preset}: key at {key} px"
            widest = page.evaluate("Math.max(...[...document.querySelectorAll('.sim-network small')]"
                                   ".map(k => k.getBoundingClientRect().right))")
            assert widest <= column["right"], f"{preset}: a key runs past its column ({widest} > {column['right']})"
            hidden = [selector for selector in [*IN_VIEW, ".sim-network img"] if not in_view(page, selector)]
            assert not hidden and page.evaluate("window.scrollY") == 0, f"{preset}: not in view: {hidden}"
            # the scenario's title whole in its picker: Vuetify cut it ("General offenders (BJS 2005 coh...")
            cut = page.evaluate("[...document.querySelectorAll('.v-select__selection')]"
                                ".filter(e => e.scrollWidth > e.clientWidth).map(e => e.innerText)")
            assert not cut, f"{preset}: cut off at {width}x{height}: {cut}"
        page.screenshot(path=str(ARTIFACTS / f"dashboard_network_key_{width}x{height}.png"))
    finally:
        page.close()


def test_at_1280x720_a_trainer_sees_every_main_control_without_scrolling_and_nothing_else(page, server):
    page.goto(server + "/")
    page.wait_for_selector(".sim-curves img", timeout=90_000)
    time.sleep(1)
    assert page.evaluate("window.scrollY") == 0
    hidden = [selector for selector in IN_VIEW if not in_view(page, selector)]
    assert not hidden, f"not in view at 1280x720: {hidden}"
    # the ten cooperation levers are folded until asked for
    assert not page.locator(".sim-slider-cooperation-policy_input").is_visible()
    page.get_by_text("Government - civil society cooperation").click()
    page.locator(".sim-slider-cooperation-policy_input").wait_for(state="visible", timeout=10_000)
    # what to watch, read out from the preset
    assert "Watch how many reoffend" in page.locator(".sim-watch").inner_text()
    # nothing of Mesa's own page furniture
    text = page.locator("body").inner_text()
    for leftover in ("Page 0", "PAGE 0", "Model Parameters", "Information", "Use Threads", "Play Interval",
                     "Render Interval"):
        assert leftover not in text, f"{leftover!r} is still on the page"


def test_text_and_chart_text_are_at_least_16_px(page, server):
    page.goto(server + "/")
    page.wait_for_selector(".sim-curves img", timeout=90_000)
    for selector in (".sim-watch", ".sim-headline", ".sim-network .sim-week"):
        size = page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)")
        assert size >= 16, f"{selector} at {size} px"
    # every text on the page, the levers' help and the buttons included
    page.get_by_text("Government - civil society cooperation").click()
    page.locator(".sim-slider-cooperation-policy_input").wait_for(state="visible", timeout=10_000)
    assert not small_text(page), f"text under 16 px: {small_text(page)[:5]}"
    # the curves are a picture: its text is CHART_FONT_PX at the picture's own size, scaled as it is shown
    shown, natural = page.evaluate("(() => { const i = document.querySelector('.sim-curves img');"
                                   " return [i.getBoundingClientRect().width, i.naturalWidth]; })()")
    scale = shown / (natural / PIXEL_RATIO)  # of the picture as laid out, CHART_FONT_PX text
    assert CHART_FONT_PX * scale >= 16, f"chart text at {CHART_FONT_PX * scale:.1f} px"


def small_text(page) -> list[str]:
    """Texts shown under 16 px: the computed font size times the scale the element is drawn at (Vuetify draws a
    field's label, e.g. 'Scenario' or 'Seed', at 16 px scaled to 0.75)."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.offsetParent
        && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => [parseFloat(getComputedStyle(e).fontSize)
                   * (e.offsetHeight ? e.getBoundingClientRect().height / e.offsetHeight : 1), e.innerText.slice(0, 40)])
        .filter(([size]) => size < 15.9).map(([size, text]) => size.toFixed(1) + ' px ' + text)""")


def test_the_labels_of_the_scenario_pickers_and_the_seed_are_shown_at_16_px_too(page, server):
    for path in ("/", "/compare"):
        page.goto(server + path)
        page.wait_for_selector(".sim-curves img", timeout=90_000)
        assert not small_text(page), f"{path}: text under 16 px: {small_text(page)[:5]}"


def test_the_browser_tab_names_the_dashboard_from_the_first_byte_and_each_page_its_own(page, server):
    """A projector shows the tab's title while a busy machine draws the first page (20-30 s): it read Solara's own
    "Solara ☀️". The page as served names the dashboard; once drawn, each page names itself."""
    from urllib.request import urlopen

    with urlopen(server + "/", timeout=90) as response:
        served = re.search(r"<title>(.*?)</title>", response.read().decode(), re.S).group(1).strip()
    assert served == "Reintegration dashboard"
    for path, title in (("/", "Reintegration dashboard"), ("/compare", "What if we ...? - reintegration dashboard")):
        page.goto(server + path)
        page.wait_for_selector(".sim-curves img", timeout=90_000)
        page.wait_for_function(f"document.title === {title!r}", timeout=30_000)


def test_the_server_does_not_repeat_warnings_at_every_page_load(page, server):
    for _ in range(3):
        page.goto(server + "/")
        page.wait_for_selector(".sim-curves img", timeout=90_000)
    log = (ARTIFACTS / "dashboard_server.log").read_text()
    assert "samesite" not in log.lower(), log[-2000:]


def test_after_the_last_week_nothing_marks_a_week_no_curve_reaches_and_a_new_preset_can_be_played_at_once(page, server):
    """At the end of a run Play (shown as ▶) and Step grey out. A media shock or a slider move then marked week 156, where no curve
    goes on: the shock greys out too, the page says the run is over and what Reset does, and a slider waits for Reset.
    Picking another scenario must bring them back, not only Reset."""
    page.goto(server + "/")
    page.wait_for_selector(".sim-network img", timeout=90_000)
    page.get_by_role("button", name="▶").click()
    deadline = time.monotonic() + 180
    while not page.locator(".sim-play button >> text=Step").is_disabled() or week(page, ".sim-network") < 156:
        assert time.monotonic() < deadline, f"playing, but the page is still at week {week(page, '.sim-network')}"
        time.sleep(0.3)
    page.locator(".sim-run-over").wait_for(timeout=10_000)
    assert "Reset" in page.locator(".sim-run-over").inner_text()
    # the run is over, not paused: Play shows as Play, greyed (Mesa's own controller left a greyed pause button)
    assert page.locator(".sim-play button >> text=▶").is_disabled() and page.locator(".sim-play >> text=❚❚").count() == 0
    assert page.locator(".sim-media-shock").is_disabled()
    marks = page.locator(".sim-events b").count()
    click_slider(page, ".sim-slider-supervision-strictness .v-slider", 0.9)
    page.wait_for_function(
        "/Supervision strictness: 0\\.(8|9)/.test(document.querySelector('.sim-slider-supervision-strictness').innerText)",
        timeout=20_000,
    )
    time.sleep(1)
    assert page.locator(".sim-events b").count() == marks, page.locator(".sim-events").inner_text()
    page.locator(".sim-preset").click()
    pick_option(page, "Low community stigma")
    page.wait_for_function("document.querySelector('.sim-watch').innerText.includes('Low community stigma')",
                           timeout=60_000)
    # it tells the room to watch work and housing too, a button away; saying so leaves the curves in view
    assert "Some of it is under \u2018Work, home, NGO\u2019 on the left." in page.locator(".sim-watch").inner_text()
    assert in_view(page, ".sim-curves img"), page.locator(".sim-curves img").bounding_box()
    wait_for_week(page, ".sim-network", 0)
    page.get_by_role("button", name="Step").click(timeout=10_000)
    wait_for_week(page, ".sim-network", 1)
    assert page.get_by_role("button", name="▶").is_enabled()
    assert page.locator(".sim-media-shock").is_enabled() and not page.locator(".sim-run-over").count()


def test_the_curves_stay_in_view_however_many_events_are_marked(page, server):
    """Media shocks and slider moves are listed by number; the list must not push the curves off the screen."""
    page.goto(server + "/")
    page.wait_for_selector(".sim-curves img", timeout=90_000)
    for expected in range(1, 5):
        page.locator(".sim-media-shock").click()
        page.get_by_role("button", name="Step").click()
        wait_for_week(page, ".sim-network", expected)
    page.wait_for_function("document.querySelectorAll('.sim-events b').length >= 4", timeout=20_000)
    time.sleep(1)
    assert in_view(page, ".sim-curves img"), page.locator(".sim-curves img").bounding_box()


def test_a_scenario_picked_while_playing_is_shown_from_week_0(page, server):
    """Picking a scenario starts it from week 0; while playing, the room must see that start, not week 8."""
    page.goto(server + "/")
    page.wait_for_selector(".sim-network img", timeout=90_000)
    page.evaluate(RECORD_WEEKS)
    page.get_by_role("button", name="▶").click()
    while week(page, ".sim-network") < 5:
        time.sleep(0.1)
    page.locator(".sim-preset").click()
    pick_option(page, "Strict supervision")
    page.wait_for_function("document.querySelector('.sim-watch').innerText.includes('Strict supervision')",
                           timeout=60_000)
    time.sleep(2)
    page.get_by_role("button", name="❚❚").click()
    shown = [int(text.split()[1]) for _, text in page.evaluate("window.simWeeks")]
    assert 0 in shown[1:], f"the new scenario was never shown at week 0: {shown}"


def test_when_the_server_stops_mid_run_the_page_says_so_in_large_type_and_how_to_start_again(browser, server):
    """Stopped while playing, the page went grey with a small 'Server disconnected.' in a spinner, the Pause button
    still showing: nothing told the room what had happened or what to do. (``server`` only for its skips: this test
    stops a server of its own.)"""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        with (ARTIFACTS / "dashboard_stopped_server.log").open("w") as log, in_background(log) as url:
            page.goto(url + "/")
            page.wait_for_selector(".sim-network img", timeout=90_000)
            assert not page.locator(".sim-server-stopped").is_visible()
            page.get_by_role("button", name="▶").click()
            deadline = time.monotonic() + 60
            while week(page, ".sim-network") < 2:  # playing (on an idle machine weeks pass faster than a poll sees each)
                assert time.monotonic() < deadline, "the run never started"
                time.sleep(0.1)
        notice = page.locator(".sim-server-stopped")
        notice.wait_for(state="visible", timeout=30_000)
        text = " ".join(notice.inner_text().split())
        assert "server has stopped" in text and "run sim dashboard again" in text and "reload this page" in text, text
        assert in_view(page, ".sim-server-stopped")
        sizes = page.evaluate("[...document.querySelectorAll('.sim-server-stopped, .sim-server-stopped *')]"
                              ".map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert min(sizes) >= 28, f"the notice is at {sizes} px"
        on_top = page.evaluate("document.elementFromPoint(640, 360).closest('.sim-server-stopped') !== null")
        assert on_top, "Solara's grey veil hides the notice"
        page.screenshot(path=str(ARTIFACTS / "dashboard_server_stopped.png"))
    finally:
        page.close()


COMPARED_WIDTH = 0.85  # least share of the what-if page's column the curves take across


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_on_the_what_if_page_each_side_takes_one_line_with_a_colour_key_readable_from_afar(browser, server, width, height):
    """Each side's numbers were a sentence repeating '(0 accepting, 1 rejecting)', two lines at 1280x720 (three with a
    long title and large numbers, pushing the marks below the screen), keyed by a 10 px ■. With the two longest
    shipped titles and the widest numbers a run can show, each side takes one line under its swatch, and the note
    under the curves that they release different numbers of people one line."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(server + "/compare")
        page.wait_for_selector(".sim-curves img", timeout=90_000)
        for side, name in (("left", "General offenders (BJS 2005 cohort)"), ("right", "Attack in the media, then backlash")):
            page.locator(f".sim-preset-{side}").click()
            pick_option(page, name)
            page.wait_for_function(f"document.querySelector('.sim-sides').innerText.includes('{name}')", timeout=60_000)
        wait_for_week(page, ".sim-curves", 0)
        lines = page.evaluate("""() => [...document.querySelectorAll('.sim-sides tr + tr')].map(row => {
            row.querySelectorAll('td').forEach((cell, i) => { cell.textContent = ['100.0%', '1,000', '0.88'][i >> 1]; });
            return row.getBoundingClientRect().height / parseFloat(getComputedStyle(row).lineHeight); })""")
        assert [round(n) for n in lines] == [1, 1], f"the two sides take {lines} lines at {width}x{height}"
        keys = page.evaluate("""() => [...document.querySelectorAll('.sim-key')].map(k => { const box = k.getBoundingClientRect();
            return [box.width, box.height, getComputedStyle(k).backgroundColor]; })""")
        assert len(keys) == 2 and len({colour for _, _, colour in keys}) == 2, keys
        assert all(w >= 24 and h >= 16 for w, h, _ in keys), f"colour keys of {keys}"
        # 1,000 released against 400: the note under the curves says so, on one line (a second took a line of marks')
        note = page.locator(".sim-populations")
        assert "1,000 released" in note.inner_text() and "400" in note.inner_text()
        lines = note.evaluate("n => n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight)")
        assert round(lines) == 1, f"the note takes {lines:.1f} lines at {width}x{height}"
        time.sleep(0.5)
        assert in_view(page, ".sim-sides") and in_view(page, ".sim-curves img")
        bottom = page.locator(".sim-curves img").bounding_box()
        assert bottom["y"] + bottom["height"] + 48 <= height, "no room for two lines of marks under the curves"
        # the curves have the page's width: at 1920x1080 they took 888 of its 1,496 px, the rest of the screen empty
        column = page.locator(".sim-main").bounding_box()
        assert bottom["width"] >= COMPARED_WIDTH * column["width"], f"curves {bottom['width']:.0f} of {column['width']:.0f} px"
        page.screenshot(path=str(ARTIFACTS / f"dashboard_compare_longest_{width}x{height}.png"))
    finally:
        page.close()


@pytest.mark.parametrize("width, height", [(1280, 720), MIDDLE_SCREEN, (1920, 1080)])
@pytest.mark.parametrize("path", ["/", "/compare"])
def test_the_curves_and_the_list_of_marks_are_in_view_and_the_curves_shown_can_be_switched(browser, server, path, width,
                                                                                             height):
    """Five panels in the picture left each plot about 40 px high, too low to read from across a room: the three
    outcomes are shown, work, home and NGO places a button away, the picture at its own size (where each plot is at
    least MIN_PANEL_PX high: tests/test_dashboard.py; larger on 1920x1080), with the list of what each numbered mark
    was under it, at 1280x720 and 1920x1080, without scrolling and with the buttons' words whole."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        the_curves_shown_can_be_switched(page, server, path, width, height)
    finally:
        page.close()


def the_curves_shown_can_be_switched(page, server: str, path: str, width: int, height: int) -> None:
    from sim.dashboard.curve_data import PANEL_GROUPS
    from sim.dashboard.drawing import CHART_DPI, CHART_SIZE, COMPARISON_CHART_SIZE

    page.goto(server + path)
    page.wait_for_selector(".sim-curves img", timeout=90_000)
    for expected in range(1, 4):
        if path == "/":  # three marks: the list takes two lines
            page.locator(".sim-media-shock").click()
        page.get_by_role("button", name="Step").click()
        wait_for_week(page, ".sim-main", expected)  # both pages' line of numbers
    if path == "/":
        page.wait_for_function("document.querySelectorAll('.sim-events b').length >= 3", timeout=20_000)
    time.sleep(1)
    shown, natural = page.evaluate("(() => { const i = document.querySelector('.sim-curves img');"
                                   " return [i.getBoundingClientRect().width, i.naturalWidth]; })()")
    laid_out = (CHART_SIZE if path == "/" else COMPARISON_CHART_SIZE)[0] * CHART_DPI
    assert natural == laid_out * PIXEL_RATIO and shown >= laid_out - 1, f"curves shown at {shown / laid_out:.2f}"
    if path == "/":
        assert in_view(page, ".sim-events"), page.locator(".sim-events").bounding_box()
    for name in reversed(PANEL_GROUPS):
        before = picture(page, ".sim-curves")
        page.get_by_role("button", name=name).click()
        deadline = time.monotonic() + 20
        while picture(page, ".sim-curves") == before:
            assert time.monotonic() < deadline, f"'{name}' did not change the curves"
            time.sleep(0.1)
        time.sleep(0.5)
        hidden = [selector for selector in (".sim-curves img", ".sim-panels", ".sim-events")
                  if page.locator(selector).count() and not in_view(page, selector)]
        assert not hidden and page.evaluate("window.scrollY") == 0, f"not in view: {hidden}"
        clipped = page.evaluate("[...document.querySelectorAll('.sim-panels .v-btn')]"
                                ".filter(b => b.scrollWidth > b.clientWidth + 1).map(b => b.innerText)")
        assert not clipped, f"button text cut off: {clipped}"
    page.screenshot(path=str(ARTIFACTS / f"dashboard_switched{path.replace('/', '_')}_{width}x{height}.png"))


def preset_titles() -> list[str]:
    from sim.dashboard.briefing import title
    from sim.scenarios.loader import load_scenario, shipped_names

    return [title(load_scenario(name)) for name in shipped_names()]


STRICTNESS = (0.7, 0.3)  # slider moves between media shocks, in turn: no preset's strictness, nor the one before
SCREENS = [(1280, 720), (1920, 1080)]
# the comparison with the two longest titles: the least room under its curves
COMPARED = "General offenders (BJS 2005 cohort) vs Attack in the media, then backlash"
MARK_LISTS = [*(("/", preset, 6, 1280, 720) for preset in preset_titles()), ("/", "High community stigma", 6, 1920, 1080),
              *(("/", "High community stigma", 14, *screen) for screen in SCREENS),
              *(("/compare", COMPARED, marks, *screen) for marks in (6, 14) for screen in SCREENS)]


@pytest.mark.parametrize("path, preset, marks, width, height", MARK_LISTS)
def test_the_marks_are_listed_on_the_screen_however_many_and_whatever_the_preset(browser, server, path, preset, marks,
                                                                                  width, height):
    """Under a what to watch of three lines (High community stigma, Low community stigma, NGO places for everyone) the
    curves ended at 681 px of a 1280x720 screen and a list of marks of two lines at 742 px, below it; six marks took
    three lines, below the screen on every preset; fourteen (a trainer's dozen moves) took seven, to 794 px (on the
    comparison page, 740 px).
    Six marks or fourteen, media shocks and slider moves in turn, end on the screen with nothing to scroll, the
    controls, curves, network and its keys still in view; each mark's number is listed or named in the lead the
    earliest fold into, whose tooltip lists them all. The comparison page lists only its scenarios' own events (it has no button to add any), so
    its list is set as the page would render it for that many."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(server + path)
        page.wait_for_selector(".sim-curves img", timeout=90_000)
        if path == "/":
            make_marks(page, preset, marks)
            in_sight = [*IN_VIEW, ".sim-headline", ".sim-network img", ".sim-panels", ".sim-events"]
        else:
            list_marks_as_compared(page, preset, marks)
            in_sight = [".sim-sides", ".sim-curves img", ".sim-panels", ".sim-events"]
        time.sleep(0.5)
        box = page.evaluate("document.querySelector('.sim-events').getBoundingClientRect().toJSON()")
        assert box["bottom"] <= height, f"{path} {preset}, {marks} marks: the list ends at {box['bottom']:.0f} px of {height}"
        listed, earlier = numbers_in_sight(page)
        assert earlier + listed == list(range(1, marks + 1)), (
            f"{path} {preset}: of {marks} marks, {listed} listed and {earlier} in the lead")
        every = page.evaluate("document.querySelector('.sim-events .sim-earlier').title").splitlines()
        assert [int(line.split()[0]) for line in every] == list(range(1, marks + 1)), f"the lead's tooltip: {every}"
        if path == "/":
            key = page.evaluate("document.querySelector('.sim-network').lastElementChild.getBoundingClientRect().bottom")
            assert key + KEY_MARGIN <= height, f"{preset}: the network's keys end at {key:.0f} px"
        hidden = [selector for selector in in_sight if not in_view(page, selector)]
        scroll = page.evaluate("[window.scrollY, document.documentElement.scrollHeight, window.innerHeight]")
        assert not hidden and scroll[0] == 0 and scroll[1] <= scroll[2], f"{preset}: not in view: {hidden}, {scroll}"
        page.screenshot(path=str(ARTIFACTS / f"dashboard_{marks}_marks{path.replace('/', '_')}_{preset.split()[0]}_"
                                             f"{width}x{height}.png"))
    finally:
        page.close()


def make_marks(page, preset: str, marks: int) -> None:
    """``marks`` marks on the dashboard, as a trainer makes them: a media shock, a week, a slider move, a week."""
    choose_preset(page, preset)
    wait_for_week(page, ".sim-network", 0)
    for made in range(0, marks, 2):
        page.locator(".sim-media-shock").click()
        page.get_by_role("button", name="Step").click()
        wait_for_week(page, ".sim-network", made + 1)
        click_slider(page, ".sim-slider-supervision-strictness .v-slider", STRICTNESS[made // 2 % 2])
        page.wait_for_function(f"document.querySelectorAll('.sim-events b').length >= {made + 2}", timeout=20_000)
        page.get_by_role("button", name="Step").click()
        wait_for_week(page, ".sim-network", made + 2)


def list_marks_as_compared(page, names: str, marks: int) -> None:
    """The comparison of ``names`` ('A vs B') with the list of ``marks`` marks (media shocks and strictness moves in turn) as its
    page renders it, in the place it renders it."""
    from sim.dashboard.curves import marks_html

    for side, name in zip(("left", "right"), names.split(" vs "), strict=True):
        page.locator(f".sim-preset-{side}").click()
        pick_option(page, name)
        page.wait_for_function(f"document.querySelector('.sim-sides').innerText.includes('{name}')", timeout=60_000)
    wait_for_week(page, ".sim-curves", 0)
    listed = [(week, "media shock (trainer)" if week % 2 == 0 else f"Supervision strictness: {STRICTNESS[week // 2 % 2]:.2f}")
              for week in range(marks)]
    page.evaluate("""(html) => { let list = document.querySelector('.sim-events');
        if (!list) { list = document.createElement('div'); list.className = 'sim-events';
                     document.querySelector('.sim-curves').appendChild(list); }
        list.innerHTML = html; }""", marks_html(listed))


def numbers_in_sight(page) -> tuple[list[int], list[int]]:
    """The numbers of the marks listed in sight under the curves, and those the lead of the earliest names
    (``1-7 earlier``; none without a lead)."""
    listed, lead = page.evaluate("""() => { const list = document.querySelector('.sim-events');
        const lead = list.querySelector('.sim-earlier');
        return [[...list.querySelectorAll('b')].filter(b => b.getClientRects().length).map(b => +b.textContent),
                lead && lead.getClientRects().length ? lead.innerText : '']; }""")
    named = re.match(r"(\d+)(?:\D(\d+))? earlier", lead)
    earlier = list(range(int(named[1]), int(named[2] or named[1]) + 1)) if named else []
    return listed, earlier


def test_the_lead_of_the_earliest_marks_opens_them_all_over_the_curves_and_stays_open_while_playing(page, server):
    """Folded marks were listed only in the lead's tooltip: small system text, shown after a delay and gone a few
    seconds later, so a trainer asked 'what was mark 3?' could not show the room. Clicking the lead (or Enter on it)
    opens every mark at 16 px in a panel over the curves, which scrolls nothing; it stays open, listing the marks made
    since, while the model steps on, and Escape, its close button or the lead again close it."""
    page.goto(server)
    page.wait_for_selector(".sim-curves img", timeout=90_000)
    make_marks(page, "High community stigma", 14)
    lead, panel = page.locator(".sim-events .sim-earlier"), page.locator(".sim-all-marks")
    curves = page.locator(".sim-curves img").bounding_box()
    lead.click()
    assert all_marks_open(page) == list(range(1, 15)), "the lead opened no list of all the marks"
    assert re.fullmatch(r"3 week 2: media shock \(trainer\)", panel.locator("li").nth(2).inner_text()), (
        panel.locator("li").nth(2).inner_text())
    assert lead.get_attribute("aria-expanded") == "true"
    assert page.locator(".sim-curves img").bounding_box() == curves, "opening the list moved the curves"
    assert in_view(page, ".sim-all-marks"), panel.bounding_box()
    # while the model steps on, the list re-renders; the panel must never close, nor lose a mark
    page.evaluate("""() => { window.simShut = false; new MutationObserver(() => { const open = document.querySelector(
        '.sim-all-marks'); if (!open || !open.getClientRects().length) window.simShut = true; }).observe(document.body,
        { childList: true, subtree: true, attributes: true, characterData: true }); }""")
    page.locator(".sim-media-shock").click()
    page.get_by_role("button", name="Step").click()
    wait_for_week(page, ".sim-network", 15)
    page.wait_for_function("document.querySelectorAll('.sim-all-marks li').length >= 15", timeout=20_000)
    assert all_marks_open(page) == list(range(1, 16)) and not page.evaluate("window.simShut"), "closed while stepping"
    assert page.locator(".sim-events .sim-earlier").get_attribute("aria-expanded") == "true", "the new lead says shut"
    play_to(page, ".sim-network", 19)
    assert all_marks_open(page) == list(range(1, 16)) and not page.evaluate("window.simShut"), "closed while playing"
    page.keyboard.press("Escape")
    assert not panel.is_visible() and page.locator(".sim-events .sim-earlier").get_attribute("aria-expanded") == "false"
    lead.click()
    assert panel.is_visible()
    panel.get_by_role("button", name="Close").click()
    assert not panel.is_visible()
    lead.click()
    lead.click()
    assert not panel.is_visible(), "the lead clicked again left the list open"
    # from the keyboard: the lead is a button in the tab order
    assert lead.get_attribute("role") == "button" and lead.get_attribute("tabindex") == "0"
    lead.focus()
    page.keyboard.press("Enter")
    assert all_marks_open(page) == list(range(1, 16)), "Enter on the lead opened no list"
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    lead.focus()
    page.keyboard.press(" ")
    assert panel.is_visible(), "Space on the lead opened no list"
    page.screenshot(path=str(ARTIFACTS / "dashboard_all_marks_open.png"))


def all_marks_open(page) -> list[int]:
    """The numbers the open list of all marks shows, once it shows, each at 16 px at least, with nothing scrolled."""
    page.wait_for_selector(".sim-all-marks", state="visible", timeout=5_000)
    numbers, sizes, scroll = page.evaluate("""() => { const items = [...document.querySelectorAll('.sim-all-marks li')];
        return [items.map(item => +item.querySelector('b').textContent),
                items.map(item => parseFloat(getComputedStyle(item).fontSize)),
                [window.scrollY, document.documentElement.scrollHeight, window.innerHeight]]; }""")
    assert min(sizes) >= 16, f"the list of all marks at {min(sizes)} px"
    assert scroll[0] == 0 and scroll[1] <= scroll[2], f"the page scrolls: {scroll}"
    return numbers


@pytest.mark.parametrize("width, height", SCREENS)
def test_more_marks_than_the_curves_hold_open_in_a_panel_that_scrolls_inside_itself(browser, server, width, height):
    """Forty marks are more lines than the curves are high: the panel of all marks stays over the curves, on the
    screen, and scrolls inside itself to the last mark; the page does not scroll. The comparison page's list is set as
    it renders it (it has no buttons that mark)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(server + "/compare")
        page.wait_for_selector(".sim-curves img", timeout=90_000)
        list_marks_as_compared(page, COMPARED, 40)
        page.locator(".sim-events .sim-earlier").click()
        assert all_marks_open(page) == list(range(1, 41))
        panel = page.locator(".sim-all-marks")
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.sim-all-marks li')).fontSize)")
        assert size == (16 if width < 1600 else 20), f"the list of all marks at {size} px on {width}x{height}"
        sizes = panel.evaluate("(panel) => [panel.scrollHeight, panel.clientHeight]")
        picture = page.locator(".sim-curves .sim-picture").bounding_box()
        assert in_view(page, ".sim-all-marks") and panel.bounding_box()["y"] >= picture["y"], panel.bounding_box()
        assert sizes[0] > sizes[1], f"forty marks fit in {sizes[1]} px?"
        panel.locator("li").last.scroll_into_view_if_needed()
        assert panel.locator("li").last.is_visible() and page.evaluate("window.scrollY") == 0
        page.screenshot(path=str(ARTIFACTS / f"dashboard_all_40_marks_compare_{width}x{height}.png"))
    finally:
        page.close()


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_the_scenario_label_stands_clear_of_the_play_buttons(browser, server, width, height):
    """'Scenario' sat 2-3 px under Reset, ▶ and Step at 1920x1080 (Vuetify lifts a field's label above its field,
    here into the row of buttons): a room read the two as one block. The label stands a clear gap below them."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(server + "/")
        page.wait_for_selector(".sim-network img", timeout=90_000)
        buttons = page.get_by_role("button", name="Reset").bounding_box()
        label = page.locator(".sim-preset .v-label").bounding_box()
        assert label["y"] - (buttons["y"] + buttons["height"]) >= LABEL_GAP, (buttons, label)
    finally:
        page.close()
