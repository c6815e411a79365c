"""`sim patterns --quick`: every row has a kind, a two-sided band and pass/fail; docs/ is left alone unless asked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import patterns
from sim.cli import main

INDEPENDENT_PATTERNS = {"isp_new_arrests", "isp_incarceration", "visits_reconviction", "visits_revocation",
                        "cosa_participants"}
# tuned to: the BJS curves and hazard shape, the VE terrorism rate, the ISP violation contrast, contact-prejudice
CALIBRATION_PATTERNS = {"bjs_arrest", "bjs_return_to_prison", "bjs_return_hazard_shape", "ve_terrorism_reoffence",
                        "isp_technical_violations", "contact_prejudice"}


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("patterns") / "quick"
    before = patterns.DOCS.stat().st_mtime_ns
    assert main(["patterns", "--quick", "--workers", "1", "--out", str(out)]) == 0
    assert patterns.DOCS.stat().st_mtime_ns == before  # docs/VALIDATION.md is written only with --write-docs
    assert {"patterns.csv", "patterns.md", "validation_bjs.png", "validation_media.png", "manifest.json"} <= {
        p.name for p in out.iterdir()}
    return out, pd.read_csv(out / "patterns.csv")


def test_every_row_has_a_kind_a_band_and_an_interval(quick):
    _, table = quick
    assert set(table["kind"]) == {"independent test", "calibration target", "input check"}
    assert set(table.loc[table["kind"] == "independent test", "pattern"]) == INDEPENDENT_PATTERNS
    assert set(table.loc[table["kind"] == "calibration target", "pattern"]) == CALIBRATION_PATTERNS
    assert table["measured"].notna().all(), table[table["measured"].isna()]
    assert (table["low"] <= table["measured"] + 1e-9).all() and (table["measured"] <= table["high"] + 1e-9).all()
    assert table[["band", "contrast", "follow_up", "source"]].notna().all().all()


def test_a_row_passes_exactly_when_its_estimate_is_inside_the_band(quick):
    _, table = quick
    banded = table[table["pattern"] != "media_shock"]
    inside = (banded["band_low"] <= banded["measured"]) & (banded["measured"] <= banded["band_high"])
    assert (banded["passed"] == inside).all()
    isp = table[table["pattern"] == "isp_new_arrests"].iloc[0]
    assert (isp["band_low"], isp["band_high"]) == (0.9, 1.3)  # two-sided, from the published table


def test_headline_counts_only_independent_tests(quick):
    out, table = quick
    independent = table[table["kind"] == "independent test"]
    text = (out / "patterns.md").read_text()
    assert text.startswith(f"{int(independent['passed'].sum())} of {len(independent)} independent tests pass")
    assert ("**FAIL**" in text) == (not table["passed"].all())
    # a quick run says it is one: a calibration target failing at its size is not the model's validation failing
    assert "A quick run: 5 replicates per arm, on smaller worlds (1,500 community members and 300 released" in text
    assert "the validation is the full run" in text


@pytest.mark.parametrize("pattern", ["record_at_hiring", "media_shock"])
def test_input_checks_come_back_out(quick, pattern):
    _, table = quick
    rows = table[table["pattern"] == pattern]
    assert not rows.empty, f"no {pattern} row: the check was not run"  # .all() of no rows is True
    assert (rows["kind"] == "input check").all() and rows["passed"].all(), rows.to_string()


def test_published_effects_ship_with_the_package():
    effects = patterns.published_effects()
    assert effects["contact_prejudice"].band_low == -0.30 and effects["contact_prejudice"].band_high == -0.12
    assert effects["visits_revocation"].follow_up == "30-78"
    from sim.data import BJS_2005, PUBLISHED_EFFECTS, shipped

    assert shipped(BJS_2005).is_file() and shipped(PUBLISHED_EFFECTS).is_file()


def test_the_bjs_tolerances_are_read_from_the_published_effects():
    """The BJS rows' bands were literals in the code, the only rows whose pass/fail thresholds were not in the
    data file; moved there, they are the calibration's own numbers: 1.5 and 3 points between the cumulative curves
    (months 1-60), 25% between the return hazards (months 1-48)."""
    from sim.calibration.target import BJS_CURVES

    effects = patterns.published_effects()
    bands = {pattern: (effects[pattern].band_low, effects[pattern].band_high, patterns.month_span(effects[pattern]),
                       effects[pattern].unit) for pattern in ("bjs_arrest", "bjs_return_to_prison", patterns.HAZARD_SHAPE)}
    assert bands == {"bjs_arrest": (0.0, 1.5, (1, 60), "points"), "bjs_return_to_prison": (0.0, 3.0, (1, 60), "points"),
                     "bjs_return_hazard_shape": (0.0, 25.0, (1, 48), "percent")}
    assert BJS_CURVES == {"arrest": "reoffended", "return_to_prison": "returned"}
    assert " --match arrest=reoffended --match return_to_prison=returned " in patterns.CALIBRATION_COMMAND


def test_the_sections_of_validation_md_a_run_does_not_change_are_what_the_code_writes():
    """docs/VALIDATION.md is written by a full run; the sections that do not depend on the run (what the rows are, how
    each is measured, the figures, the calibration) must read as the code now writes them, bands included."""
    text = patterns.DOCS.read_text()
    for section in (patterns.row_kinds_text, patterns.measures_text, patterns.figures_text, patterns.calibration_text):
        assert section() in text, section.__name__


def test_monthly_hazard_is_a_centred_moving_average():
    percent = 100 * (1 - np.exp(-0.1 * np.arange(6)))  # constant hazard 1 - e^-0.1 each month
    assert patterns.monthly_hazard(percent) == pytest.approx(np.full(5, 1 - np.exp(-0.1)))


@pytest.mark.parametrize(("given", "said"), [
    (["--quick"], "--max-runs: 9 arms x 5 replicates (--quick's) = 45 model runs, above the limit of 10"),
    ([], "--max-runs: 9 arms x 20 replicates (a full run's) = 180 model runs, above the limit of 10"),
    (["--quick", "--replicates", "3"], "--replicates: 9 arms x 3 replicates = 27 model runs, above the limit of 10")])
def test_max_runs_refusal_names_an_option_the_user_gave(tmp_path, capsys, given, said):
    """`--quick --max-runs 10` was refused as '--replicates: 9 arms x 5 replicates ...', an option never given."""
    assert main(["patterns", *given, "--max-runs", "10", "--out", str(tmp_path / "p")]) == 2
    assert capsys.readouterr().err.startswith(f"error: {said} (expected --max-runs of at least 18 ")
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize(("limit", "expected"), [
    ("10", "--max-runs of at least 18 (the smallest job, --replicates 2, is 18 runs, so no number of replicates fits "
           "within 10), or --max-runs 180 to lift the limit"),
    ("18", "--replicates 2 (18 runs), or --max-runs 180 to lift the limit"),
    ("44", "--replicates 2 to 4 (at most 36 runs), or --max-runs 180 to lift the limit")])
def test_max_runs_refusal_offers_only_a_job_that_fits(tmp_path, capsys, limit, expected):
    """--max-runs 10 was told 'expected fewer runs' when the smallest job (2 replicates of 9 arms) is 18 runs."""
    assert main(["patterns", "--max-runs", limit, "--out", str(tmp_path / "p")]) == 2
    (said,) = capsys.readouterr().err.splitlines()
    assert said.endswith(f"above the limit of {limit} (expected {expected})")
    assert not (tmp_path / "p").exists()


def test_write_docs_needs_a_full_run(tmp_path, capsys):
    assert main(["patterns", "--quick", "--write-docs", "--out", str(tmp_path / "p")]) == 2
    assert "--write-docs" in capsys.readouterr().err and not (tmp_path / "p").exists()


def test_the_arms_of_a_pattern_differ_only_in_what_it_contrasts():
    from sim.levers import Policy

    settings = patterns.arm_settings(patterns.QUICK)
    # no family visits at all in "none": the policy-input lever, which restores missed visits, is off
    assert Policy.from_scenario(settings["no_visits"]).visits == 0
    assert Policy.from_scenario(settings["all_visited"]).visits == 1
    # the attack arm keeps attack_backlash's attack and drops its later policy change
    assert [event.kind for event in settings["attack"].events] == ["media_shock"]
    assert settings["quiet"].events == []


def test_every_banded_row_is_judged_by_its_published_band(quick):
    """The band of every row with a published effect is the data file's, so no row's band can be swapped or ignored."""
    _, table = quick
    effects = patterns.published_effects()
    banded = table[table["pattern"].map(lambda p: p in effects and effects[p].band_low == effects[p].band_low)]
    assert set(banded["pattern"]) == set(table["pattern"]) - {"media_shock"}  # no published size: no band
    for row in banded.itertuples():
        effect = effects[row.pattern]
        assert (row.band_low, row.band_high, row.band) == (effect.band_low, effect.band_high,
                                                           f"{effect.band_low:g} to {effect.band_high:g}"), row.pattern
        if not row.pattern.startswith("bjs_"):  # the BJS rows' bands are tolerances on a gap, not around an estimate
            assert effect.band_low < effect.published < effect.band_high, row.pattern  # two-sided, around the estimate


@pytest.mark.parametrize(("value", "passes"), [(0.89, False), (0.9, True), (1.12, True), (1.3, True), (1.31, False)])
def test_a_banded_row_fails_on_either_side_of_its_band(value, passes):
    row = patterns.banded(patterns.INDEPENDENT, patterns.published_effects()["isp_new_arrests"], "m", "c", "12 months",
                          (value, value - 0.01, value + 0.01))
    assert row.passed is passes


@pytest.mark.parametrize(("estimate", "said"), [((1.12, 1.0, 1.2), "pass"), ((1.25, 1.2, 1.35), patterns.PAST_THE_BAND),
                                               ((0.95, 0.85, 1.05), patterns.PAST_THE_BAND), ((1.4, 1.35, 1.45), "**FAIL**"),
                                               ((1.1, float("nan"), float("nan")), "pass")])
def test_a_pass_whose_interval_reaches_past_the_band_says_so(estimate, said):
    """The estimate decides, but 'pass' beside '2.88 (1.04 to 4.79)' and a band of 0 to 3 was read as an interval that
    fits: such a pass says its interval reaches past the band, in the table VALIDATION.md and patterns.md show."""
    row = patterns.banded(patterns.INDEPENDENT, patterns.published_effects()["isp_new_arrests"], "m", "c", "12 months",
                          estimate)
    assert patterns.result_text(row) == said
    assert f"| {said} |" in patterns.markdown_table(pd.DataFrame([row]))


def _observed(reoffended_at_156=0.0, people=None, stigma=()):
    weeks = np.arange(157)
    curves = pd.DataFrame({"weeks_since_release": weeks, "reoffended": reoffended_at_156 * weeks / 156})
    return patterns.Observed(curves, np.asarray(stigma, dtype=float), pd.DataFrame() if people is None else people, 0,
                             0, float("nan"))


def test_a_row_is_read_at_its_follow_up_or_not_at_all():
    curves = _observed(0.5).curves
    assert patterns.at(curves, "reoffended", 156) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="week 260"):
        patterns.at(curves, "reoffended", 260)  # not silently the last week a short run reaches


def _people(*groups):
    """A released cohort followed 261 weeks: (risk quartile, weeks since release at first enrolment, at first new
    offence, how many such people), -1 for never."""
    rows = [(tier, enrolled, offence) for tier, enrolled, offence, count in groups for _ in range(count)]
    tier, enrolled, offence = zip(*rows, strict=True)
    return pd.DataFrame({"risk_tier": tier, "enrolled": enrolled, "first_offence": offence, "followup": 261})


# Q1: 4 participants, 1 offends (0.25) against 8 non-participants, 4 offend (0.5; one more offends after the follow-up);
# Q4: 8 participants, 4 offend (0.5) against 4 non-participants, all offend (1.0). Within each quartile the risk ratio
# is 0.5, and so is the standardised ratio; the crude one, 5/12 against 8/12, is 0.625.
CIRCLES = _people(("Q1", 1, 30, 1), ("Q1", 3, -1, 3), ("Q1", -1, 40, 4), ("Q1", -1, 200, 1), ("Q1", -1, -1, 3),
                  ("Q4", 2, 20, 4), ("Q4", 4, -1, 4), ("Q4", -1, 10, 2), ("Q4", 160, 60, 2),
                  # in neither group: offended before the placement, placed too late, an offence in the first weeks
                  ("Q4", 3, 2, 5), ("Q1", 30, 50, 5), ("Q1", -1, 2, 5), ("Q4", 90, -1, 5))


def test_circles_of_support_compare_participants_with_matched_non_participants():
    """The study compared people placed in a circle at release with matched non-participants; the row read the whole
    cohort's change with ngo.capacity 1 against 0 divided by the share enrolled, which is not that contrast."""
    assert patterns.participants_vs_matched(CIRCLES) == pytest.approx(0.5)
    run = _observed(people=CIRCLES)
    [row] = patterns.mentoring({"general": [run, run]}, {"cosa_participants": patterns.published_effects()[
        "cosa_participants"]})
    assert row.measured == pytest.approx(0.5) and row.passed  # inside the published band, 0.15 to 0.6
    assert "matched non-participants" in row.measure and "general_offenders at its own NGO capacity" in row.contrast
    assert row.follow_up == "35 months (152 weeks) after release" and patterns.CIRCLES_FOLLOW_UP == 152


