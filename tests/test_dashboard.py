"""The dashboard's model-side helpers: setups, the network sample, the curve data and the pictures.

No browser and no Solara server: these run with the core install (matplotlib is a core dependency).
"""

from __future__ import annotations

import itertools
import re
import time

import numpy as np
import pytest
from matplotlib.patches import BoxStyle
from matplotlib.transforms import Bbox

from sim import ReintegrationModel
from sim.colour_vision import APART, SEEN_BY, ciede2000, difference
from sim.dashboard import network_sample
from sim.dashboard.curve_data import PANEL_GROUPS, curve_frame, event_marks
from sim.dashboard.drawing import (
    CHART_SIZE,
    COMPARISON_CHART_SIZE,
    SERIES_COLOURS,
    CurvesPicture,
    NetworkPicture,
    grown_ceiling,
    nice_ceiling,
    numbers_in,
    scenario_curves,
)
from sim.dashboard.network_sample import sample_network
from sim.dashboard.session import ComparisonModel, Pair, Setup, TrainerModel, cohort_shares
from sim.dashboard.sliders import SLIDERS
from sim.errors import InputError
from sim.scenarios import LEVERS, load_scenario

SMALL = {"population.community": 400, "population.released": 60, "weeks": 40}


def small(preset: str = "general_offenders", **values) -> Setup:
    return Setup(preset, seed=5, values={**SMALL, **values})


@pytest.fixture(scope="module")
def model() -> TrainerModel:
    model = TrainerModel(small())
    for _ in range(30):
        model.step()
    return model


def test_every_lever_and_policy_slider_is_a_valid_scenario_key():
    keys = [spec.key for spec in SLIDERS]
    assert keys[:3] == ["stigma.baseline", "supervision.strictness", "ngo.capacity"]
    assert keys[3:] == [f"cooperation.{lever}" for lever in LEVERS]
    settings = load_scenario("baseline", {spec.key: spec.maximum for spec in SLIDERS})
    assert all(spec.value(settings) == spec.maximum for spec in SLIDERS)
    assert all(spec.help and spec.label for spec in SLIDERS)


def test_a_slider_applies_on_reset_exactly_where_a_policy_change_would_be_refused():
    """``live`` is the loader's rule (``fixed_during_run``), not a second list: stigma.baseline shapes the world."""
    assert [spec.key for spec in SLIDERS if not spec.live] == ["stigma.baseline"]
    model = ReintegrationModel("baseline", rng=1, **{"population__community": 200, "population__released": 40})
    for spec in SLIDERS:
        if spec.live:
            model.change_policy({spec.key: spec.maximum})
        else:
            with pytest.raises(InputError, match="cannot be changed while the model runs"):
                model.change_policy({spec.key: spec.maximum})


def test_reset_rebuilds_what_the_trainer_set_and_ignores_mesas_own_scenario_object():
    setup = small(**{"supervision.strictness": 0.9})
    first = TrainerModel(setup)
    setup.values["stigma.baseline"] = 0.8
    again = TrainerModel(setup, scenario=object())  # what Mesa's Reset passes
    assert again.settings.supervision.strictness == 0.9
    assert again.settings.stigma.baseline == 0.8 and first.settings.stigma.baseline != 0.8
    assert again.community.stigma.mean() > first.community.stigma.mean()


def test_choosing_a_preset_forgets_the_old_slider_values():
    setup = small(**{"supervision.strictness": 0.9})
    setup.choose("high_stigma")
    assert setup.values == {} and setup.scenario().name == "high_stigma"


def test_a_bad_slider_value_is_an_input_error():
    with pytest.raises(InputError, match="strictness"):
        TrainerModel(small(**{"supervision.strictness": 1.5}))


def test_cohort_shares_count_people_released_so_far(model):
    shares = cohort_shares(model)
    released = model.cohort.release_week <= model.week
    assert shares["released"] == released.sum()
    assert shares["reoffended"] == pytest.approx((model.cohort.first_offence >= 0).sum() / released.sum())
    assert 0 <= shares["recalled"] <= 1


def test_curve_frame_has_one_row_per_week_and_cumulative_shares_never_fall(model):
    frame = curve_frame(model)
    assert frame["week"].tolist() == list(range(model.week + 1))
    reoffenders = frame["reoffended"] * frame["released"]
    assert (np.diff(reoffenders.round(6)) >= 0).all()
    assert frame["community_stigma"].iloc[-1] == pytest.approx(model.metrics["community_stigma"])
    assert frame["ngo_waitlist"].iloc[-1] == model.metrics["ngo_waitlist"]


def test_media_shock_and_policy_changes_are_marked_once_per_week():
    model = TrainerModel(small())
    model.step()
    model.media_shock(0.3, "media shock (trainer)")
    model.media_shock(0.3, "media shock (trainer)")
    model.change_policy({"supervision.strictness": 0.9}, label="Supervision strictness: 0.90")
    assert event_marks(model) == [(1, "media shock (trainer); Supervision strictness: 0.90")]


def test_marks_in_a_row_of_one_kind_share_their_label_in_the_list_under_the_curves():
    """Each mark with its own label, six media shocks took three lines under the curves, below a 1280x720 screen under
    a what to watch of three lines. Marks in a row of one kind are listed once with each number's week; the others
    keep their order."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import marks_html

    shock, stricter = "media shock (trainer)", "Supervision strictness: 0.90 <of 1>"
    listed = marks_html([(0, shock), (1, shock), (3, stricter), (5, shock)])
    lead, marks = listed.split(" earlier (click for all); </span>")
    assert re.sub("<[^b/][^>]*>|</span>", "", marks) == (
        "<b>1</b> week 0, <b>2</b> week 1: media shock (trainer); <b>3</b> week 3: Supervision strictness: 0.90 "
        "&lt;of 1&gt;; <b>4</b> week 5: media shock (trainer)")
    assert marks.count("class='sim-mark'") == 4 and marks.count("class='sim-run'") == 3


def test_a_long_list_of_marks_can_fold_its_earliest_into_a_lead_that_opens_them_all():
    """A dozen moves took four lines or more under the curves, below a 1280x720 screen. The page folds the earliest
    marks into a lead (hidden until then), a button that opens every mark, one a line, with its week (read from its
    tooltip, which lists them too). Each mark and each separator is an element of its own, so that folding leaves no
    ', ' or '; ' before the first mark still listed."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import marks_html

    listed = marks_html([(0, "media shock (trainer)"), (2, "Supervision strictness: 0.30 <of 1>")])
    assert listed.startswith("<span class='sim-earlier' hidden role='button' tabindex='0' aria-expanded='false' "
                             "title='1 week 0: media shock (trainer)\n2 week 2: Supervision strictness: 0.30 &lt;of 1&gt;'>"
                             "<span class='sim-earlier-numbers'></span> earlier (click for all); </span>")
    assert "<span class='sim-run'><span class='sim-sep'>; </span><span class='sim-mark'><b>2</b>" in listed


def test_network_sample_is_bounded_deterministic_and_laid_out_once(monkeypatch):
    big = TrainerModel(Setup("baseline", seed=3, values={"population.community": 3000, "population.released": 450,
                                                          "weeks": 5}))
    sample = sample_network(big, max_community=300, max_released=400)
    assert sample.community.size <= 300 and sample.released.size == 400
    assert np.unique(sample.released).size == sample.released.size
    assert sample.positions.shape == (sample.size, 2) and np.isfinite(sample.positions).all()
    assert sample.edges.max() < sample.community.size + sample.released.size
    monkeypatch.setattr(network_sample, "fruchterman_reingold", lambda *a: pytest.fail("laid out twice"))
    again = sample_network(big, max_community=300, max_released=400)
    np.testing.assert_array_equal(again.positions, sample.positions)
    # every drawn tie is a real tie of the model's network
    ties = big.community.influence[sample.community][:, sample.community].toarray() > 0
    inner = sample.edges[sample.edges[:, 1] < sample.community.size]
    assert ties[inner[:, 0], inner[:, 1]].all()


def test_network_colours_follow_status_and_stigma(model):
    sample = model.network_sample
    status = sample.status(model)
    np.testing.assert_array_equal(status, model.cohort.status[sample.released])  # each drawn person's own status
    assert np.unique(status).size > 1  # 30 weeks in: people in different states, so the colours can differ
    np.testing.assert_array_equal(sample.stigma(model), model.community.stigma[sample.community])


def test_pictures_change_when_the_model_does():
    model = TrainerModel(small())
    network, curves = NetworkPicture(model), CurvesPicture([("general", model, "#0072b2")])
    first_network, first_curves = network.update(), curves.update()
    assert first_network.startswith(b"\xff\xd8") and first_curves.startswith(b"\xff\xd8")  # JPEG
    for _ in range(12):
        model.step()
    model.media_shock(0.5, "media shock (trainer)")
    assert network.update() != first_network
    assert curves.update() != first_curves


