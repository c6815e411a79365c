"""The dashboard driven in a browser (a Playwright ``Page``) as a trainer drives it.

``trainer_session`` and ``what_if_session`` bring the two pages to the states the pictures in docs/img show
(dashboard.png, dashboard_compare.png): ``tests/test_dashboard_browser.py`` checks what they pass through, and
``scripts/screenshots.py`` (``make screenshots``) takes the pictures, so the two cannot drift apart.
A page that does not get where it should within its time raises ``TimeoutError`` saying where it stuck.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

TRAINER_PRESET = "General offenders (BJS 2005 cohort)"
TRAINER_STRICTNESS = 0.9  # where on the track the trainer clicks the supervision strictness slider
TRAINER_WEEKS = 3
WHAT_IF_WEEKS = 2


def week(page, container: str) -> int:
    return int(re.search(r"Week (\d+)", page.locator(f"{container} .sim-week").first.inner_text()).group(1))


def picture(page, container: str) -> str:
    return page.locator(f"{container} img").first.get_attribute("src")


def wait_for_week(page, container: str, expected: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while (shown := week(page, container)) != expected:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{container} stuck at week {shown}, expected {expected}")
        time.sleep(0.1)


def click_slider(page, selector: str, fraction: float, attempts: int = 5) -> None:
    """Click a slider's track; retried because a new preset remounts the sliders while we look for them."""
    from playwright.sync_api import Error

    for attempt in range(attempts):
        try:
            slider = page.locator(selector)
            slider.scroll_into_view_if_needed(timeout=5_000)
            box = slider.bounding_box(timeout=5_000)
            if box is not None:  # None while the slider is being remounted
                page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)
                return
        except Error:
            if attempt == attempts - 1:
                raise
        time.sleep(0.5)
    raise TimeoutError(f"slider {selector} never became visible")


def pick_option(page, name: str) -> None:
    """Click the option `name` in the picker list now open: the list of a picker just closed is still fading out, and
    where it holds the same title (the comparison's two pickers) a bare look-up found both."""
    page.locator(".v-menu__content.menuable__content__active").get_by_role("option", name=name).click()


def choose_preset(page, name: str) -> None:
    """Pick a preset by its title and wait until its title and what to watch are shown."""
    page.locator(".sim-preset").click()
    pick_option(page, name)
    page.wait_for_function("(name) => document.querySelector('.sim-watch').innerText.includes(name)", arg=name,
                           timeout=60_000)


def step_to(page, container: str, weeks: int) -> None:
    """Press Step until ``container`` shows week ``weeks``, waiting for each week in turn."""
    for expected in range(week(page, container) + 1, weeks + 1):
        page.get_by_role("button", name="Step").click()
        wait_for_week(page, container, expected)


@dataclass
class Seen:
    """What a session saw on its way: the text and week of the page as first loaded, and the pictures (their
    ``src``) of the network and of the curves before and after its steps."""

    first_week: int
    first_text: str
    before_steps: dict[str, str]
    after_steps: dict[str, str]


def trainer_session(page, url: str) -> Seen:
    """The dashboard as docs/img/dashboard.png shows it: the preset General offenders, the strictness slider moved to
    0.9, three weeks stepped and a media shock fired, the pointer off the buttons (the picture shows the page as the
    room sees it)."""
    page.goto(url + "/")
    page.wait_for_selector(".sim-network img", timeout=90_000)
    first_week, first_text = week(page, ".sim-network"), page.locator(".sim-network").inner_text()
    choose_preset(page, TRAINER_PRESET)  # the run restarts at week 0
    wait_for_week(page, ".sim-network", 0)
    click_slider(page, ".sim-slider-supervision-strictness .v-slider", TRAINER_STRICTNESS)
    page.wait_for_function(  # its label shows the new value
        "/Supervision strictness: 0\\.(8|9)/.test(document.querySelector('.sim-slider-supervision-strictness').innerText)",
        timeout=20_000,
    )
    before = {name: picture(page, f".sim-{name}") for name in ("network", "curves")}
    step_to(page, ".sim-network", TRAINER_WEEKS)
    after = {name: picture(page, f".sim-{name}") for name in ("network", "curves")}
    page.locator(".sim-media-shock").click()  # it recolours the community at once, without a step
    deadline = time.monotonic() + 20
    while picture(page, ".sim-network") == after["network"]:
        if time.monotonic() > deadline:
            raise TimeoutError("the media shock did not change the network picture")
        time.sleep(0.1)
    page.mouse.move(1270, 150)  # off the button
    time.sleep(0.5)
    return Seen(first_week, first_text, before, after)


def what_if_session(page, url: str) -> Seen:
    """The what-if page as docs/img/dashboard_compare.png shows it: its two scenarios as it opens with them (Baseline
    and Full cooperation), stepped two weeks."""
    page.goto(url + "/compare")
    page.wait_for_selector(".sim-curves img", timeout=90_000)
    first_week, first_text = week(page, ".sim-curves"), page.locator(".sim-curves").inner_text()
    before = {"curves": picture(page, ".sim-curves")}
    step_to(page, ".sim-curves", WHAT_IF_WEEKS)
    page.mouse.move(1270, 150)  # off the Step button
    time.sleep(0.5)
    return Seen(first_week, first_text, before, {"curves": picture(page, ".sim-curves")})
