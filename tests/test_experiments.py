"""Experiment files: the shipped ones load, designs are reproducible, bad files fail clearly with nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.cli import main
from sim.errors import InputError
from sim.experiments import load_experiment
from sim.streams import replicate_seed

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny_grid.yaml"

GOOD = """\
name: t
scenario: general_offenders
seed: 1
replicates: 2
overrides: {population.community: 300}
design:
  kind: grid
  factors:
    stigma.baseline: [0.2, 0.8]
"""


def write(tmp_path: Path, text: str, name: str = "exp.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_shipped_experiments_load_with_the_promised_designs():
    grid = load_experiment(ROOT / "experiments" / "stigma_supervision_ngo.yaml")
    assert grid.kind == "grid" and len(grid.design) == 27
    assert set(grid.factors) == {"stigma.baseline", "supervision.strictness", "ngo.capacity"}
    assert grid.base.population.community == 3000 and grid.base.population.violent_extremist_share == 0.0
    sobol = load_experiment("cooperation_levers_sobol")  # shipped name works too
    assert sobol.kind == "sobol" and len(sobol.factors) == 10
    assert all(f.startswith("cooperation.") for f in sobol.factors)
    assert len(sobol.design) == sobol.spec.design.samples * (10 + 2)  # Saltelli scheme without second order
    assert set(sobol.outputs) <= set(sobol.metrics)


def test_grid_crosses_every_value_and_applies_them_to_the_scenario():
    exp = load_experiment(TINY)
    assert exp.design[["stigma.baseline", "supervision.strictness"]].values.tolist() == [
        [0.2, 0.1], [0.2, 1.0], [0.8, 0.1], [0.8, 1.0]]
    settings = exp.settings(3)
    assert settings.stigma.baseline == 0.8 and settings.supervision.strictness == 1.0
    assert settings.population.community == 300 and settings.weeks == 40  # overrides kept


@pytest.mark.parametrize("kind, extra", [("lhs", ""), ("sobol", ""), ("morris", "\n  levels: 4")])
def test_sampled_designs_are_reproducible_and_within_range(tmp_path, kind, extra):
    text = f"""\
name: s
scenario: general_offenders
seed: 5
design:
  kind: {kind}
  samples: 8{extra}
  factors:
    stigma.baseline: {{low: 0.1, high: 0.4}}
    population.community: {{low: 100, high: 900}}
"""
    first = load_experiment(write(tmp_path, text)).design
    again = load_experiment(write(tmp_path, text, "again.yaml")).design
    assert first.equals(again)
    assert first["stigma.baseline"].between(0.1, 0.4).all()
    assert first["population.community"].between(100, 900).all()
    assert first["population.community"].dtype == np.int64  # integer parameters are rounded
    other_seed = load_experiment(write(tmp_path, text.replace("seed: 5", "seed: 6"), "other.yaml")).design
    assert not first.equals(other_seed)


def test_run_seeds_are_distinct_and_depend_only_on_root_point_and_replicate():
    exp = load_experiment(TINY)
    seeds = {exp.run_seed(p, r) for p in range(20) for r in range(20)}
    assert len(seeds) == 400
    other_root = load_experiment(TINY, seed=8)
    assert exp.run_seed(3, 2) == exp.run_seed(3, 2) != other_root.run_seed(3, 2)


def test_common_random_numbers_give_every_point_the_seeds_of_sim_run():
    """With common random numbers a point's replicate r is the run `sim run` makes of that setting on the same root."""
    exp = load_experiment(TINY)
    crn = load_experiment({**yaml.safe_load(TINY.read_text()), "common_random_numbers": True})
    assert [crn.run_seed(p, 1) for p in range(3)] == [replicate_seed(crn.seed, 1)] * 3
    assert exp.run_seed(0, 1) != replicate_seed(exp.seed, 1)  # without, every run has a seed of its own