def test_comparison_steps_both_scenarios_under_one_seed():
    pair = Pair(left=small("general_offenders"), right=small("general_offenders", **{"ngo.capacity": 1.0}), seed=11)
    both = ComparisonModel(pair)
    for _ in range(5):
        both.step()
    assert both.left.week == both.right.week == 5
    # the pair's seed (11), not each setup's own (5): each side is the world a lone run on seed 11 builds
    alone = TrainerModel(Setup("general_offenders", seed=11, values=SMALL))
    own = TrainerModel(small("general_offenders"))
    assert not np.array_equal(alone.cohort.risk, own.cohort.risk)  # the two seeds do build different people
    for side in (both.left, both.right):
        np.testing.assert_array_equal(side.cohort.risk, alone.cohort.risk)
        np.testing.assert_array_equal(side.cohort.release_week, alone.cohort.release_week)
    # different NGO capacity: different places
    assert both.left.metrics["ngo_places"] < both.right.metrics["ngo_places"]


def test_nice_ceiling_rescales_in_coarse_steps():
    assert [nice_ceiling(v) for v in (0.2, 1.0, 1.3, 3, 7, 12, 180)] == [1, 1, 2, 5, 10, 20, 200]


def test_axes_grow_rarely_and_always_show_the_whole_curve():
    """Each rescale is a full redraw (a visible hitch while playing): few of them, and never a clipped curve."""
    ceiling, ceilings = 1.0, []
    for top in np.linspace(0, 42, 200):  # a reoffending share rising to 42% over a run
        ceiling = grown_ceiling(top, ceiling, cap=100.0)
        assert top <= ceiling <= 100
        ceilings.append(ceiling)
    assert len(set(ceilings)) <= 4
    assert grown_ceiling(80, 50, cap=100.0) == 100


def test_a_count_of_people_s_axis_stops_at_the_cohort_and_does_not_leave_the_curves_a_strip():
    """NGO places for a cohort of 400 ran on an axis to 1,000 (twice a waitlist of 280, made nice): the curves used
    under a third of the panel. A count of people stops at the cohort's size, as a share stops at 100%."""
    model = TrainerModel(small("ngo_surge"))
    picture = CurvesPicture([("x", model, "#0072b2")], panels=PANEL_GROUPS["Work, home, NGO"])
    for _ in range(40):
        model.step()
        picture.update()
        ngo = picture.axes[1]
        frame = curve_frame(model)
        assert frame[["ngo_waitlist", "ngo_enrolled"]].to_numpy().max() <= ngo.get_ylim()[1] <= 60  # 60 released
    assert grown_ceiling(280, 100, cap=400.0) == 400


def test_play_does_not_run_ahead_of_the_page(monkeypatch):
    """Once a view has drawn a model, its next week waits for that view to draw the last one, and then leaves the
    page's thread ``ROOM_FOR_CLICKS`` to finish and read a Pause click before asking it for another render.

    The wait runs on a counted clock, not the wall clock: each pause of the waiting loop moves it on, and the
    view draws after the fifth pause."""
    from sim.dashboard import session

    class Clock:
        """Stands in for the time module in session: sleep moves the clock on; the view draws at `draw_after`."""

        def __init__(self) -> None:
            self.now, self.pauses, self.draw_after, self.week_drawn = 0.0, 0, None, None

        def monotonic(self) -> float:
            return self.now

        def sleep(self, seconds: float) -> None:
            self.now += seconds
            self.pauses += 1
            if self.pauses == self.draw_after:
                self.week_drawn = model.week  # the week on screen when the view draws
                model.drawn()

    clock = Clock()
    monkeypatch.setattr(session, "time", clock)
    monkeypatch.setattr(session, "DRAW_TIMEOUT", 10.0)
    room = session.ROOM_FOR_CLICKS
    model = TrainerModel(small())
    model.step()  # never drawn (a script, a test): no waiting
    assert clock.now == 0
    model.drawn()
    model.step()  # week 1 was drawn: this one waits only to leave the page room for clicks
    assert model.week == 2 and clock.now == pytest.approx(room, abs=0.003)
    clock.draw_after, before = clock.pauses + 5, clock.now
    model.step()  # week 2 not drawn yet: waits for the view
    assert clock.week_drawn == 2  # the view drew week 2 while the step waited, before week 3 was made
    # ... and the step went on once the page had had its room after drawing, long before the timeout
    assert model.week == 3 and clock.now - before == pytest.approx(5 * 0.002 + room, abs=0.003)
    monkeypatch.setattr(session, "DRAW_TIMEOUT", 0.2)
    before = clock.now
    model.step()  # nobody draws (the page was closed): goes on after the timeout
    assert model.week == 4 and clock.now - before == pytest.approx(0.2, abs=0.01)


def test_both_sides_of_a_comparison_wait_for_the_page_together(monkeypatch):
    from sim.dashboard import session

    monkeypatch.setattr(session, "DRAW_TIMEOUT", 0.2)
    both = ComparisonModel(Pair(left=small(), right=small(**{"ngo.capacity": 1.0}), seed=3))
    both.drawn()
    both.step()
    assert both.drawn_week == 0 and both.left.drawn_week is None and both.week == 1


def test_every_preset_tells_the_trainer_what_to_watch_and_has_a_title():
    from sim.dashboard.briefing import title, what_to_watch
    from sim.scenarios import shipped_names

    for name in shipped_names():
        settings = load_scenario(name)
        text = what_to_watch(settings.description)
        assert text.startswith("Watch") and len(text) < len(" ".join(settings.description.split())), name
        assert title(settings) != name  # a title in words, not the file's snake_case name
    assert what_to_watch("No such sentence here.") == "No such sentence here."


def test_curves_are_told_apart_by_colour_and_line_with_percent_axes_and_legends_off_the_data():
    from matplotlib.ticker import PercentFormatter

    from sim.dashboard.drawing import CHART_FONT_PX, CurvesPicture

    model = TrainerModel(small("baseline"))  # a cohort with extremists: both offence curves (no terrorism otherwise)
    picture = CurvesPicture([("x", model, "#0072b2")], ("#0072b2", "#de8f05"))
    picture.update()
    first = picture.axes[0]
    assert isinstance(first.yaxis.get_major_formatter(), PercentFormatter)
    assert first.get_ylim()[1] <= 100
    styles = {(to_hex(line.get_color()), line.get_linestyle()) for line in first.lines[:2]}
    assert len(styles) == 2 and len({c for c, _ in styles}) == 2 and len({s for _, s in styles}) == 2
    legend = first.get_legend()
    picture.figure.canvas.draw()
    assert legend.get_window_extent().y0 >= first.get_window_extent().y1 - 1  # above the panel, not on the curves
    assert CHART_FONT_PX >= 16 and all(t.get_fontsize() * 80 / 72 >= 16 for t in legend.get_texts())


@pytest.mark.parametrize("themed", [False, True], ids=["default style", "after sim.analysis's seaborn theme"])
@pytest.mark.parametrize("runs", [1, 2])
def test_no_panel_title_is_covered_by_its_legend(runs, themed):
    """On a projector a legend written over the panel's title makes both unreadable; one scenario or two, and in a
    process where a notebook's plots set seaborn's larger theme for everything drawn after them."""
    import matplotlib
    import seaborn as sns

    with matplotlib.rc_context():  # whatever the theme sets is undone after the test
        if themed:
            sns.set_theme(context="talk", style="whitegrid")  # as sim.analysis's plots do
        picture = CurvesPicture([(f"run {i}", TrainerModel(small()), "#0072b2") for i in range(runs)],
                                ("#0072b2", "#de8f05") if runs == 1 else None,
                                size=CHART_SIZE if runs == 1 else COMPARISON_CHART_SIZE)  # as each page draws them
        picture.update()
        renderer = picture.canvas.get_renderer()
        for ax in picture.axes:
            title, legend = ax._left_title.get_window_extent(renderer), ax.get_legend().get_window_extent(renderer)
            assert title.x1 < legend.x0, f"{ax._left_title.get_text()!r} runs into its legend"


@pytest.mark.parametrize("seed", [-1, 2**32])
def test_a_seed_sim_run_would_refuse_is_refused_in_the_seed_field_and_reset_still_works(seed):
    """numpy cannot seed from a negative number: stored, it made Reset replace the page with a traceback; a seed above
    `sim run --seed`'s range gave a comparison nobody could repeat with `sim run`. The seed field (solara's InputInt)
    shows a ValueError's words in its label and keeps the old value: the refusal must be a ValueError saying what a
    seed is, raised before anything is stored."""
    pair = Pair(small("baseline"), small("full_cooperation"), seed=11)
    with pytest.raises(ValueError, match=r"^whole, 0 to 4294967295$"):  # the label reads "Seed (whole, 0 to ...)"
        pair.reseed(seed)
    assert pair.seed == 11
    ComparisonModel(pair)  # what Mesa's Reset builds
    pair.reseed(12)
    assert ComparisonModel(pair).pair.seed == 12