def test_circles_of_support_unmatched_read_the_crude_ratio_and_short_follow_up_is_an_error():
    """With one risk quartile the standardised ratio is the crude one; a cohort not followed 152 weeks is refused."""
    one = CIRCLES.assign(risk_tier="Q1")
    assert patterns.participants_vs_matched(one) == pytest.approx((5 / 12) / (8 / 12))
    with pytest.raises(ValueError, match="152 weeks after release"):
        patterns.participants_vs_matched(CIRCLES.assign(followup=150))


def test_media_shock_rows_fail_when_nothing_happens():
    flat = np.full(120, 0.3)
    never_halves = np.concatenate([flat[:52], np.full(68, 0.5)])
    runs = {"quiet": [_observed(stigma=flat)] * 3, "attack": [_observed(stigma=flat)] * 3}
    rise, _ = patterns.media_shock(runs, {})
    assert not rise.passed  # no jump
    runs["attack"] = [_observed(stigma=never_halves)] * 3
    rise, halving = patterns.media_shock(runs, {})
    assert rise.passed and not halving.passed  # a jump that never decays


def test_validation_figures_say_what_their_marks_are_and_show_both_media_arms(tmp_path, monkeypatch):
    """validation_media.png: the two arms are alike until the attack, so one line hid the other; the attack's is
    dashed and labelled so. validation_bjs.png: the dotted line at month 48 is named in the legend."""
    from sim import figures

    saved = []
    monkeypatch.setattr(figures, "save", lambda fig, path, **kwargs: saved.append(fig) or path)
    weeks = np.arange(0, 261)
    curves = pd.DataFrame({"weeks_since_release": weeks, "reoffended": weeks / 400, "returned": weeks / 600})
    run = patterns.Observed(curves, np.full(105, 0.5), pd.DataFrame(), 0, 1, 0.0)
    patterns.draw_figures({"general": [run, run], "quiet": [run, run], "attack": [run, run]}, tmp_path)
    bjs, media = saved
    hazard = bjs.axes[2]
    assert "compared up to month 48" in [t.get_text() for t in hazard.get_legend().get_texts()]
    (ax,) = media.axes
    lines = {line.get_label(): line for line in ax.lines}
    assert lines["attack_backlash (alike until week 52)"].get_linestyle() == "--"
    assert lines["baseline"].get_linestyle() == "-" and "attack reported (week 52)" in lines