def test_derived_seeds_never_meet_replicate_seeds_or_each_other():
    from sim.streams import PURPOSES, derived_seed, seed_integer

    replicates = {replicate_seed(7, r) for r in range(50)}
    derived = {seed_integer(derived_seed(7, purpose, *index)) for purpose in PURPOSES
               for index in [(), (0,), (1,), (0, 0), (1, 0), (0, 1)]}
    assert len(derived) == 6 * len(PURPOSES) and not derived & replicates
    with pytest.raises(ValueError, match="not a seed purpose"):
        derived_seed(7, "my new analysis")


BAD = [
    ("unknown key", GOOD.replace("replicates: 2", "replicates: 2\nrepeats: 3"), 5, "repeats", "unknown key 'repeats'"),
    ("bad factor key", GOOD.replace("stigma.baseline:", "stigma.baselin:"), 9, "design.factors.stigma.baselin",
     "did you mean 'baseline'"),
    ("factor out of range", GOOD.replace("[0.2, 0.8]", "[0.2, 1.8]"), 9, "design.factors.stigma.baseline[1]",
     "between 0 and 1"),
    ("bad design kind", GOOD.replace("kind: grid", "kind: factorial"), 7, "design.kind", "unknown design kind 'factorial'"),
    ("missing scenario", GOOD.replace("general_offenders", "no_such_scenario"), 2, "scenario", "no scenario 'no_such_scenario'"),
    ("bad override", GOOD.replace("population.community: 300", "population.community: -3"), 5,
     "overrides.population.community", "between 10 and"),
    ("range out of bounds", GOOD.replace("kind: grid", "kind: lhs\n  samples: 4").replace("[0.2, 0.8]", "{low: 0.2, high: 1.5}"),
     10, "design.factors.stigma.baseline", "between 0 and 1"),
    ("sobol samples not a power of 2",
     GOOD.replace("kind: grid", "kind: sobol\n  samples: 6").replace(
         "[0.2, 0.8]", "{low: 0.2, high: 0.5}\n    ngo.capacity: {low: 0, high: 1}"), 8, "design.samples", "power of 2"),
    ("seed is not a factor", GOOD.replace("stigma.baseline:", "seed:"), 9, "design.factors.seed", "experiment can set"),
    ("unknown output", GOOD.replace("seed: 1", "outputs: [recidivism]"), 3, "outputs[0]", "unknown output 'recidivism'"),
    # a misspelt output is pointed to the metric meant, as a misspelt key is (the list alone ran to 41 names)
    ("misspelt output", GOOD.replace("seed: 1", "outputs: [recall_156w]"), 3, "outputs[0]",
     "unknown output 'recall_156w' (did you mean 'recalled_156w'?): expected one of"),
    # a misspelt key is named first (the right one is then also missing, listed below it)
    ("misspelt design", GOOD.replace("design:", "desing:"), 6, "desing", "did you mean 'design'"),
    ("key of another design kind", GOOD.replace("kind: grid", "kind: grid\n  samples: 4"), 8, "design.samples",
     "expected one of: kind, factors)"),
    # the types of a scenario file's numbers: `true` ran 1 replicate, "2" ran 2, "yes" was true
    ("replicates true", GOOD.replace("replicates: 2", "replicates: true"), 4, "replicates", "expected an integer (got true)"),
    ("replicates as text", GOOD.replace("replicates: 2", 'replicates: "2"'), 4, "replicates", "expected an integer (got '2')"),
    ("replicates 2.0", GOOD.replace("replicates: 2", "replicates: 2.0"), 4, "replicates", "expected an integer (got 2.0)"),
    ("common random numbers as text", GOOD.replace("replicates: 2", 'replicates: 2\ncommon_random_numbers: "yes"'), 5,
     "common_random_numbers", "expected true or false (got 'yes')"),
    ("seed too large", GOOD.replace("seed: 1", "seed: 99999999999999999999"), 3, "seed", "must be between 0 and"),
]