def test_the_headline_says_when_the_run_has_ended():
    """At the last week Play and Step grey out; the headline must say why, on both pages."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import headline, week_label

    model = TrainerModel(small(weeks=3))
    assert "end of the run" not in headline(model)
    while model.running:
        model.step()
    assert "Week 3" in headline(model) and "end of the run" in headline(model)
    pair = ComparisonModel(Pair(small(weeks=2), small("full_cooperation", weeks=2)))
    while pair.running:
        pair.step()
    assert "end of the run" in week_label(pair)


def test_a_run_paused_by_leaving_for_the_other_page_is_not_said_to_have_ended():
    """Back on the Dashboard from "What if we ...?" (the run left playing at week 7 of 182), the headline said
    "Week 7 (end of the run)" until the next Step: the page is drawn again while its run is still paused for the other
    page (``leave``; ``come_back`` comes after the drawing), and the headline took that pause for the end."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import headline, week_label

    model = TrainerModel(small(weeks=5))
    model.step()
    model.leave()
    assert "end of the run" not in headline(model)
    pair = ComparisonModel(Pair(small(weeks=5), small("full_cooperation", weeks=5)))
    pair.step()
    pair.leave()
    assert "end of the run" not in week_label(pair)


def test_a_media_shock_fired_while_paused_shows_in_the_headline_at_once():
    """The trainer pauses, asks the room, fires a media shock: the network's dots darkened, but the line of numbers
    still said the week's community stigma, recorded before the shock, until the next Step. It now gives the
    community stigma after the shock beside it; the week's own numbers (the curves) are left as recorded."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import headline

    model = TrainerModel(small("baseline"))
    for _ in range(5):
        model.step()
    recorded = dict(model.history[-1])
    assert "after the media shock" not in headline(model)
    model.media_shock(0.3, "media shock (trainer)")
    now = float(np.mean(model.community.stigma))
    assert now > recorded["community_stigma"] + 0.02
    assert f"community stigma {recorded['community_stigma']:.2f}, {now:.2f} after the media shock" in headline(model)
    assert model.history[-1] == recorded
    model.step()
    assert "after the media shock" not in headline(model)
    assert f"community stigma {model.history[-1]['community_stigma']:.2f}" in headline(model)


def test_numbers_of_marks_a_few_weeks_apart_do_not_cover_each_other():
    """A slider move at week 0 and a media shock at week 1: both numbers must stay readable."""
    model = TrainerModel(small())
    model.change_policy({"supervision.strictness": 0.9}, label="Supervision strictness: 0.90")
    picture = CurvesPicture([("x", model, "#0072b2")], ("#0072b2", "#de8f05"))
    picture.update()
    model.step()
    model.media_shock(0.3, "media shock (trainer)")
    picture.update()
    labels = mark_labels(picture)  # two labels apart, or one naming both ("1-2")
    assert sorted(n for numbers, _, _ in labels for n in numbers) == [1, 2]
    assert not any(a.overlaps(b) for (_, a, _), (_, b, _) in itertools.combinations(labels, 2))


def shocked(weeks: set[int], run_weeks: int = 156) -> CurvesPicture:
    """The dashboard's curves of a run as long as the shipped ones (about 3 px a week at 1280x720) with a media shock
    in each of ``weeks``, drawn every week as while playing."""
    model = TrainerModel(small(weeks=run_weeks))
    picture = scenario_curves(model)
    for week in range(max(weeks) + 1):
        if week:
            model.step()
        if week in weeks:
            model.media_shock(0.3, "media shock (trainer)")
        picture.update()
    return picture


def mark_labels(picture: CurvesPicture) -> list[tuple[list[int], Bbox, float]]:
    """Each label on the curves: the mark numbers it names, its box on the picture (circle or box and text, in
    pixels) and its height on the top panel."""
    renderer = picture.canvas.get_renderer()
    labels = []
    for text in picture.axes[0].texts:
        box = Bbox.union([text.get_window_extent(renderer), text.get_bbox_patch().get_window_extent(renderer)])
        labels.append((numbers_in(text.get_text()), box, text.xy[1]))
    return labels


def line_x(picture: CurvesPicture, week: int) -> float:
    return picture.axes[0].transData.transform((week, 0))[0]


def test_marks_in_consecutive_weeks_do_not_cover_each_other_and_each_number_is_on_the_picture():
    """Three media shocks in weeks 0, 1 and 2 put mark 3 on top of mark 1: the room could read neither."""
    picture = shocked({0, 1, 2})
    labels = mark_labels(picture)
    overlapping = [(a, b) for (a, box_a, _), (b, box_b, _) in itertools.combinations(labels, 2) if box_a.overlaps(box_b)]
    assert not overlapping, f"mark labels over each other: {overlapping}"
    assert sorted(n for numbers, _, _ in labels for n in numbers) == [1, 2, 3]
    for numbers, box, _ in labels:  # each number sits over its own dotted line: traceable to the list's week
        assert all(box.x0 <= line_x(picture, number - 1) <= box.x1 for number in numbers), (numbers, box)


def test_marks_far_apart_keep_a_circled_number_each_on_their_line_along_the_top():
    picture = shocked({10, 60, 110})
    labels = mark_labels(picture)
    assert [numbers for numbers, _, _ in labels] == [[1], [2], [3]]
    assert {height for _, _, height in labels} == {picture.mark_row}
    for (_, box, _), week in zip(labels, (10, 60, 110), strict=True):
        assert (box.x0 + box.x1) / 2 == pytest.approx(line_x(picture, week), abs=1)
    assert all(isinstance(text.get_bbox_patch().get_boxstyle(), BoxStyle.Circle) for text in picture.axes[0].texts)


def test_the_mark_numbers_sit_in_a_band_above_the_curves_however_high_they_reach():
    """The circled numbers sat on the curves, at 0.96 and half-way up the first panel, and hid the lines under them.
    With every released person counted in the offences' curves (100%, the highest their axis shows) no line nor band
    reaches a number's circle, and the axis has no tick in the band."""
    model = TrainerModel(small(weeks=60))
    picture = scenario_curves(model)
    picture.update()
    assert not picture.band.get_visible()  # a shaded band holding no number said nothing
    for week in range(40):
        model.step()
        if week in (5, 20, 30, 31):
            model.media_shock(0.3, "media shock (trainer)")
        picture.update()
    for row in model.history[1:]:
        row["reoffended"] = row["terrorism_offence"] = min(1.0, row["week"] / 30)
    picture.update()
    top = picture.axes[0]
    circles = [box for _, box, _ in mark_labels(picture)]
    assert len(circles) >= 3
    for _, line, column, _, panel in picture.lines:
        if panel == 0:
            reach = line.get_linewidth() / 2 * picture.figure.dpi / 72  # pixels a line or band reaches above its value
            points = top.transData.transform(np.column_stack(line.get_data()))
            highest = np.nanmax(points[:, 1]) + reach
            assert all(highest < box.y0 for box in circles), f"'{column}' reaches the mark numbers"
    assert picture.band.get_visible()
    shown_ticks = [tick for tick in top.get_yticks() if tick <= top.get_ylim()[1]]
    assert max(shown_ticks) == 100 and all(box.y0 > top.transData.transform((0, 100))[1] for box in circles)


def test_the_run_on_screen_is_replicate_0_of_sim_run_with_the_same_seed():
    """A trainer who checks the dashboard against `sim run SCENARIO --seed S` (or the scenario's own seed) must find
    the same weeks: community stigma, the NGO waitlist and who reoffended, week by week."""
    import sim

    values = {**SMALL, "weeks": 30}
    for seed in (None, 11):
        shown = TrainerModel(Setup("baseline", seed=seed, values=values))
        while shown.running:
            shown.step()
        run = sim.run(["baseline"], replicates=1, seed=seed, overrides=values)
        weeks = run.timeseries.set_index("week")
        frame = curve_frame(shown).set_index("week")
        for column in ("community_stigma", "ngo_waitlist", "ngo_enrolled"):
            np.testing.assert_allclose(frame.loc[weeks.index, column], weeks[column], err_msg=column)
        reoffended = run.events["first_offence"].to_numpy()
        assert frame["reoffended"].iloc[-1] * frame["released"].iloc[-1] == pytest.approx((reoffended >= 0).sum())


def test_axis_labels_stay_in_the_picture_when_the_curves_reach_100_percent():
    """The layout is made once, for the first axes (10%, 10 people); when an axis grew to 100% its wider tick labels
    pushed the '%' label off the picture's left edge, and a people axis in the thousands would do the same."""
    model = TrainerModel(small())  # general offenders: a third reoffend within 40 weeks, so the axis grows to 100%
    picture = CurvesPicture([("x", model, "#0072b2")], ("#0072b2", "#de8f05"))
    picture.update()
    while model.running:
        model.step()
    picture.update()
    assert picture.ceilings[0] == 100
    picture.axes[-1].set_ylim(0, nice_ceiling(2 * model.settings.population.released))  # the most people it can show
    picture.figure.canvas.draw()
    renderer = picture.canvas.get_renderer()
    for ax in picture.axes:
        for text in (ax.yaxis.label, *ax.get_yticklabels()):
            assert not text.get_text() or text.get_window_extent(renderer).x0 >= 0, f"{text.get_text()!r} of {ax.get_title(loc="left")!r} is cut off"