TINY = patterns.Size(2, {"population.released": 60, "population.community": 200},
                     {"population.released": 60, "population.community": 200})


def test_a_set_reaches_every_arm_and_moves_a_row():
    """--set changes every arm's scenario, and so what the rows measure: contact's effect on stigma sets the
    contact-prejudice correlation."""
    from sim.streams import replicate_seed

    changed = patterns.arm_settings(TINY, {"stigma.contact_effect": "0"})
    assert {arm: s.stigma.contact_effect for arm, s in changed.items()} == dict.fromkeys(patterns.ARMS, 0.0)

    def correlation(settings) -> float:
        seeds = [replicate_seed(patterns.ROOT_SEED, r) for r in range(TINY.replicates)]
        runs = {"extremist": [patterns.observe(settings["extremist"], seed) for seed in seeds]}
        return patterns.contact(runs, patterns.published_effects())[0].measured

    assert correlation(patterns.arm_settings(TINY)) < correlation(changed) - 0.05


@pytest.mark.parametrize(("given", "said"), [
    (["--set", "prison.visits=0.5"], "--set: prison.visits: is set by the design of the no_visits and all_visited arms: "
                                     "a --set would replace what the patterns compare there"),
    (["--set", "weeks=300"], "--set: weeks: is set by the design of the extremist_five_years arm"),
    (["--set", "seed=3"], "--set: seed: is not read by the patterns"),
    (["--quick", "--set", "population.community=900"], "--set: population.community: is set by --quick in the arms"),
    (["--set", "ngo.capacityy=1"], "--set: ngo.capacityy: unknown key 'capacityy' (did you mean 'capacity'?)"),
    (["--set", "ngo_effects.accountability=2"], "--set: ngo_effects.accountability: must be between 0 and 1 (got 2)"),
    (["--write-docs", "--set", "ngo.capacity=0.5"], "--write-docs: cannot be combined with --set (the docs record the "
                                                    "shipped model)"),
])
def test_a_set_the_patterns_cannot_take_is_refused_before_any_run(tmp_path, capsys, given, said):
    """A key an arm's design sets would erase (or, applied first, silently lose to) the contrast it is there for."""
    assert main(["patterns", *given, "--out", str(tmp_path / "p")]) == 2
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert line.startswith(f"error: {said}") and captured.out == ""
    assert not (tmp_path / "p").exists()