@pytest.mark.parametrize("label, text, line, key, words", BAD, ids=[b[0] for b in BAD])
def test_bad_experiment_files_name_file_line_and_key(tmp_path, label, text, line, key, words):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_experiment(path)
    error = caught.value
    assert Path(error.file).name == "exp.yaml" and error.line == line and error.key == key
    assert words in str(error)


@pytest.mark.parametrize("command", ["sweep", "sensitivity"])
def test_bad_experiment_exits_2_and_writes_nothing(tmp_path, capsys, command):
    path = write(tmp_path, BAD[2][1])
    out = tmp_path / "out"
    assert main([command, str(path), "--out", str(out), "--workers", "1"]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "exp.yaml:9" in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["sweep", "sensitivity"])
def test_an_output_beyond_runs_shortened_by_set_weeks_names_set_weeks(tmp_path, capsys, command):
    """`sim sensitivity cooperation_levers_sobol --set weeks=60` said 'experiments/cooperation_levers_sobol.yaml:19:
    outputs[0]: unknown output 'reoffended_156w'', blaming the shipped file for the user's --set: it names `--set
    weeks=60`, the share's horizon and how long the outputs need the runs."""
    out = tmp_path / "out"
    assert main([command, "cooperation_levers_sobol", "--samples", "4", "--set", "weeks=60", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --set: weeks=60 makes the runs 60 weeks long, too short for outputs[0] "
                          "'reoffended_156w' of ") and "cooperation_levers_sobol.yaml:19 (the share 156 weeks after" in err
    assert "outputs need runs of at least 156 weeks (expected --set weeks=156 or more" in err
    assert "unknown output" not in err and not out.exists()


def test_an_output_beyond_the_file_s_own_weeks_says_how_long_the_runs_are():
    """The file's own overrides.weeks too short for its outputs: its line, and why the output is out of reach."""
    with pytest.raises(InputError) as caught:
        load_experiment({"name": "t", "scenario": "general_offenders", "seed": 1, "overrides": {"weeks": 60},
                         "outputs": ["recalled_52w", "reoffended_104w"],
                         "design": {"kind": "grid", "factors": {"stigma.baseline": [0.2, 0.8]}}})
    assert caught.value.key == "outputs[1]"
    assert ("'reoffended_104w' is the share 104 weeks after release, which runs of 60 weeks never reach "
            "(overrides.weeks): the outputs need runs of at least 104 weeks") in str(caught.value)
    with pytest.raises(InputError, match="unknown output 'reoffended_100w'"):  # no run keeps a share at 100 weeks
        load_experiment({"name": "t", "scenario": "general_offenders", "seed": 1, "outputs": ["reoffended_100w"],
                         "design": {"kind": "grid", "factors": {"stigma.baseline": [0.2, 0.8]}}})


def test_scenario_path_is_relative_to_the_experiment_file(tmp_path):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "mine.yaml").write_text("name: mine\nextends: general_offenders\nweeks: 30\n")
    exp = load_experiment(write(tmp_path, GOOD.replace("general_offenders", "scenarios/mine.yaml")))
    assert exp.base.name == "mine" and exp.base.weeks == 30
    assert exp.metrics[0] == "reoffended_26w" and "reoffended_52w" not in exp.metrics  # horizons within the run


def test_set_refuses_a_key_the_design_sets_at_every_point(tmp_path):
    with pytest.raises(InputError) as caught:
        load_experiment(TINY, overrides={"stigma.baseline": 0.5})
    assert caught.value.file == "--set" and caught.value.key == "stigma.baseline"
    assert "factor of the design" in str(caught.value)