def test_a_run_reset_with_moved_sliders_says_so_instead_of_passing_for_the_preset():
    """Reset rebuilds from the sliders on screen: after moves, the room saw 'Baseline' and curves without a mark,
    though the run was not the baseline. The title says it was changed, and a mark at week 0 says how."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import watch_html

    as_shipped = TrainerModel(Setup("baseline", seed=5, values={**SMALL, "supervision.strictness": 0.5,
                                                                  "ngo.capacity": 0.1 + 0.2}))  # a slider's arithmetic
    assert event_marks(as_shipped) == [] and "Baseline</b> &mdash;" in watch_html(as_shipped)
    changed = TrainerModel(Setup("baseline", seed=5, values={**SMALL, "supervision.strictness": 0.7,
                                                              "ngo.capacity": 2.0}))
    assert event_marks(changed) == [
        (0, "from the start: Supervision strictness: 0.70; NGO places per released person: 2.00")]
    assert "Baseline (changed)</b>" in watch_html(changed)


def test_the_custody_curve_of_returns_for_any_reason_is_not_named_like_the_new_sentence_status(model):
    """The second custody series counts recalls as well as new sentences. Labelled 'returned', it read as the network
    legend's 'back in prison (new offence)' (status returned): a room saw 15% 'returned' beside 0 squares back in prison."""
    from sim.agents.states import Status
    from sim.dashboard.curve_data import PANELS
    from sim.dashboard.network_sample import STATUS_LABELS

    frame = curve_frame(model)
    assert (frame["returned"] >= frame["recalled"]).all()  # every recall is a return to custody
    label = dict(dict((title, columns) for title, columns, _, _ in PANELS)["Custody (% of released)"])["returned"]
    assert label != "returned" and label not in STATUS_LABELS[Status.RETURNED]


def test_a_compared_run_that_ended_earlier_says_which_week_its_numbers_are_from():
    """General offenders (261 weeks) against Baseline (156): at week 261 Baseline's line gave its week-156 numbers
    under 'Week 261', as if they were now."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import sides_table

    pair = ComparisonModel(Pair(small("general_offenders", weeks=4), small("baseline", weeks=2), seed=3))
    while pair.running:
        pair.step()
    _, _, left, right = sides_table(pair, ["A", "B"], ["#000000", "#ffffff"]).split("<tr>")
    assert "week" not in left.lower()
    assert "B <span class='sim-side-ended'>(week 2, its end)</span>" in right


def test_the_compared_numbers_give_the_stigma_scale_once_and_each_side_one_row_keyed_by_its_colour():
    """Each side's sentence repeated '(0 accepting, 1 rejecting)' and took two lines at 1280x720, with a tiny colour
    key; the numbers are now a table under one header, a row per side led by a swatch of its curves' colour."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import comparison_week, shown_numbers, sides_table

    pair = ComparisonModel(Pair(small("general_offenders", weeks=4), small("baseline", weeks=4), seed=3))
    pair.step()
    table = sides_table(pair, ["General", "Baseline"], ["#0173b2", "#de8f05"])
    assert (comparison_week(pair) + table).count("accepting") == 1
    header, left, right = table.split("</tr>")[:3]
    assert "reoffended" in header and "reoffended" not in left + right
    for row, run, shade in ((left, pair.left, "#0173b2"), (right, pair.right, "#de8f05")):
        assert f"<span class='sim-key' style='background:{shade}'>" in row
        assert [cell.split("</td>")[0] for cell in row.split("<td>")[1:]] == list(shown_numbers(run).values())


def test_each_mark_under_compared_curves_says_which_side_it_is_on():
    """Moves on one side of a comparison were listed as if on both: the picture tells them apart only by colour."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import all_marks, marks_html

    pair = ComparisonModel(Pair(small("baseline", weeks=4), small("baseline", weeks=4, **{"ngo.capacity": 2.0}), seed=3))
    pair.step()
    marks = all_marks([pair.left, pair.right], ["Baseline (A)", "Baseline (B)"])
    assert marks == [(0, "from the start: NGO places per released person: 2.00, in Baseline (B)")]
    assert "in Baseline (B)" in marks_html(marks)


def test_the_marks_of_both_compared_sides_are_numbered_in_the_order_of_their_weeks():
    """Scenario A's marks were numbered first, then B's: a shock in B at week 1 after A's at weeks 2 and 3 read 1, 2,
    3 along the time axis as 3, 1, 2. The picture and the list under it number them by week across both sides."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import all_marks

    pair = ComparisonModel(Pair(small("baseline", weeks=6), small("full_cooperation", weeks=6), seed=3))
    for shocked in (pair.right, pair.left, pair.left):  # B at week 1, A at weeks 2 and 3
        pair.step()
        shocked.media_shock(0.3, f"shock at week {pair.week}")
    marks = all_marks([pair.left, pair.right], ["A", "B"])
    assert marks == [(1, "shock at week 1, in B"), (2, "shock at week 2, in A"), (3, "shock at week 3, in A")]
    picture = CurvesPicture([("A", pair.left, "#0173b2"), ("B", pair.right, "#de8f05")])
    picture.update()
    assert picture.marks_shown == [(1, "#de8f05"), (2, "#0173b2"), (3, "#0173b2")]  # mark n is the list's n
    picture.jpeg()  # the labels drawn, read from left to right along the week axis
    drawn = sorted(mark_labels(picture), key=lambda label: label[1].x0)
    assert [number for numbers, _, _ in drawn for number in numbers] == [1, 2, 3]


def test_the_network_caption_says_when_not_every_released_person_is_drawn():
    """General offenders release 1,000 people; 400 squares are drawn, while the counts under the picture add up to
    1,000: the caption must say only some are drawn, or the room counts squares against the numbers."""
    pytest.importorskip("solara")
    from sim.dashboard.network_view import caption

    assert "drawn" not in caption(TrainerModel(small()))  # 60 released: every one drawn
    many = TrainerModel(Setup("general_offenders", seed=3, values={"population.community": 3000,
                                                                  "population.released": 450, "weeks": 5}))
    assert many.network_sample.released.size == 400
    assert "400 of the 450 drawn" in caption(many)


def test_the_headline_writes_thousands_as_the_network_caption_does():
    """'of 1000 released' beside the caption's '400 of the 1,000 drawn': one way of writing a number on one screen."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import headline

    model = TrainerModel(Setup("general_offenders", seed=3, values={"population.community": 400,
                                                                   "population.released": 1200, "weeks": 3}))
    model.step()
    assert "of 1,200 released" in headline(model)


# ---- colours a room can tell apart (sim.colour_vision): CIEDE2000 under colour-vision deficiency and a projector


def test_colour_difference_matches_the_published_ciede2000_test_data():
    # pairs 1 and 17 of Sharma, Wu & Dalal's table, given in Lab
    assert ciede2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000(np.array([50, 2.5, 0]), np.array([73, 25, -18])) == pytest.approx(27.1492, abs=1e-4)
    assert difference("#000000", "#000000") == 0 and difference("#000000", "#ffffff") == pytest.approx(100, abs=0.1)


MARGIN = APART  # CIEDE2000: two squares a few pixels wide on a projector need far more than a just-noticeable 2


@pytest.mark.parametrize("seen_by", list(SEEN_BY))
def test_every_two_statuses_of_the_network_view_are_told_apart_on_a_projector_and_by_colour_blind_viewers(seen_by):
    """Recalled (orange) and back in prison (vermilion) were 18 apart on a washed-out projector and 12 under
    deuteranopia; not yet released (grey) and licence ended (green) 7 under deuteranopia on that projector."""
    from itertools import combinations

    from sim.dashboard.network_sample import STATUS_COLOURS, STATUS_LABELS

    close = [(STATUS_LABELS[a], STATUS_LABELS[b], round(difference(STATUS_COLOURS[a], STATUS_COLOURS[b], seen_by), 1))
             for a, b in combinations(STATUS_COLOURS, 2)
             if difference(STATUS_COLOURS[a], STATUS_COLOURS[b], seen_by) < MARGIN]
    assert not close, f"too close for {seen_by}: {close}"


def test_any_two_shipped_scenarios_compared_are_in_colours_the_whole_room_tells_apart():
    """No NGOs (brown) against General offenders (orange) were 12 apart (CIEDE2000) and 7 on a projector: on the
    what-if page, where only colour tells the sides' curves apart, they read as one scenario. Every pair of shipped
    scenarios, either way round (a scenario against itself too, sliders set apart), is APART with normal vision and
    half that for colour-blind viewers and on a projector; Baseline stays grey, as in every report."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import colours
    from sim.figures import NEUTRAL
    from sim.scenarios.loader import shipped_names

    def too_close(first: str, second: str) -> list[tuple[str, float]]:
        return [(seen_by, round(difference(first, second, seen_by), 1)) for seen_by in SEEN_BY
                if difference(first, second, seen_by) < (APART if seen_by == "normal vision" else APART / 2)]

    names = shipped_names()
    close = {(a, b): too_close(*colours([a, b])) for a in names for b in names if too_close(*colours([a, b]))}
    assert not close, f"{len(close)} pairs too close, e.g. {next(iter(close.items()))}"
    assert all(colours([side, "baseline"])[1] == NEUTRAL == colours(["baseline", side])[0] for side in names[1:])