def test_a_table_with_set_says_it_is_not_the_shipped_model(tmp_path, capsys, monkeypatch):
    import json

    monkeypatch.setattr(patterns, "QUICK", TINY)
    out = tmp_path / "p"
    assert main(["patterns", "--quick", "--workers", "1", "--set", "stigma.contact_effect=0", "--out", str(out)]) == 0
    said = "With --set stigma.contact_effect=0: not the shipped model (its validation is docs/VALIDATION.md"
    assert said in capsys.readouterr().out.splitlines()[-2]  # the headline
    assert (out / "patterns.md").read_text().startswith(said)
    manifest = json.loads((out / "manifest.json").read_text())
    # the value as read (sim sweep's manifest records it so), not the text typed; said as typed: 0, not 0.0
    assert manifest["overrides"] == {"stigma.contact_effect": 0.0} and manifest["model"].startswith(said)
    assert type(manifest["overrides"]["stigma.contact_effect"]) is float


def test_a_table_without_set_is_the_shipped_model(quick):
    import json

    out, _ = quick
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["overrides"] == {} and manifest["model"] == "the shipped model"
    assert "not the shipped model" not in (out / "patterns.md").read_text()


def same_observed(one: patterns.Observed, other: patterns.Observed) -> bool:
    return (one.curves.equals(other.curves) and np.array_equal(one.stigma, other.stigma, equal_nan=True)
            and one.people.equals(other.people) and (one.job_finds, one.job_search_weeks) == (other.job_finds,
                                                                                           other.job_search_weeks)
            and np.array_equal([one.contact_stigma_r], [other.contact_stigma_r], equal_nan=True))