def test_a_rewritten_network_file_gives_the_sweep_another_fingerprint(tmp_path):
    """A resumed sweep must not mix runs on two networks: the edge list's ties, not only its path, are its identity."""
    data = ROOT / "tests" / "data"
    for name in ("edgelist_community.yaml", "community_300.edgelist"):
        shutil.copy(data / name, tmp_path / name)
    spec = {"name": "on_file", "scenario": str(tmp_path / "edgelist_community.yaml"), "seed": 3, "replicates": 1,
            "design": {"kind": "grid", "factors": {"stigma.baseline": [0.4, 0.6]}}}
    before = load_experiment(spec).fingerprint()
    assert load_experiment(spec).fingerprint() == before
    edges = (tmp_path / "community_300.edgelist").read_text().splitlines()
    (tmp_path / "community_300.edgelist").write_text("\n".join(edges[::-1]) + "\n")  # same path, other bytes
    assert load_experiment(spec).fingerprint() != before


def test_a_bad_replicates_option_is_blamed_on_the_option_not_the_file():
    with pytest.raises(InputError) as refused:
        load_experiment("stigma_supervision_ngo", replicates=10**6)
    assert refused.value.file == "--replicates" and refused.value.line is None


EDGELIST_SCENARIO = ROOT / "tests" / "data" / "edgelist_community.yaml"


NETWORK_FILES = """\
name: on_files
scenario: baseline
seed: 5
overrides: {population.community: 300, population.released: 20, weeks: 30, network.kind: edgelist}
design:
  kind: grid
  factors:
    network.file: [a.edgelist, b.edgelist]
"""


@pytest.mark.parametrize("where", ["overrides", "factor"])
def test_network_files_are_read_beside_the_experiment_file_from_any_working_directory(tmp_path, monkeypatch, where):
    """A relative network.file in an experiment is the file beside it, and a run reads it by that path even from
    another working directory: the workers of a `dask worker` cluster do not start where `sim sweep` did (every
    run failed there with "no such file: a.edgelist")."""
    from sim.experiments.tasks import Task, execute_run

    (tmp_path / "exp").mkdir()
    (tmp_path / "elsewhere").mkdir()
    for name in ("a.edgelist", "b.edgelist"):
        shutil.copy(ROOT / "tests" / "data" / "community_300.edgelist", tmp_path / "exp" / name)
    text = NETWORK_FILES if where == "factor" else NETWORK_FILES.replace("edgelist}", "edgelist, network.file: b.edgelist}").replace(
        "network.file: [a.edgelist, b.edgelist]", "stigma.baseline: [0.2, 0.8]")
    write(tmp_path / "exp", text)
    monkeypatch.chdir(tmp_path / "exp")
    exp = load_experiment("exp.yaml")
    monkeypatch.chdir(tmp_path)  # not the experiment's folder: the files are not here
    assert load_experiment("exp/exp.yaml").fingerprint() == exp.fingerprint()  # the same files, the same sweep
    monkeypatch.chdir(tmp_path / "elsewhere")  # a worker's working directory
    point = len(exp.design) - 1
    row, _ = execute_run(exp.base, Task(point, 0, exp.run_seed(point, 0), exp.changes(point)), exp.horizons)
    assert row["status"] == "ok", row["error"]


def test_each_design_point_gets_the_scenario_checks_of_load_scenario(tmp_path):
    """A point on an edge-list network without a file, or with a community the graph does not match, is refused
    before any run, naming the experiment file, the factor and the point."""
    kinds = GOOD.replace("stigma.baseline: [0.2, 0.8]", "network.kind: [watts_strogatz, edgelist]")
    with pytest.raises(InputError) as caught:
        load_experiment(write(tmp_path, kinds))
    error = caught.value
    assert Path(error.file).name == "exp.yaml" and error.line == 9 and error.key == "design.factors.network.kind"
    assert "design point 1" in str(error) and "graph file is needed" in str(error)
    sizes = GOOD.replace("general_offenders", str(EDGELIST_SCENARIO)).replace(
        "overrides: {population.community: 300}\n", "").replace("stigma.baseline: [0.2, 0.8]", "population.community: [300, 400]")
    with pytest.raises(InputError) as caught:
        load_experiment(write(tmp_path, sizes, "sizes.yaml"))
    error = caught.value
    assert Path(error.file).name == "sizes.yaml" and error.key == "design.factors.population.community"
    assert "design point 1" in str(error) and "300 nodes" in str(error)