def test_the_recalled_curve_has_the_recalled_colour_of_the_network_and_no_other_curve_a_status_colour():
    """The room reads a colour as one status on the whole screen: the orange 'terrorism' and 'felt' curves beside
    orange 'recalled' squares, and a blue 'recalled' curve, said otherwise."""
    from sim.agents.states import Status
    from sim.dashboard.curve_data import PANELS
    from sim.dashboard.drawing import scenario_curves
    from sim.dashboard.network_sample import STATUS_COLOURS

    model = TrainerModel(small("baseline"))  # every curve drawn: a cohort with extremists has a terrorism curve
    pictures = [scenario_curves(model, panels) for panels in PANEL_GROUPS.values()]
    picture = pictures[0]
    drawn = {column: to_hex(line.get_color()) for shown in pictures for _, line, column, _, _ in shown.lines}
    assert drawn["recalled"] == STATUS_COLOURS[Status.RECALLED]
    legends = {label.get_text(): to_hex(handle.get_color())
               for ax in picture.axes[1:2] for handle, label in zip(ax.get_legend().legend_handles,
                                                                     ax.get_legend().get_texts(), strict=True)}
    assert legends["ever recalled"] == STATUS_COLOURS[Status.RECALLED]
    # a thin line beside a filled square is not mistaken for it at half the margin the squares need among themselves
    others = [column for _, columns, _, _ in PANELS for column, _ in columns if column != "recalled"]
    close = [(column, status.name, seen_by) for column in others for status, colour in STATUS_COLOURS.items()
             for seen_by in SEEN_BY
             if difference(drawn[column], colour, seen_by) < (MARGIN if seen_by == "normal vision" else MARGIN / 2)]
    assert not close


def to_hex(colour) -> str:
    from matplotlib.colors import to_hex as hex_of

    return hex_of(colour)


def drawn(picture: CurvesPicture, column: str):
    """The line that draws `column`, the panel it is in, and the picture's pixels (RGB in 0-1, top row first)."""
    line, panel = next((line, panel) for _, line, name, _, panel in picture.lines if name == column)
    return line, picture.axes[panel], np.asarray(picture.canvas.buffer_rgba())[..., :3].astype(float) / 255


def near(pixel, colour) -> bool:
    """The pixel is about `colour` (antialiasing blends the edges of lines)."""
    from matplotlib.colors import to_rgb

    return bool(np.abs(pixel - np.array(to_rgb(colour))).max() < 0.15)


def test_the_stigma_numbers_say_their_scale_and_no_axis_label_runs_past_its_panel():
    """'stigma 0.49' meant nothing to a room that did not know 1 is rejecting, and the stigma axis's label '1 =
    rejecting' was taller than its panel, running into the panels above and below."""
    from sim.dashboard.curves import headline
    from sim.dashboard.drawing import scenario_curves

    model = TrainerModel(small())
    model.step()
    assert "(0 accepting, 1 rejecting)" in re.sub("<[^>]+>", "", headline(model))
    picture = scenario_curves(model)
    picture.update()
    renderer = picture.canvas.get_renderer()
    stigma = next(ax for ax in picture.axes if ax.get_title(loc="left").startswith("Stigma"))
    assert "rejecting" in stigma.get_title(loc="left")
    for ax in picture.axes:
        label, panel = ax.yaxis.label.get_window_extent(renderer), ax.get_window_extent(renderer)
        assert not ax.get_ylabel() or panel.y0 <= label.y0 and label.y1 <= panel.y1, ax.get_ylabel()


@pytest.mark.parametrize("kind", ["trainer", "comparison"])
def test_a_model_whose_session_ended_stops_running_and_stops_waiting_for_the_page(kind):
    """When its browser tab closes, the model on screen ends (sim.dashboard.app.end_with_session): Mesa's play loop,
    which runs while the model runs, stops after the week under way, and that week no longer waits for a page that
    will never draw it."""
    import threading

    model = TrainerModel(small()) if kind == "trainer" else ComparisonModel(Pair(small(), small(), seed=3))
    model.drawn()
    model.step()  # the page has not drawn this week: the next step waits for it, up to DRAW_TIMEOUT
    playing = threading.Thread(target=model.step)
    started = time.monotonic()
    playing.start()
    time.sleep(0.2)
    model.end_session()
    playing.join()
    assert time.monotonic() - started < 1.0
    assert model.week == 2 and not model.running


def test_a_slider_moved_while_a_week_is_computed_applies_from_the_next_week_not_half_way_through():
    """Slider moves run in the page's thread, the play loop in its own. A move landing mid-week applied the policy to
    the rules still to run that week only: the week's contacts followed the old strictness and its recall decisions,
    read from the officers' retrained orientation, the new one. The move now waits for the week to end."""
    import threading

    model = TrainerModel(small())
    model.step()
    probation = model.world.probation
    mid_week, moved, seen = threading.Event(), threading.Event(), {}
    names = [rule.__name__ for rule, _ in model.rules]
    supervise, breach = names.index("supervise"), names.index("breach")  # contacts, then recall decisions

    def pausing(rule):
        def run(*args):
            mid_week.set()
            moved.wait(timeout=0.3)  # long enough for a move that is not held back to land
            return rule(*args)
        return run

    def watching(rule):
        def run(*args):
            seen["orientation"] = probation.control_orientation.copy()
            return rule(*args)
        return run

    model.rules[supervise] = (pausing(model.rules[supervise][0]), model.rules[supervise][1])
    model.rules[breach] = (watching(model.rules[breach][0]), model.rules[breach][1])
    before = probation.control_orientation.copy()

    def move():
        mid_week.wait()
        model.change_policy({"supervision.strictness": 0.95}, label="moved")
        moved.set()

    slider = threading.Thread(target=move)
    slider.start()
    model.step()
    slider.join()
    np.testing.assert_array_equal(seen["orientation"], before)  # the whole week under the old policy
    assert not np.array_equal(model.world.probation.control_orientation, before)  # and the move applied after it


def test_every_preset_tells_the_room_to_watch_only_what_the_dashboards_curves_show():
    """High stigma, Low stigma, No NGOs and NGO places for everyone told the room to watch jobs, housing and family
    ties, and No cooperation which parts of the journey suffer most: the trainer read out what nobody could see."""
    import re

    from sim.dashboard.briefing import WATCHED, what_to_watch
    from sim.dashboard.curve_data import PANELS
    from sim.scenarios import shipped_names

    shown = {column for _, columns, _, _ in PANELS for column, _ in columns}
    unseen = []
    for name in shipped_names():
        text = what_to_watch(load_scenario(name).description)
        named = {column for pattern, column in WATCHED.items() if re.search(pattern, text, re.IGNORECASE)}
        assert named, f"{name}: nothing WATCHED knows in {text!r}"
        unseen += [(name, column) for column in named if column not in shown]
    assert not unseen, f"named in 'Watch' but not on the dashboard: {unseen}"


def test_every_preset_s_watch_says_an_outcome_in_the_word_the_curves_and_headline_use():
    """Baseline told the room to 'watch how many are re-arrested' (and four presets said 're-offending') over curves, a
    headline and a network key that say reoffended: a second word read as a second outcome."""
    from sim.dashboard.briefing import other_words, what_to_watch
    from sim.scenarios import shipped_names

    found = {name: other_words(what_to_watch(load_scenario(name).description)) for name in shipped_names()}
    assert not any(found.values()), f"not the tool's words: {found}"
    assert other_words("how many are re-arrested or re-offend") == ["re-arrest", "re-offend"]


def test_every_recalled_shown_says_whether_it_counts_everyone_ever_recalled_or_those_in_custody_now(model):
    """The headline's '10.2% recalled' (everyone recalled at least once) stood over the network key's 'recalled (15)'
    (in custody on recall that week) and a 'recalled' curve: the room could not tell the total from the current."""
    from sim.agents.states import Status
    from sim.dashboard.curves import SIDE_HEADERS, headline
    from sim.dashboard.drawing import scenario_curves
    from sim.dashboard.network_sample import STATUS_LABELS

    custody = scenario_curves(model).axes[1].get_legend().get_texts()
    shown = {"headline": headline(model), "network key": STATUS_LABELS[Status.RECALLED],
             "curves' legend": " ".join(text.get_text() for text in custody), "compared": " ".join(SIDE_HEADERS)}
    unsaid = [where for where, text in shown.items() if "recalled" in text and not re.search(
        r"ever recalled|recalled \(in custody now\)", text)]
    assert not unsaid, f"'recalled' without saying total or current: {unsaid}"
    assert "now" in STATUS_LABELS[Status.RECALLED] and "ever recalled" in shown["headline"]