@pytest.mark.cluster
def test_the_arms_give_the_same_runs_in_this_process_on_two_workers_and_on_a_scheduler():
    """run_arms had its own Dask loop beside the engine's; it now goes through ``map_calls`` like every other command,
    and every arm's replicate is the same run wherever it ran and in whatever order the runs came back."""
    from distributed import LocalCluster

    settings = patterns.arm_settings(TINY)
    here = patterns.run_arms(TINY, settings, 1)
    done: list[tuple[int, int]] = []
    local = patterns.run_arms(TINY, settings, 2, progress=lambda n, total: done.append((n, total)))
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster:
        remote = patterns.run_arms(TINY, settings, None, cluster.scheduler_address)
    total = len(patterns.ARMS) * TINY.replicates
    assert done == [(n, total) for n in range(1, total + 1)]
    for runs in (local, remote):
        assert runs.keys() == here.keys()
        for arm, replicates in here.items():
            assert all(same_observed(a, b) for a, b in zip(replicates, runs[arm], strict=True)), arm


def test_headline_names_a_pass_on_the_other_side_of_no_effect_from_the_study():
    """'4 of 5 independent tests pass' counted intensive supervision's new arrests, the model's ratio (0.978) below 1
    and the study's (1.12) above it, inside a band (0.9 to 1.3) that holds no effect: the headline names it."""
    table = pd.DataFrame({"kind": ["independent test"] * 3, "pattern": ["isp_new_arrests", "visits", "cosa"],
                          "measured": [0.978, 0.81, 0.8], "published": ["1.12 (ratio)", "0.75 (hazard ratio)",
                                                                         "0.29 (risk ratio)"],
                          "passed": [True, True, False]})
    assert patterns.headline(table) == ("2 of 3 independent tests pass (1 only within a band that includes no effect, "
                                        "on the other side of it from the study's estimate: isp_new_arrests; failed: "
                                        "cosa)")
    assert patterns.headline(table.iloc[1:]) == "1 of 2 independent tests pass (failed: cosa)"  # as before