def test_set_network_kind_on_a_sweep_is_refused_before_any_run(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["sweep", str(TINY), "--set", "network.kind=edgelist", "--out", str(out), "--workers", "1"]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert err.startswith("error: --set: network.kind:") and "graph file is needed" in err and "Traceback" not in err


def test_a_missing_network_file_is_blamed_on_its_own_line_and_read_against_what_it_was_given_in(tmp_path, capsys):
    """A missing network.file among the overrides was blamed on the network.kind line above it, and every message
    said the path was relative to "the scenario file", which an experiment's value (relative to the experiment file)
    and a --set value (relative to the working directory) are not."""
    text = ("name: net\nscenario: general_offenders\noverrides:\n  population.community: 300\n"
            "  network.kind: edgelist\n  network.file: nowhere.edgelist\n"
            "design:\n  kind: grid\n  factors:\n    stigma.baseline: [0.2, 0.8]\n")
    with pytest.raises(InputError) as caught:
        load_experiment(write(tmp_path, text))
    error = caught.value
    assert (error.line, error.key) == (6, "overrides.network.file") and "no such file" in str(error)
    assert "relative to the experiment file" in str(error) and "scenario file" not in str(error)
    factor = text.replace("  network.file: nowhere.edgelist\n", "").replace("stigma.baseline: [0.2, 0.8]",
                                                                              "network.file: [nowhere.edgelist]")
    with pytest.raises(InputError) as caught:
        load_experiment(write(tmp_path, factor, "factor.yaml"))
    assert caught.value.key == "design.factors.network.file" and "relative to the experiment file" in str(caught.value)
    out = tmp_path / "out"
    assert main(["sweep", str(TINY), "--set", "network.kind=edgelist", "--set", "network.file=nowhere.edgelist",
                 "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --set: network.file: no such file") and "relative to the working directory" in err
    assert "scenario file" not in err and not out.exists()


def test_an_override_that_shortens_the_horizon_warns_of_events_that_never_fire(tmp_path):
    from sim.scenarios.loader import EventAfterHorizonWarning

    text = GOOD.replace("general_offenders", "attack_backlash").replace("{population.community: 300}",
                                                                         "{population.community: 300, weeks: 30}")
    with pytest.warns(EventAfterHorizonWarning, match=r"never fires \(the horizon was shortened by overrides.weeks in .*exp.yaml:5\)"):
        load_experiment(write(tmp_path, text))


MORRIS_WEEKS = """\
name: m
scenario: baseline
seed: 1
overrides: {population.community: 300, population.released: 100}
design:
  kind: morris
  samples: 2
  factors:
    weeks: {low: 20, high: 60}
    stigma.baseline: {low: 0.2, high: 0.6}
"""


def test_outputs_are_checked_against_the_shortest_horizon_of_the_design(tmp_path):
    exp = load_experiment(write(tmp_path, MORRIS_WEEKS))
    assert exp.design["weeks"].min() == 20 and exp.design["weeks"].max() == 60
    assert exp.outputs == ["final_community_stigma"]  # reoffended_26w/52w: not reached by the 20-week points
    with pytest.raises(InputError) as caught:
        load_experiment(write(tmp_path, MORRIS_WEEKS.replace("seed: 1", "seed: 1\noutputs: [reoffended_26w]"), "o.yaml"))
    error = caught.value
    assert Path(error.file).name == "o.yaml" and error.line == 4 and error.key == "outputs[0]"
    assert "20 weeks" in str(error) and "design.factors.weeks" in str(error)


def test_sensitivity_says_in_the_terminal_that_its_default_outputs_stop_at_the_shortest_runs(tmp_path):
    from sim.experiments.sensitivity_analysis import outputs_line

    line = outputs_line(load_experiment(write(tmp_path, MORRIS_WEEKS)))
    assert line == ("outputs: final_community_stigma (the defaults, read within 20 weeks, the shortest runs of "
                    "design.factors.weeks, though some run 60; name `outputs` in the experiment file to choose others)")
    named = load_experiment(write(tmp_path, MORRIS_WEEKS.replace("seed: 1", "seed: 1\noutputs: [final_recalls_total]"), "o.yaml"))
    assert outputs_line(named) == "outputs: final_recalls_total"
    fixed = load_experiment(write(tmp_path, MORRIS_WEEKS.replace("weeks: {low: 20, high: 60}", "ngo.capacity: {low: 0.2, "
                                                                 "high: 0.9}"), "f.yaml"))
    assert outputs_line(fixed) == "outputs: reoffended_156w, recalled_156w, final_community_stigma"


def test_an_override_of_a_design_factor_is_refused(tmp_path, capsys):
    text = GOOD.replace("{population.community: 300}", "\n  population.community: 300\n  stigma.baseline: 0.5")
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_experiment(path)
    error = caught.value
    assert Path(error.file).name == "exp.yaml" and error.line == 7 and error.key == "overrides.stigma.baseline"
    assert "factor of the design" in str(error)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 2 and not out.exists()


def test_every_design_point_gives_its_own_values_with_the_factor_types():
    """The engine reads every point's values before the first run (how long that takes for 200,000 points:
    benchmarks/design_values.py): each point's own values, an integer factor as int, a float one as float."""
    exp = load_experiment({"name": "large", "scenario": "general_offenders", "design": {
        "kind": "lhs", "samples": 2_000, "factors": {"stigma.baseline": {"low": 0.1, "high": 0.9},
                                                    "population.community": {"low": 300, "high": 900}}}},
        max_runs=2_000)
    points = [exp.changes(point) for point in range(len(exp.design))]
    assert len(points) == 2_000
    for point in (0, 7, 1_999):
        assert type(points[point]["population.community"]) is int and type(points[point]["stigma.baseline"]) is float
        assert points[point] == {"stigma.baseline": float(exp.design["stigma.baseline"].iloc[point]),
                                 "population.community": int(exp.design["population.community"].iloc[point])}


def test_max_runs_holds_for_an_experiment_already_loaded(tmp_path):
    """sweep(load_experiment(...), max_runs=N) ran the whole design whatever N said."""
    from sim.experiments import sweep

    with pytest.raises(InputError, match="above the limit of 5"):
        sweep(load_experiment(TINY), out=tmp_path / "out", workers=1, max_runs=5, progress=False)
    assert not (tmp_path / "out").exists()


def test_a_grid_value_that_is_a_list_or_mapping_is_one_error_each(tmp_path, capsys):
    """A list or mapping among a grid's values was reported once per scalar type pydantic tried
    ('design.factors.x[1].int: must be a valid integer', '...float...', '...str...'), naming no expectation."""
    path = write(tmp_path, GOOD.replace("[0.2, 0.8]", "[0.2, [0.3, 0.4], {low: 1}]"))
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 2
    assert not out.exists()
    expected = "a number, true or false, or text"
    assert capsys.readouterr().err.splitlines() == [
        f"error: {path}:9: design.factors.stigma.baseline[1]: expected one value per item: {expected} (got a list) "
        "(1 more below)",
        f"error: {path}:9: design.factors.stigma.baseline[2]: expected one value per item: {expected} (got a mapping)"]


def test_a_value_out_of_range_and_a_misspelt_factor_key_are_both_listed(tmp_path, capsys):
    """The first factor's 1.8 was reported and the misspelt `supervision.strictnes` below it was not: the checks of
    the factors stopped at the first error. `sim validate` checks an experiment file as `sim sweep` reads it."""
    path = write(tmp_path, GOOD.replace("[0.2, 0.8]", "[0.2, 1.8]\n    supervision.strictnes: [0.2, 0.5]"))
    with pytest.raises(InputError) as caught:
        load_experiment(path)
    assert [(e.line, e.key) for e in (caught.value, *caught.value.others)] == [
        (9, "design.factors.stigma.baseline[1]"), (10, "design.factors.supervision.strictnes")]
    expected = [f"error: {path}:9: design.factors.stigma.baseline[1]: must be between 0 and 1 (got 1.8) (1 more below)",
                f"error: {path}:10: design.factors.supervision.strictnes: unknown key 'strictnes' (did you mean "
                "'strictness'?)"]
    for command in (["validate", str(path)], ["sweep", str(path), "--out", str(tmp_path / "out"), "--workers", "1"]):
        assert main(command) == 2
        assert capsys.readouterr().err.splitlines() == expected
    assert not (tmp_path / "out").exists()


def test_the_schemas_errors_do_not_hide_the_checks_of_an_experiments_other_keys(tmp_path):
    """A refused `replicates` and a grid key another kind takes stopped the checks there: the unknown output, the
    misspelt override and factor keys and a factor's value out of range below them went unsaid."""
    text = (GOOD.replace("replicates: 2", "replicates: 0\noutputs: [recidivism]")
            .replace("population.community: 300", "population.communty: 300")
            .replace("kind: grid", "kind: grid\n  samples: 4")
            .replace("[0.2, 0.8]", "[0.2, 1.8]\n    supervision.strictnes: [0.2, 0.5]"))
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_experiment(path)
    assert [(e.line, e.key) for e in (caught.value, *caught.value.others)] == [
        (4, "replicates"), (5, "outputs[0]"), (6, "overrides.population.communty"), (9, "design.samples"),
        (11, "design.factors.stigma.baseline[1]"), (12, "design.factors.supervision.strictnes")]


def test_validate_checks_an_experiment_file_as_a_sweep_reads_it(capsys):
    assert main(["validate", str(ROOT / "experiments" / "stigma_supervision_ngo.yaml"), "baseline"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0].endswith("(experiment stigma_supervision_ngo on general_offenders: 27 points x 4 replicates = "
                            "108 runs)") and said[-1].startswith("ok  baseline  (baseline: ")


@pytest.mark.parametrize(("make", "said"), [
    (lambda path: path.mkdir(), "is a directory; expected a YAML experiment file"),
    (lambda path: path.write_text(""), "the file is empty; expected a mapping of experiment keys"),
    (lambda path: path.write_text("- a\n- b\n"), "the top level must be a mapping of keys (found a list)"),
])
@pytest.mark.parametrize("command", ["sweep", "sensitivity"])
def test_an_experiment_file_that_is_no_mapping_is_called_an_experiment_file(tmp_path, capsys, make, said, command):
    """A folder or an empty file given as an experiment was refused as not being 'a YAML scenario file'."""
    path = tmp_path / "experiment.yaml"
    make(path)
    assert main([command, str(path), "--out", str(tmp_path / "out")]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"error: {path}") and said in line and "scenario" not in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("given", "meant"), [("stigma_supervisio", "stigma_supervision_ngo"),
                                              ("cooperation_lever_sobol", "cooperation_levers_sobol")])
def test_a_misspelt_shipped_experiment_is_pointed_to_the_one_meant(given, meant):
    """`sim sweep stigma_supervisio` said only 'no such experiment file', where a misspelt scenario is asked 'did you
    mean ...?'."""
    with pytest.raises(InputError, match=f"^{given}: no such experiment file \\(did you mean '{meant}'\\?\\)$"):
        load_experiment(given)


SOBOL_OF_ONE = GOOD.replace("kind: grid", "kind: sobol\n  samples: 8").replace("[0.2, 0.8]", "{low: 0.2, high: 0.8}")


@pytest.mark.parametrize(("text", "said"), [
    (SOBOL_OF_ONE, "9: design.factors: a Sobol' design needs at least 2 factors (got 1): its indices share out each "
                   "output's variance between the factors (expected 2 or more factors, or a grid or lhs design to vary "
                   "fewer)"),
    (SOBOL_OF_ONE.replace("kind: sobol", "kind: morris"), "9: design.factors: a Morris design needs at least 2 factors "
     "(got 1): its elementary effects rank the factors against each other (expected 2 or more factors, or a grid or "
     "lhs design to vary fewer)"),
    (GOOD.replace("factors:\n    stigma.baseline: [0.2, 0.8]", "factors: {}"), "8: design.factors: a grid design needs "
     "at least 1 factor (got none) (expected a scenario parameter to vary, with its values)"),
    (GOOD.replace("[0.2, 0.8]", "[]"), "9: design.factors.stigma.baseline: a grid factor needs at least 1 value (got "
     "none) (expected the values to run, such as [0.2, 0.8])"),
    (GOOD.replace("name: t", 'name: ""'), "1: name: must not be empty (got '') (expected a name for the experiment's "
     "report and manifest)"),
    (GOOD.replace("general_offenders", '""'), "2: scenario: must not be empty (got '') (expected a shipped scenario's "
     "name or a path to a scenario file)"),
    (GOOD.replace("seed: 1", "outputs: []"), "3: outputs: needs at least 1 output (got none) (expected summary metrics "
     "of the runs, or no outputs key for the defaults)"),
], ids=["sobol of one", "morris of one", "no factors", "grid factor without values", "empty name", "empty scenario",
        "no outputs"])
def test_too_few_factors_values_or_characters_are_said_in_words(tmp_path, capsys, text, said):
    """pydantic's own words reached the user: 'design.factors: Dictionary should have at least 2 items after
    validation, not 1', 'List should have at least 1 item ...', 'String should have at least 1 character'."""
    path = write(tmp_path, text)
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [f"error: {path}:{said}"]


def test_a_value_a_grid_factor_or_the_outputs_repeat_is_refused_at_its_place(tmp_path, capsys):
    """`supervision.strictness: [0.2, 0.2]`, almost always a typo for [0.2, 0.8], was 'ok ... 2 points': one level run
    twice and the one meant never. 1 and 1.0 are one level."""
    path = write(tmp_path, GOOD.replace("seed: 1", "outputs: [reoffended_26w, recalled_26w, reoffended_26w]")
                 .replace("[0.2, 0.8]", "[0.2, 0.2]\n    supervision.strictness: [1, 0.5, 1.0]"))
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: {path}:3: outputs[2]: repeats 'reoffended_26w' of [0]: each output is one column of the results, so "
        "'reoffended_26w' would be reported twice and the output meant never (expected each output once) (2 more below)",
        f"error: {path}:9: design.factors.stigma.baseline[1]: repeats 0.2 of [0]: a grid runs each value as a level: "
        "0.2 would run twice and the level meant never (expected distinct values, such as [0.2, 0.8])",
        f"error: {path}:10: design.factors.supervision.strictness[2]: repeats 1 of [0]: a grid runs each value as a "
        "level: 1 would run twice and the level meant never (expected distinct values, such as [0.2, 0.8])"]


def test_an_output_beyond_the_runs_offers_outputs_every_point_reaches(tmp_path):
    """With weeks a factor (30 and 60), 'reoffended_156w' was refused offering the outputs of the longest runs
    (reoffended_52w...), and the one a user took was then refused as not reached by every design point."""
    text = ("name: weeks_factor\nscenario: general_offenders\nreplicates: 1\ndesign:\n  kind: grid\n  factors:\n"
            "    weeks: [30, 60]\noutputs: [{}]\n")
    path = tmp_path / "weeks.yaml"
    path.write_text(text.format("reoffended_156w"))
    with pytest.raises(InputError) as refused:
        load_experiment(path)
    offered = str(refused.value).split("outputs within 30 weeks (")[1].split(")")[0].split(", ")
    assert offered and "design weeks all of at least 156" in str(refused.value)
    for output in offered:
        path.write_text(text.format(output))
        assert load_experiment(path).outputs == [output]