@pytest.mark.parametrize("runs", [1, 2])
@pytest.mark.parametrize("shown", list(PANEL_GROUPS))
def test_every_legend_swatch_is_drawn_as_a_series_of_its_panel_and_every_series_has_one(shown, runs):
    """Comparing two scenarios (orange and grey), the legends' swatches were a grey band and black lines: the grey
    matched no curve of one scenario and the black none at all."""
    from matplotlib.lines import Line2D

    shades = ("#d55e00", "#666666")
    picture = CurvesPicture([(f"run {i}", TrainerModel(small()), shades[i]) for i in range(runs)],
                            SERIES_COLOURS if runs == 1 else None, PANEL_GROUPS[shown])
    picture.update()
    for ax in picture.axes:
        keys = {(to_hex(key.get_color()), key.get_linewidth()) for key in ax.get_legend().findobj(Line2D)}
        drawn = {(to_hex(line.get_color()), line.get_linewidth()) for _, line, _, _, panel in picture.lines
                 if picture.axes[panel] is ax}
        assert keys == drawn, f"{ax.get_title(loc='left')}: swatches {keys - drawn} not drawn, series {drawn - keys} without one"


def test_the_work_and_home_panel_draws_the_shares_employed_and_housed_of_those_in_the_community(model):
    from sim.dashboard.curve_data import WORK_HOME
    from sim.dashboard.drawing import scenario_curves
    from sim.outcomes import weekly_metrics

    picture = scenario_curves(model, next(panels for panels in PANEL_GROUPS.values() if WORK_HOME in panels))
    picture.update()
    work = next(ax for ax in picture.axes if ax.get_title(loc="left").startswith("Work"))
    assert "%" in work.get_title(loc="left")
    assert [t.get_text() for t in work.get_legend().get_texts()] == ["job", "home"]
    now = weekly_metrics(model)
    employed, housed = (line.get_ydata() for line in work.lines[:2])
    assert employed[-1] == pytest.approx(100 * now["employment_rate"]) and 0 < employed[-1] < 100
    assert housed[-1] == pytest.approx(100 * now["housing_rate"]) and 0 < housed[-1] <= 100
    assert len(employed) == model.week + 1  # one point a week, from week 0


