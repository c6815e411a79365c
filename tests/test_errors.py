"""An error names where it is and says what was expected, once."""

from __future__ import annotations

import pytest

from sim.errors import InputError, command_line


def test_an_error_says_what_was_expected_when_its_message_does_not():
    error = InputError("holds results of another kind", file="out", key="--out", expected="a sweep folder")
    with command_line():
        assert str(error) == "out: --out: holds results of another kind (expected a sweep folder)"
    # "unexpected" is not "expected": the expectation is still added
    assert str(InputError("unexpected end of file", file="a.yaml", expected="a whole YAML document")).endswith(
        "(expected a whole YAML document)")


def test_an_error_that_already_says_it_is_not_repeated():
    for message, expected in (("must be at least 2 (got 1)", "at least 2"), ("unknown key (did you mean 'design'?)", "x"),
                              ("expected one of grid, lhs", "x"), ("needs UTF-8 text", "UTF-8 text")):
        error = InputError(message, key="k", expected=expected)
        assert str(error) == f"k: {message}"


def test_a_value_shown_is_not_taken_for_what_was_expected():
    """'(got 5.5)' shows the value given, not what would be accepted: the advice (which weeks a table has) was dropped
    from every message that showed the value."""
    error = InputError("must be a whole number of weeks since release (got 5.5)", key="week", expected="one of 26, 52")
    assert str(error) == "week: must be a whole number of weeks since release (got 5.5) (expected one of 26, 52)"


@pytest.mark.parametrize(("call", "says"), [
    (lambda sim: sim.ReintegrationModel("baseline", rng="abc"), "rng: must be a non-negative integer"),
    (lambda sim: sim.ReintegrationModel("baseline", rng=-1), "rng: must be a non-negative integer"),
    (lambda sim: sim.ReintegrationModel(5), "scenario: must be a shipped scenario name"),
    (lambda sim: sim.run(5), "scenarios: must be a shipped scenario name"),
    (lambda sim: sim.run([]), "scenarios: names no scenario (expected a shipped scenario name"),
    (lambda sim: sim.run("baseline", overrides=[("stigma.baseline", 0.8)]), "overrides: must map dotted keys to values"),
    # 2.0 was refused as "must be at least 1 (got 2.0)", which it is
    (lambda sim: sim.run("baseline", replicates=2.0), "replicates: must be a whole number of at least 1 (got 2.0)"),
    (lambda sim: sim.run("baseline", replicates=0), "replicates: must be at least 1 (got 0)"),
    # each was pathlib's or Python's TypeError
    (lambda sim: sim.sweep("stigma_supervision_ngo", out=None), "out: got NoneType instead of a folder"),
    (lambda sim: sim.sweep(None, out="never"), "experiment: got NoneType instead of an experiment"),
    (lambda sim: sim.sensitivity(["cooperation_levers_sobol"], out="never"), "experiment: got list instead of an experiment"),
    (lambda sim: sim.compare(["baseline", "ngo_surge"], replicates=2, by=["risk_tier"]), "by: unknown subgroup ['risk_tier']"),
    # a name becomes folder names (robustness's sweeps): it must not climb out of --out
    (lambda sim: sim.ReintegrationModel({"extends": "baseline", "name": "../../escape"}), "name: must be a name without a slash"),
])
def test_the_python_api_refuses_what_is_not_a_scenario_seed_or_override_with_an_input_error(call, says):
    """Callers from Python meet the same one-line InputError as the command line, not an error deep in numpy or pandas."""
    import sim

    with pytest.raises(InputError) as refused:
        call(sim)
    assert str(refused.value).startswith(says)


def test_a_value_given_from_python_is_named_as_the_argument_the_caller_gave_and_on_the_command_line_as_the_option(
        tmp_path, capsys):
    """A caller of sim.run typed no --set: the same refusal names `overrides` there, and --set in the terminal."""
    import sim
    from sim.cli import main

    with pytest.raises(InputError) as refused:
        sim.run("baseline", overrides={"supervision.strictness": 2}, weeks=2)
    assert str(refused.value) == "overrides: supervision.strictness: must be between 0 and 1 (got 2)"
    assert main(["run", "baseline", "--set", "supervision.strictness=2", "--weeks", "2", "--out", str(tmp_path / "r")]) == 2
    assert capsys.readouterr().err == "error: --set: supervision.strictness: must be between 0 and 1 (got 2)\n"
    with pytest.raises(InputError) as refused:
        sim.run("baseline", weeks=0)
    assert str(refused.value) == "weeks: must be between 1 and 1040 (got 0)"  # not "--weeks: weeks:"
    # an option inside a message becomes the keyword argument, with its value where the message gives one
    hint = InputError("is too big", key="--max-runs", expected="fewer runs, or --max-runs 500 to lift the limit, "
                      "or --set costs.ngo_place=0 (choose another --out)")
    assert str(hint) == ("max_runs: is too big (expected fewer runs, or max_runs=500 to lift the limit, "
                         "or overrides={'costs.ngo_place': 0} (choose another out))")
    with command_line():
        assert str(hint).startswith("--max-runs: is too big (expected fewer runs, or --max-runs 500 to lift")
    assert not (tmp_path / "r").exists()


def test_a_misspelt_optimise_objective_is_pointed_to_the_metric_meant(tmp_path, capsys):
    """`sim optimise --objective recall_52w` listed 40-odd metrics and left the reader to find 'recalled_52w' in them."""
    from sim.cli import main

    out = tmp_path / "never"
    assert main(["optimise", "baseline", "--budget", "1e6", "--objective", "recall_52w", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--objective: unknown objective 'recall_52w' (did you mean 'recalled_52w'?): expected a run metric" in err
    assert "Traceback" not in err and not out.exists()