def test_each_colour_square_of_the_status_key_stays_on_one_line_with_its_name():
    """At 1280x720 the key under the network wraps; a square left at the end of a line reads as the next line's."""
    from html.parser import HTMLParser

    from sim.agents.states import Status
    from sim.dashboard.network_sample import STATUS_LABELS
    from sim.dashboard.network_view import status_key

    class Chips(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open, self.chips = [], []  # the style of each open span; (unbreakable, text) of each square's span

        def handle_starttag(self, tag, attrs):
            style = dict(attrs).get("style", "")
            if "background" in style:
                self.chips.append(["white-space:nowrap" in self.open[-1] if self.open else False, ""])
            self.open.append(style)

        def handle_endtag(self, tag):
            self.open.pop()

        def handle_data(self, data):
            if self.chips and self.open and "white-space:nowrap" in self.open[-1]:
                self.chips[-1][1] += data

    parser = Chips()
    parser.feed(status_key({s.name.lower(): 1_234 for s in Status}))
    assert [text.strip() for _, text in parser.chips] == [f"{STATUS_LABELS[s]} (1,234)" for s in Status]
    assert all(unbreakable for unbreakable, _ in parser.chips)


@pytest.mark.parametrize("runs", [1, 2])
def test_both_custody_curves_show_where_every_return_to_custody_was_a_recall(runs):
    """Most returns to custody are recalls, so 'any' lay on 'recalled' and the room saw one line of the two (the later
    drawn hid the other). 'any' is now a wide light band under the line of 'recalled': at every week both are seen,
    the line in its own colour and the band beside it, one scenario or two (where each run's band is under both lines)."""
    setup = small("strict_supervision")  # every return to custody in these 40 weeks is a recall for breach
    models = [TrainerModel(setup) for _ in range(runs)]
    for model in models:
        for _ in range(40):
            model.step()
    picture = CurvesPicture([(f"run {i}", model, "#0072b2") for i, model in enumerate(models)],
                            ("#222222", "#cc79a7") if runs == 1 else None)
    picture.update()
    recalled, ax, pixels = drawn(picture, "recalled")
    band = drawn(picture, "returned")[0]
    frame = curve_frame(models[0])
    flat = (frame["recalled"].diff() == 0) & (frame["recalled"].diff(-1) == 0)  # a rise is drawn as a slope
    shared = frame[flat & (frame["recalled"] > 0) & (frame["recalled"] == frame["returned"])]
    assert len(shared) >= 5
    beside_line = round((band.get_linewidth() + recalled.get_linewidth()) / 4 * picture.figure.dpi / 72)  # pixels
    for week, share in zip(shared["week"], shared["recalled"], strict=True):
        x, y = ax.transData.transform((week, 100 * share))
        row, column = pixels.shape[0] - int(round(y)), int(round(x))
        assert near(pixels[row, column], recalled.get_color()), f"week {week}: 'recalled' hidden"
        beside = [pixels[row + side * beside_line, column] for side in (-1, 1)]
        assert all(near(pixel, band.get_color()) for pixel in beside), f"week {week}: 'any' hidden"
    legend = dict(zip((t.get_text() for t in ax.get_legend().get_texts()), ax.get_legend().legend_handles, strict=True))
    assert legend["any"].get_linewidth() == band.get_linewidth() > 2 * legend["ever recalled"].get_linewidth()



@pytest.mark.parametrize("runs", [1, 2])
@pytest.mark.parametrize("shown", list(PANEL_GROUPS))
def test_every_panel_shown_is_tall_enough_to_read_a_trend_from_across_the_room(shown, runs):
    """Five panels stacked in the 456 px picture left each plot about 40 px high: on a projector neither a trend nor
    the gap between two scenarios could be read. Every panel the page shows must have a plot at least 110 px high
    (at 1280x720, where the picture is shown at its own size), one scenario or two."""
    from sim.dashboard.drawing import MIN_PANEL_PX, PIXEL_RATIO

    picture = CurvesPicture([(f"run {i}", TrainerModel(small()), "#0072b2") for i in range(runs)],
                            ("#0072b2", "#de8f05") if runs == 1 else None, PANEL_GROUPS[shown],
                            size=CHART_SIZE if runs == 1 else COMPARISON_CHART_SIZE)  # as each page draws them
    picture.update()
    heights = {ax.get_title(loc="left"): round(ax.get_window_extent().height / PIXEL_RATIO) for ax in picture.axes}
    assert min(heights.values()) >= MIN_PANEL_PX >= 110, f"plots too low to read from afar (px): {heights}"
    assert picture.figure.bbox.height == 456 * PIXEL_RATIO  # ... in a picture no taller than before: the page still fits
    renderer = picture.canvas.get_renderer()  # 'week', beside the week axis's numbers, in the picture and clear of them
    week, *numbers = (text.get_window_extent(renderer) for text in (picture.axes[-1].xaxis.label,
                                                                     *picture.axes[-1].get_xticklabels()))
    assert week.x0 >= -PIXEL_RATIO and not any(week.overlaps(number) for number in numbers)  # within a CSS pixel


def test_the_panels_shown_together_are_between_them_every_panel_once_the_three_outcomes_first():
    from sim.dashboard.curve_data import PANELS

    shown = [panel for panels in PANEL_GROUPS.values() for panel in panels]
    assert sorted(shown) == sorted(PANELS) and len(shown) == len(PANELS)
    assert [title.split()[0] for title, *_ in next(iter(PANEL_GROUPS.values()))] == ["Offences", "Custody", "Stigma"]


def test_the_terrorism_line_is_seen_on_any_offence_where_the_two_are_the_same():
    """In the extremist scenarios most new offences are terrorism offences, so 'terrorism' lay on 'any': black showed
    between its pink dashes and the room read one line of two colours. 'any' is a wide light band under it, as in the
    custody panel: where the two are equal the dashes are on the band and the band shows on both sides of them."""
    model = TrainerModel(small("baseline", weeks=156))
    while model.running:
        model.step()
    picture = scenario_curves(model)
    picture.update()
    terrorism, ax, pixels = drawn(picture, "terrorism_offence")
    band = drawn(picture, "reoffended")[0]
    frame = curve_frame(model)
    flat = (frame["reoffended"].diff() == 0) & (frame["reoffended"].diff(-1) == 0)
    shared = frame[flat & (frame["reoffended"] > 0) & (frame["reoffended"] == frame["terrorism_offence"])]
    assert len(shared) >= 5
    beside_line = round((band.get_linewidth() + terrorism.get_linewidth()) / 4 * picture.figure.dpi / 72)  # pixels
    dash = round(sum(terrorism._dash_pattern[1]) * picture.figure.dpi / 72)  # a dash and its gap, in pixels
    for week, share in zip(shared["week"], shared["reoffended"], strict=True):
        x, y = ax.transData.transform((week, 100 * share))
        row, column = pixels.shape[0] - int(round(y)), int(round(x))
        along = pixels[row, column - dash // 2: column + dash // 2 + 1]
        assert any(near(pixel, terrorism.get_color()) for pixel in along), f"week {week}: 'terrorism' hidden"
        beside = [pixels[row + side * beside_line, column] for side in (-1, 1)]
        assert all(near(pixel, band.get_color()) for pixel in beside), f"week {week}: 'any' hidden"


@pytest.mark.parametrize("column, preset, weeks", [("returned", "strict_supervision", 30), ("reoffended", "baseline", 156)])
def test_no_band_is_drawn_along_the_axis_before_anyone_is_counted_in_it(column, preset, weeks):
    """The custody band drew a grey strip at 0% from week 0, before anyone had returned to custody: it read as some."""
    from sim.dashboard.drawing import BANDS

    assert column in BANDS
    model = TrainerModel(small(preset, weeks=weeks))
    while model.running:
        model.step()
    frame = curve_frame(model)
    none_yet = frame.loc[frame[column] == 0, "week"]
    assert len(none_yet) >= 5 and (frame[column] > 0).any()
    picture = scenario_curves(model)
    picture.update()
    band, ax, pixels = drawn(picture, column)
    above_axis = round(band.get_linewidth() / 4 * picture.figure.dpi / 72)  # inside a band along 0, above its line
    for week in none_yet.iloc[1:-1]:  # not where it starts rising
        x, y = ax.transData.transform((week, 0))
        pixel = pixels[pixels.shape[0] - int(round(y)) - above_axis, int(round(x))]
        assert not near(pixel, band.get_color()), f"week {week}: a band at 0"


def test_a_preset_that_names_curves_not_on_screen_says_which_button_shows_them():
    """High stigma tells the room to watch jobs and housing as well as stigma and reoffending: with three panels at a
    time, the line under the title says which 'Curves shown' button brings up the others, and stops saying it once
    they are shown."""
    from sim.dashboard.curves import shown_panels, watch_html

    model = TrainerModel(small("high_stigma"))
    main, other = list(PANEL_GROUPS)
    shown_panels.set(main)
    try:
        assert f"(Some of it is under &lsquo;{other}&rsquo; on the left.)" in watch_html(model)
        shown_panels.set(other)
        assert f"(Some of it is under &lsquo;{main}&rsquo; on the left.)" in watch_html(model)
        shown_panels.set(main)
        assert "Some of it" not in watch_html(TrainerModel(small("light_supervision")))
    finally:
        shown_panels.set(main)


def test_a_lever_moved_is_marked_without_its_number_first_where_it_read_as_a_mark_number():
    """'1 week 21: Supervision strictness: 0.90; 1. NGOs help shape prison policy: 0.90' read as two marks 1."""
    for spec in SLIDERS:
        mark = spec.mark(0.9)
        assert not re.match(r"\d", mark), mark
        assert mark.endswith(": 0.90")
    lever = next(spec for spec in SLIDERS if spec.key == "cooperation.policy_input")
    assert lever.mark(0.9) == "NGOs help shape prison policy (lever 1): 0.90"


def test_before_anyone_is_out_the_headline_says_so_instead_of_a_dash_for_felt_stigma():
    """At week 0 the headline read 'felt stigma - (0 accepting, 1 rejecting)': a minus, or a gap, to the room."""
    pytest.importorskip("solara")
    from types import SimpleNamespace

    from sim.dashboard.curves import headline

    row = {"week": 0, "released": 0, "reoffended": 0.0, "recalled": 0.0, "ngo_waitlist": 0.0,
           "community_stigma": 0.49, "experienced_stigma": float("nan")}
    text = re.sub("<[^>]+>", "", headline(SimpleNamespace(history=[row], week=0, running=True, still_running=lambda: True,
                                               stigma_after_shock=None)))
    assert "felt stigma -" not in text and "felt stigma: nobody out yet" in text
    assert "community stigma 0.49 (0 accepting, 1 rejecting)" in text
    row["experienced_stigma"] = 0.61
    assert "felt stigma 0.61 (0 accepting, 1 rejecting)" in re.sub(
        "<[^>]+>", "", headline(SimpleNamespace(history=[row], week=0, running=True, still_running=lambda: True,
                                               stigma_after_shock=None)))


def test_at_week_0_the_what_if_table_gives_every_number_there_is_and_says_why_felt_stigma_has_none():
    """At week 0 the what-if table's felt stigma read '-', a number missing (or a minus) to the room, where the
    headline says 'nobody out yet'. The week-0 numbers are shown; felt stigma, of no one yet, says so in words."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import sides_table

    pair = ComparisonModel(Pair(small("general_offenders", weeks=4), small("baseline", weeks=4), seed=3))
    assert pair.week == 0
    _, _, *rows = sides_table(pair, ["A", "B"], ["#0173b2", "#de8f05"]).split("<tr>")
    for row, run in zip(rows, (pair.left, pair.right), strict=True):
        cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
        assert cells == ["0.0%", "0.0%", "0", "0", f"{run.history[0]['community_stigma']:.2f}", "nobody out yet"]


def test_the_stigma_scale_is_never_split_over_two_lines():
    """At the end of a run the headline took two lines at 1920x1080 and broke inside the scale, '(0 accepting, 1' then
    'rejecting)': a 1 at the end of a line of counts, read as one person. The scale is kept on one line, in the
    headline and over the comparison's table."""
    pytest.importorskip("solara")
    from types import SimpleNamespace

    from sim.dashboard.curves import comparison_week, headline

    row = {"week": 182, "released": 400, "reoffended": 0.03, "recalled": 0.13, "ngo_waitlist": 115.0,
           "community_stigma": 0.5, "experienced_stigma": 0.63}
    nowrap = "<span class='sim-scale' style='white-space:nowrap'>0 accepting, 1 rejecting</span>"
    assert f"({nowrap})" in headline(SimpleNamespace(history=[row], week=182, running=False, still_running=lambda: False,
                                                      stigma_after_shock=None))
    row["experienced_stigma"] = float("nan")
    assert f"({nowrap})" in headline(SimpleNamespace(history=[row], week=0, running=True, still_running=lambda: True,
                                               stigma_after_shock=None))
    pair = SimpleNamespace(week=0, running=True, still_running=lambda: True, pair=SimpleNamespace(seed=3))
    assert comparison_week(pair).endswith(f"stigma {nowrap}")


def test_the_cooperation_levers_title_keeps_each_number_of_its_scale_with_its_word():
    """The title took three lines in the sidebar at 1920x1080 and broke as '(10 levers, 0 none, 1' then 'full)'."""
    pytest.importorskip("solara")
    from sim.dashboard.controls import COOPERATION_TITLE

    assert COOPERATION_TITLE.startswith("Government - civil society cooperation")  # as the browser test finds it
    assert "(10\u00a0levers, 0\u00a0none, 1\u00a0full)" in COOPERATION_TITLE


def test_a_general_cohort_s_curves_draw_no_terrorism_curve_which_is_0_by_construction():
    """General offenders hold no violent-extremist people, so their terrorism curve is 0 by construction: drawn, it
    read as a finding, where every table and report leaves it out (``sim.curves.curves_of``). Alone in its panel, any
    offence is a line, not the light band that lies beneath the terrorism line; a comparison with a cohort that holds
    extremists draws both sides' terrorism curves, as the reports read them."""
    general, extremist = TrainerModel(small("general_offenders")), TrainerModel(small("baseline"))
    assert extremist.settings.population.violent_extremist_share > 0 == general.settings.population.violent_extremist_share

    def drawn(runs: list[TrainerModel]) -> dict[str, set[float]]:
        picture = CurvesPicture([(f"run {i}", run, "#0173b2") for i, run in enumerate(runs)])
        picture.update()
        widths: dict[str, set[float]] = {}
        for _, line, column, _, _ in picture.lines:
            widths.setdefault(column, set()).add(line.get_linewidth())
        return widths

    for runs in ([general], [general, TrainerModel(small("general_offenders", **{"ngo.capacity": 2.0}))]):
        lines = drawn(runs)
        assert "terrorism_offence" not in lines and lines["reoffended"] == {2.4}, lines
    for runs in ([extremist], [general, extremist]):
        lines = drawn(runs)
        assert lines["terrorism_offence"] == {2.4} and lines["reoffended"] == {8.0}, lines


def test_a_label_shared_by_marks_of_both_scenarios_is_edged_in_neither_s_colour():
    """On the what-if page, mark 3 (a publicised offence in High community stigma, orange) and mark 4 (tougher licence
    conditions in Attack in the media, blue), two weeks apart, shared the label "3-4", edged in orange: the room read
    both as High community stigma's. A label whose marks are of one scenario keeps its colour."""
    from matplotlib.colors import same_color

    left, right = TrainerModel(small("baseline")), TrainerModel(small("baseline"))
    for _ in range(3):
        left.step()
        right.step()
    left.media_shock(0.3, "media shock (trainer)")
    left.step()
    right.media_shock(0.3, "media shock (trainer)")  # a week after the left's: too close to read apart
    for _ in range(3):
        left.step()
        right.step()
    left.media_shock(0.3, "media shock (trainer)")
    left.step()
    left.media_shock(0.3, "media shock (trainer)")  # two of the left's, a week apart
    picture = CurvesPicture([("A", left, "#0173b2"), ("B", right, "#de8f05")], size=COMPARISON_CHART_SIZE)
    picture.update()
    edges = {text.get_text(): text.get_bbox_patch().get_edgecolor() for text in picture.axes[0].texts}
    assert set(edges) == {"1-2", "3-4"}, edges
    assert not any(same_color(edges["1-2"], colour) for colour in ("#0173b2", "#de8f05")), edges
    assert same_color(edges["3-4"], "#0173b2"), edges


# ---- a what-if of two populations (General offenders, 1,000 released, against No NGOs, 400) and an empty waitlist


def two_populations() -> ComparisonModel:
    """General offenders against No NGOs, small: 90 released against 60, as 1,000 against 400 on the page."""
    return ComparisonModel(Pair(small("general_offenders", **{"population.released": 90}), small("ngo_absent"), seed=3))


def test_a_what_if_of_two_populations_shows_ngo_places_as_shares_of_each_side_s_released():
    """No NGOs' waitlist (325 of its 400 released) ran on General offenders' axis of people, to 1,000: at most 40% of
    the panel. The offences, custody and work panels were already shares of each side's own released people; the NGO
    places, counts, were not. Where the two sides release different numbers, they are shares too, so each reads on one
    axis of 0-100%; of one population they stay counts of people, as on the dashboard."""
    pair = two_populations()
    for _ in range(30):
        pair.step()
    runs = [("A", pair.left, "#0173b2"), ("B", pair.right, "#6e440e")]
    picture = CurvesPicture(runs, panels=PANEL_GROUPS["Work, home, NGO"], size=COMPARISON_CHART_SIZE)
    picture.update()
    ngo = picture.axes[1]
    assert ngo.get_title(loc="left") == "NGO places (% of released)" and ngo.get_ylim()[1] <= 100
    drawn = {(id(model), column): line.get_ydata()[-1] for model, line, column, _, panel in picture.lines if panel == 1}
    for model in (pair.left, pair.right):
        row = model.history[-1]
        assert drawn[id(model), "ngo_waitlist_share"] == pytest.approx(100 * row["ngo_waitlist"] / row["released"])
    same = ComparisonModel(Pair(small("baseline"), small("ngo_absent"), seed=3))
    counts = CurvesPicture([("A", same.left, "#666666"), ("B", same.right, "#6e440e")],
                           panels=PANEL_GROUPS["Work, home, NGO"], size=COMPARISON_CHART_SIZE)
    assert counts.axes[1].get_title(loc="left") == "NGO places (people)"


def test_a_what_if_of_two_populations_says_under_the_curves_how_many_each_releases():
    """Only the table above the curves said General offenders release 1,000 and No NGOs 400, and the room read the
    two as one population's: a note under the curves says how many each releases, and none where they are alike."""
    pytest.importorskip("solara")
    from sim.dashboard.curves import populations_note

    note = re.sub("<[^>]+>", "", populations_note(two_populations(), ["General offenders", "No NGOs"]))
    assert note == "General offenders: 90 released; No NGOs: 60. Not the same people."
    assert populations_note(ComparisonModel(Pair(small("baseline"), small("ngo_absent"), seed=3)), ["A", "B"]) == ""
    big = ComparisonModel(Pair(small("general_offenders", **{"population.released": 1000, "population.community": 400}),
                               small("ngo_absent", **{"population.released": 400}), seed=3))
    assert "General offenders: 1,000 released; No NGOs: 400." in re.sub(
        "<[^>]+>", "", populations_note(big, ["General offenders", "No NGOs"]))


def test_where_no_ngo_offers_places_the_waitlist_says_they_were_referred_and_no_place_can_take_them():
    """No NGOs showed about 325 people 'on the NGO waitlist', and the room asked 'waiting for what?': they were
    referred (by their officer, at the gate or by themselves) and accepted an NGO that offers no places, so they wait
    until they are back in custody. The headline, the what-if table and the NGO panel's key say so in words."""
    pytest.importorskip("solara")
    from sim.dashboard.curve_data import NGO, NGO_SHARES
    from sim.dashboard.curves import headline, shown_numbers

    absent, usual = TrainerModel(small("ngo_absent")), TrainerModel(small("baseline"))
    for _ in range(30):
        absent.step()
        usual.step()
    waiting = absent.history[-1]["ngo_waitlist"]
    assert waiting > 0 and absent.history[-1]["ngo_places"] == 0
    text = re.sub("<[^>]+>", "", headline(absent))
    assert f"; {waiting:,.0f} referred, no NGO place to take them;" in text and "waitlist" not in text
    assert shown_numbers(absent)["NGO waitlist"] == f"{waiting:,.0f} (no NGO places)"
    assert usual.history[-1]["ngo_places"] > 0
    assert f"{usual.history[-1]['ngo_waitlist']:,.0f} on the NGO waitlist" in headline(usual)
    assert shown_numbers(usual)["NGO waitlist"] == f"{usual.history[-1]['ngo_waitlist']:,.0f}"
    for panel in (NGO, NGO_SHARES):
        assert panel[1][0] == (panel[1][0][0], "no place")  # the key of the waitlist's curve, not 'waiting'
    # the key beside the panel's title, clear of it, on the dashboard and on the what-if page ('referred, no place'
    # ran into 'NGO places (people)' on the dashboard's 540 px)
    pair = two_populations()
    for picture in (CurvesPicture([("x", absent, "#0072b2")], panels=PANEL_GROUPS["Work, home, NGO"]),
                    CurvesPicture([("A", pair.left, "#0173b2"), ("B", pair.right, "#6e440e")],
                                  panels=PANEL_GROUPS["Work, home, NGO"], size=COMPARISON_CHART_SIZE)):
        picture.update()
        renderer = picture.canvas.get_renderer()
        ngo = picture.axes[1]
        assert "no place" in [text.get_text() for text in ngo.get_legend().get_texts()]
        assert ngo._left_title.get_window_extent(renderer).x1 < ngo.get_legend().get_window_extent(renderer).x0


def test_sim_dashboard_gives_its_address_once_the_model_is_prepared_and_the_server_answers(monkeypatch, capsys):
    """The kernels are ready before the server starts (the room's first Step must not wait for them), and the address
    is given once the server answers (``serve``'s ``ready``): given before, it was refused for seconds."""
    from sim.cli import main
    from sim.commands import dashboard
    from sim.dashboard import session

    done = []

    def serve(host, port, ready):
        done.append(("serve", capsys.readouterr().out))
        ready()
        done.append(("ready", capsys.readouterr().out))
        return 0

    monkeypatch.setattr(session, "warm_up", lambda: done.append(("warm_up", capsys.readouterr().out)))
    monkeypatch.setattr(dashboard, "serve", serve)
    assert main(["dashboard", "--port", "8799"]) == 0
    assert [step for step, _ in done] == ["warm_up", "serve", "ready"]
    assert "preparing the model" in done[0][1] and "dashboard at" not in done[0][1] + done[1][1]
    assert "dashboard at http://127.0.0.1:8799/" in done[2][1]


SLOW_SERVER = """
import http.server, sys, threading, time
time.sleep(1.5)  # as a server starting
server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler)
threading.Timer(1.5, server.shutdown).start()
server.serve_forever()
"""


@pytest.mark.parametrize("listens", [True, False])
def test_the_server_is_said_ready_only_once_it_answers(monkeypatch, listens):
    """``serve`` calls ``ready`` once its server answers, and never for a server that exits without answering."""
    import socket
    import sys

    from sim.dashboard import server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    child = [sys.executable, "-c", SLOW_SERVER if listens else "import time; time.sleep(1.5)", str(port)]
    monkeypatch.setattr(server, "command", lambda host, port: child)
    monkeypatch.setattr(server, "check_installed", lambda: None)
    answered = []
    assert server.serve("127.0.0.1", port, ready=lambda: answered.append(server.answers(f"http://127.0.0.1:{port}/"))) == 0
    assert answered == ([True] if listens else [])


KERNELS_MISSED = """
import sys
from numba.core.registry import CPUDispatcher
import sim, sim.compiled
from sim.dashboard.session import Setup, TrainerModel
for preset in ("baseline", "general_offenders"):  # the page's first scenario, and the other population
    model = TrainerModel(Setup(preset))
    for week in range(model.settings.weeks):
        model.step()
        if week == 40:
            model.media_shock(0.3)
            model.change_policy({"supervision.strictness": 0.9})
kernels = {f"{m.__name__}.{n}": k for m in list(sys.modules.values()) if (m.__name__ or "").startswith("sim")
           for n, k in vars(m).items() if isinstance(k, CPUDispatcher)}
print(sorted(name for name, k in kernels.items() if sum(k.stats.cache_misses.values())))
"""


def test_the_warm_up_compiles_every_kernel_a_dashboard_run_uses(tmp_path):
    """After ``warm_up`` on an empty kernel cache, a dashboard run of either population, with a media shock and a
    slider move, compiles nothing: every kernel it calls is read from the cache. About 30 s: it compiles them all."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", "from sim.dashboard.session import warm_up; warm_up()"], env=env, check=True)
    missed = subprocess.run([sys.executable, "-c", KERNELS_MISSED], env=env, check=True, capture_output=True, text=True)
    assert missed.stdout.strip() == "[]"
