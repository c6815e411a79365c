"""Scenario loading: shipped files, extends, overrides, and a clear InputError for every bad input."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from sim import ReintegrationModel
from sim.errors import InputError, command_line
from sim.scenarios import (
    LEVERS,
    SCENARIO_DIR,
    Scenario,
    apply_overrides,
    list_scenarios,
    load_scenario,
    parse_assignments,
)
from sim.scenarios.loader import parse_scalar

ALL_LEVERS_ZERO = {f"cooperation.{lever}": 0.0 for lever in LEVERS}
ALL_LEVERS_ONE = {f"cooperation.{lever}": 1.0 for lever in LEVERS}

# What each shipped scenario changes relative to baseline, and nothing else.
EXPECTED_CHANGES: dict[str, dict] = {
    "baseline": {},
    "general_offenders": {
        "population.violent_extremist_share": 0.0, "population.released": 1000, "supervision.caseload": 50,
        "release.licence_weeks": 95, "supervision.warnings": 0, "weeks": 261, "stigma.baseline": 0.4, "release.window_weeks": 0,
        "release.licence_spread": 0.7, "release.court_delay_weeks": 9, "release.imprisonment_share": 0.11,
        "supervision.breach_rate": 0.0075, "supervision.offence_recall": 0.14, "offending.general.base_hazard": 0.0195,
        "offending.general.desisted_share": 0.12,
        "media.publicised_reoffence_shock": False,
    },
    "high_stigma": {"stigma.baseline": 0.8},
    "low_stigma": {"stigma.baseline": 0.2},
    "strict_supervision": {"supervision.strictness": 0.9},
    "light_supervision": {"supervision.strictness": 0.2},
    "ngo_surge": {
        "ngo.capacity": 1.0, "cooperation.reintegration_support": 0.8, "cooperation.community_interventions": 0.6,
    },
    "ngo_absent": {"ngo.capacity": 0.0, **ALL_LEVERS_ZERO},
    "full_cooperation": ALL_LEVERS_ONE,
    "no_cooperation": ALL_LEVERS_ZERO,
    "attack_backlash": {
        "events": [
            {"kind": "media_shock", "week": 52, "magnitude": 0.5, "label": "attack reported in the media"},
            {"kind": "policy_change", "week": 80, "set": {"supervision.strictness": 0.9},
             "label": "tougher licence conditions"},
        ],
    },
}


def flat(scenario: Scenario) -> dict:
    """Dotted key -> value for every parameter (events as one list)."""
    out = {}

    def walk(node, prefix):
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                out[f"{prefix}{key}"] = value

    walk(scenario.model_dump(exclude={"name", "title", "description", "extends"}), "")
    return out


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load_error(source, overrides=None) -> InputError:
    with pytest.raises(InputError) as info:
        load_scenario(source, overrides)
    return info.value


# --- shipped scenarios -------------------------------------------------------------------------


def test_exactly_the_expected_scenarios_are_shipped():
    assert sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml")) == sorted(EXPECTED_CHANGES)


@pytest.mark.parametrize("name", sorted(EXPECTED_CHANGES))
def test_shipped_scenario_loads_and_changes_only_what_it_says(name):
    scenario = load_scenario(name)
    assert scenario.name == name
    baseline = flat(Scenario())
    changed = {k: v for k, v in flat(scenario).items() if v != baseline[k]}
    assert changed == EXPECTED_CHANGES[name]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", scenario.description.strip()) if s]
    assert 2 <= len(sentences) <= 4, scenario.description
    if name == "baseline":
        assert scenario.extends is None
    else:
        assert scenario.extends in {"baseline", "general_offenders"}


def test_list_scenarios_puts_baseline_first_then_sorted():
    listed = list_scenarios()
    names = [name for name, _ in listed]
    assert names[0] == "baseline"
    assert names[1:] == sorted(names[1:])
    assert all(description and "\n" not in description for _, description in listed)


def test_shipped_path_and_name_give_the_same_scenario():
    assert load_scenario(SCENARIO_DIR / "high_stigma.yaml") == load_scenario("high_stigma")
    assert load_scenario(str(SCENARIO_DIR / "high_stigma.yaml")) == load_scenario("high_stigma")


# --- extends -----------------------------------------------------------------------------------


def test_extends_merges_mappings_key_by_key_and_replaces_lists(tmp_path):
    write(tmp_path, "base/parent.yaml", """\
name: parent
description: The parent.
extends: high_stigma
stigma:
  concentration: 9.0
events:
  - {kind: media_shock, week: 5}
  - {kind: media_shock, week: 9}
""")
    child = write(tmp_path, "child.yaml", """\
extends: base/parent.yaml
stigma:
  social_influence: 0.4
events:
  - {kind: media_shock, week: 20, magnitude: 0.1}
""")
    scenario = load_scenario(child)
    assert scenario.stigma.baseline == 0.8  # from high_stigma, two levels up
    assert scenario.stigma.concentration == 9.0  # from the parent
    assert scenario.stigma.social_influence == 0.4  # from the child
    assert [e.week for e in scenario.events] == [20]  # lists are replaced whole
    assert scenario.extends == "base/parent.yaml"  # as written in the child
    assert scenario.name == "child"  # the file stem, not the parent's name
    assert scenario.description == ""  # descriptions are not inherited


def test_extends_may_leave_off_the_yaml_suffix(tmp_path):
    write(tmp_path, "parent.yaml", "supervision:\n  caseload: 7\n")
    child = write(tmp_path, "child.yaml", "name: mine\nextends: parent\n")
    scenario = load_scenario(child)
    assert (scenario.name, scenario.supervision.caseload) == ("mine", 7)


def test_dict_source_with_extends():
    scenario = load_scenario({"extends": "strict_supervision", "stigma": {"baseline": 0.1}})
    assert (scenario.supervision.strictness, scenario.stigma.baseline) == (0.9, 0.1)


# --- overrides ---------------------------------------------------------------------------------


def test_overrides_with_dots_double_underscores_and_command_line_text():
    scenario = load_scenario(
        "baseline",
        {"supervision.strictness": "0.9", "stigma__baseline": 0.7, "population.released": "250",
         "network.kind": "barabasi_albert", "name": "123"},
    )
    assert scenario.supervision.strictness == 0.9
    assert scenario.stigma.baseline == 0.7
    assert scenario.population.released == 250
    assert scenario.network.kind == "barabasi_albert"
    assert scenario.name == "123"  # a text field keeps text


def test_overrides_apply_after_extends_and_keep_the_rest():
    scenario = load_scenario("general_offenders", parse_assignments(["supervision.strictness=0.1", "weeks=52"]))
    assert (scenario.supervision.strictness, scenario.weeks, scenario.supervision.caseload) == (0.1, 52, 50)


def test_overrides_on_a_scenario_instance_do_not_mutate_it():
    base = load_scenario("baseline")
    changed = load_scenario(base, {"supervision.strictness": 0.3})
    assert (base.supervision.strictness, changed.supervision.strictness) == (0.5, 0.3)
    assert load_scenario(base) == base and load_scenario(base) is not base


def test_apply_overrides_accepts_numpy_scalars():
    np = pytest.importorskip("numpy")
    scenario = apply_overrides(Scenario(), {"population.released": np.int64(12), "stigma.baseline": np.float64(0.25)})
    assert scenario.population.released == 12 and type(scenario.population.released) is int
    assert scenario.stigma.baseline == 0.25


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.9", 0.9), ("5e-4", 5e-4), ("12", 12), ("true", True), ("null", None), ("high", "high"), ("", ""),
     ("[1, 2]", "[1, 2]"), ("!!python/object:os.system", "!!python/object:os.system")],
)
def test_parse_scalar_reads_plain_yaml_scalars_only(text, value):
    assert parse_scalar(text) == value


def test_parse_assignments():
    assert parse_assignments(["a.b=1", " c = x=y"]) == {"a.b": "1", "c": " x=y"}


@pytest.mark.parametrize("item", ["no-equals", "=0.5", "  =1"])
def test_parse_assignments_rejects_malformed_items(item):
    with pytest.raises(InputError) as info:
        parse_assignments([item])
    assert info.value.file == "--set"
    with command_line():  # the items typed after --set
        assert str(info.value).startswith("--set: expected KEY=VALUE")


@pytest.mark.parametrize(
    ("changes", "key", "fragment"),
    [
        ({"supervision.strictness": "1.4"}, "supervision.strictness", "must be between 0 and 1 (got 1.4)"),
        ({"supervison.strictness": 1}, "supervison.strictness", "did you mean 'supervision'?"),
        ({"supervision.strictness.x": 1}, "supervision.strictness.x", "is a single value, not a section"),
        # the marks of fitted values are no value to set: 'a single value' misdescribed a mapping
        ({"fitted.release.imprisonment_share": "BJS"}, "fitted.release.imprisonment_share",
         "'fitted' is the marks of values fitted to data, written in a scenario file, not a section of parameters"),
        ({"a..b": 1}, "a..b", "malformed key"),
        ({"population.released": "many"}, "population.released", "expected an integer (got 'many')"),
    ],
)
def test_bad_overrides_name_the_origin_and_key(changes, key, fragment):
    error = load_error("baseline", changes)
    assert (error.file, error.line, error.key) == ("--set", None, key)
    assert fragment in str(error) and error.expected
    with pytest.raises(InputError) as info:
        apply_overrides(Scenario(), changes, origin="events[1]")
    assert str(info.value).startswith(f"events[1]: {key}: ")


# --- bad input: every error names file, line, key and what was expected -------------------------

BAD_FILES = [
    # id, text, line, key, fragment of the message
    ("malformed", "name: a\nsupervision: strictness: 0.5\n", 2, None, "invalid YAML: mapping values are not allowed "
     "here (expected `key: value` lines indented with spaces)"),
    ("unclosed", "name: a\nevents: [\n", 3, None, "invalid YAML: while parsing a flow node; expected the node "),
    ("tab", "supervision:\n\tstrictness: 0.5\n", 2, None,
     "invalid YAML: a tab, which YAML does not allow for indenting (expected spaces instead of tabs)"),
    ("unknown", "supervision:\n  strictnes: 0.5\n", 2, "supervision.strictnes", "unknown key 'strictnes' (did you mean 'strictness'?)"),
    ("unknown-top", "name: x\nsupervison:\n  strictness: 0.5\n", 2, "supervison", "did you mean 'supervision'?"),
    ("unknown-far", "stigma:\n  zzzz: 1\n", 2, "stigma.zzzz", "unknown key 'zzzz' (expected one of: baseline, concentration"),
    ("wrong-type", "supervision:\n  strictness: high\n", 2, "supervision.strictness", "expected a number (got 'high')"),
    ("bool", "supervision:\n  strictness: true\n", 2, "supervision.strictness", "expected a number (got true)"),
    ("integer", "population:\n  released: 10.5\n", 2, "population.released", "expected an integer (got 10.5)"),
    ("integer-decimal", "weeks: 52.0\n", 1, "weeks", "expected an integer (got 52.0)"),  # was '(got 52)'
    ("integer-exponent", "population:\n  released: 1e12\n", 2, "population.released",
     "expected an integer (got 1000000000000.0)"),
    ("section", "\nsupervision: 3\n", 2, "supervision", "expected a mapping of keys (got 3)"),
    ("choice", "network:\n  kind: ring\n", 2, "network.kind", "expected one of 'watts_strogatz', 'barabasi_albert'"),
    ("range", "supervision:\n  strictness: 1.5\n", 2, "supervision.strictness", "must be between 0 and 1 (got 1.5)"),
    ("range-gt", "stigma:\n  concentration: 0\n", 2, "stigma.concentration", "must be greater than 0 and at most 1000"),
    ("nested-range", "offending:\n  general:\n    base_hazard: 2\n", 3, "offending.general.base_hazard",
     "must be between 0 and 1 (got 2)"),
    ("empty-name", "name: ''\n", 1, "name", "must not be empty"),
    # the name names folders (robustness's sweeps/NAME): 300 characters failed there with 'File name too long'
    ("long-name", "name: " + "x" * 101 + "\n", 1, "name",
     "must be a name of at most 100 characters (it names the scenario's folders) (got 101 characters)"),
    # and a folder name counts bytes: 90 Greek letters are 180 bytes, past the 100 a name may take
    ("multibyte-name", "name: " + "α" * 90 + "\n", 1, "name",
     "must be a name of at most 100 bytes (it names the scenario's folders, and an accented or non-Latin letter takes "
     "two to four) (got 90 characters, 180 bytes)"),
    ("newline-name", 'name: "a\\nb"\n', 1, "name", "without a slash or control character"),
    ("two-errors", "supervision:\n  strictness: 1.5\n  caseload: 0\n", 2, "supervision.strictness",
     "(got 1.5) (1 more below)"),
    ("duplicate", "supervision:\n  strictness: 0.5\n  caseload: 3\n  strictness: 0.6\n", 4, "supervision.strictness",
     "duplicate key 'strictness' (first at line 2, again at line 4)"),
    ("alias", "base: &b\n  strictness: 0.5\nsupervision: *b\n", 1, "base", "anchors and aliases are not allowed"),
    ("alias-only", "supervision:\n  strictness: *b\n", 2, "supervision.strictness", "aliases are not allowed"),
    ("alias-bomb", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", 1, "a", "aliases are not allowed"),
    ("python-tag", "supervision: !!python/object/apply:os.system [echo hi]\n", 1, "supervision",
     "tags are not allowed (found '!!python/object/apply:os.system')"),
    ("custom-tag", "name: !foo bar\n", 1, "name", "tags are not allowed (found '!foo')"),
    ("str-tag", "weeks: !!str 12\n", 1, "weeks", "tags are not allowed"),
    ("top-level-list", "- a\n- b\n", 1, None, "top level must be a mapping"),
    ("empty", "# only a comment\n", None, None, "the file is empty; expected a mapping"),
    ("deep", "a: " + "[" * 100 + "]" * 100 + "\n", 1, "a", "nested too deeply (more than 32 levels)"),
    ("event-kind", "events:\n  - kind: boom\n    week: 3\n", 2, "events[0].kind", "unknown event kind 'boom'"),
    ("event-missing", "events:\n  - kind: media_shock\n", 2, "events[0].week", "required key is missing"),
    ("event-range", "events:\n  - kind: media_shock\n    week: 3\n    magnitude: 2\n", 4, "events[0].magnitude",
     "must be between 0 and 1"),
    ("policy-key", "events:\n  - {kind: media_shock, week: 1}\n  - kind: policy_change\n    week: 8\n    set:\n"
     "      supervison.strictness: 0.9\n", 6, "events[1].set.supervison.strictness",
     "unknown key 'supervison' (did you mean 'supervision'?)"),
    ("policy-value", "events:\n  - kind: policy_change\n    week: 8\n    set:\n      supervision.strictness: 1.9\n",
     5, "events[0].set.supervision.strictness", "must be between 0 and 1 (got 1.9)"),
    ("policy-type", "events:\n  - kind: policy_change\n    week: 8\n    set:\n      release__recall_term_weeks: lots\n",
     5, "events[0].set.release.recall_term_weeks", "expected an integer (got 'lots')"),
    ("policy-built", "events:\n  - kind: policy_change\n    week: 8\n    set:\n      stigma.baseline: 0.9\n",
     5, "events[0].set.stigma.baseline", "can change during a run (it shapes the world when the model is built)"),
    ("policy-section", "events:\n  - kind: policy_change\n    week: 8\n    set:\n      supervision: {strictness: 1}\n",
     5, "events[0].set.supervision", "not a parameter that can change during a run"),
    ("policy-fixed", "events:\n  - kind: policy_change\n    week: 8\n    set:\n      weeks: 9\n",
     5, "events[0].set.weeks", "not a parameter that can change during a run"),
    ("extends-type", "extends: [a]\n", 1, "extends", "expected a scenario name or path"),
]


@pytest.mark.parametrize(("case", "text", "line", "key", "fragment"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_names_file_line_key_and_expectation(tmp_path, case, text, line, key, fragment):
    path = write(tmp_path, f"{case}.yaml", text)
    error = load_error(path)
    message = str(error)
    assert str(error.file).endswith(f"{case}.yaml")
    assert (error.line, error.key) == (line, key), message
    assert fragment in message, message
    assert error.expected, message
    prefix = f"{error.file}:{line}: " if line else f"{error.file}: "
    assert message.startswith(prefix + (f"{key}: " if key else "")), message
    assert len(message.splitlines()) == 1 + len(error.others)  # one line per error in the file


def test_missing_parent_lists_the_shipped_names(tmp_path):
    path = write(tmp_path, "orphan.yaml", "name: orphan\nextends: no_such_parent\n")
    error = load_error(path)
    assert (error.line, error.key) == (2, "extends")
    assert str(error).startswith(f"{error.file}:2: extends: no parent scenario 'no_such_parent'")
    assert "a shipped name (baseline, " in str(error) and "or an existing path" in str(error)


def test_cyclic_parents_report_the_chain(tmp_path):
    a = write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "\nextends: a\n")
    error = load_error(a)
    assert str(error.file).endswith("b.yaml") and (error.line, error.key) == (2, "extends")
    assert "a.yaml -> b.yaml -> a.yaml" in str(error)


def test_a_scenario_extending_itself_is_a_cycle(tmp_path):
    error = load_error(write(tmp_path, "self.yaml", "extends: self.yaml\n"))
    assert "self.yaml -> self.yaml" in str(error) and error.key == "extends"


def test_errors_in_a_parent_name_the_parent_file_and_line(tmp_path):
    write(tmp_path, "parent.yaml", "name: p\n\nstigma:\n  baseline: 7\n")
    error = load_error(write(tmp_path, "child.yaml", "extends: parent.yaml\n"))
    assert str(error.file).endswith("parent.yaml") and (error.line, error.key) == (4, "stigma.baseline")


def test_directory_instead_of_file(tmp_path):
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    error = load_error(folder)
    assert str(error) == f"{error.file}: is a directory; expected a YAML scenario file"
    assert str(error.file).endswith("folder.yaml")


def test_missing_file(tmp_path):
    error = load_error(tmp_path / "absent.yaml")
    assert str(error.file).endswith("absent.yaml") and "no such file" in str(error) and error.expected


def test_non_utf8_bytes_name_file_and_line(tmp_path):
    error = load_error(write(tmp_path, "latin1.yaml", b"name: x\ndescription: caf\xe9\n"))
    assert str(error.file).endswith("latin1.yaml") and error.line == 2
    assert "not UTF-8 text (byte 0xe9" in str(error) and error.expected == "UTF-8 text"


def test_control_characters_are_refused(tmp_path):
    error = load_error(write(tmp_path, "bell.yaml", "name: x\ndescription: a\x07b\n"))
    assert error.line == 2 and "U+0007" in str(error)


def test_unknown_shipped_name_lists_the_choices():
    error = load_error("basline")
    assert "unknown scenario 'basline'" in str(error) and "baseline" in error.expected


def test_dict_source_errors_name_the_key_without_a_file():
    error = load_error({"supervision": {"strictness": 3}})
    assert (error.file, error.line) == (None, None)
    assert str(error) == "supervision.strictness: must be between 0 and 1 (got 3)"


def test_input_error_survives_pickling():
    error = InputError("must be between 0 and 1 (got 2)", file="x.yaml", line=3, key="a.b", expected="between 0 and 1")
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.expected) == (str(error), error.expected)
    assert str(InputError("boom", line=4)) == "line 4: boom"


def test_a_partial_offence_profile_keeps_that_profiles_defaults(tmp_path):
    path = write(tmp_path, "partial.yaml", "offending:\n  general:\n    base_hazard: 0.01\n")
    for scenario in (load_scenario(path), load_scenario("baseline", {"offending.general.base_hazard": "0.01"})):
        assert scenario.offending.general.base_hazard == 0.01
        assert scenario.offending.general.risk_dispersion == Scenario().offending.general.risk_dispersion == 0.85
        assert scenario.offending.general.desisted_share == 0.03  # the general profile's own, not the extremist 0.6


# --- NGOs and their places ---------------------------------------------------------------------


def test_ngos_sharing_fewer_places_than_there_are_ngos_offer_every_place():
    """Places are whole and shared among the NGOs (sim.rules.standing.update_places): 40 NGOs sharing 15 funded
    places (14.4 after baseline's cooperation levers) offer 14, one each from 14 of them, rather than each rounding
    its 0.36 to none; the same holds when a sweep, a robustness draw or a policy change makes the capacity that small."""
    model = ReintegrationModel("baseline", rng=1, population__community=200, population__released=50, population__ngos=40,
                               weeks=2)
    shares = model.settings.ngo.capacity * 50 / 40 * model.params.policy.places_multiplier
    assert round(shares, 3) == 0.36 and round(shares) == 0
    assert model.ngos.places.sum() == 14 and sorted(set(model.ngos.places.tolist())) == [0, 1]
    model.change_policy({"ngo.capacity": 0.05})  # 2.4 places
    assert model.ngos.places.sum() == 2
    model.change_policy({"ngo.capacity": 0.01})  # under half a place in all: none
    assert model.ngos.places.sum() == 0


def test_the_cooperation_scenarios_say_which_way_ngo_places_move():
    """Full cooperation spends NGO places (monitoring, training, prison work) and wears NGOs down; no cooperation
    spends none: their descriptions must say so, not that places stay at the baseline's."""
    from sim import ReintegrationModel

    small = {"population__community": 400, "population__released": 100, "weeks": 30}
    places = {}
    for name in ("baseline", "full_cooperation", "no_cooperation"):
        model = ReintegrationModel(name, rng=1, **small)
        for _ in range(30):
            model.step()
        places[name] = model.datacollector.get_model_vars_dataframe()["ngo_places"].iloc[-1]
    assert places["full_cooperation"] < places["baseline"] < places["no_cooperation"]
    described = dict(list_scenarios())
    assert "fewer places than in the baseline" in described["full_cooperation"]
    assert "offer a few more" in described["no_cooperation"]
    assert "stay at the baseline" not in described["full_cooperation"]


def test_family_engagement_that_would_divide_by_zero_is_refused(tmp_path):
    """With families.reference_visits and families.engagement_floor both 0 every family bond was NaN for the whole
    run (0/0), with only numpy's warnings to show for it."""
    path = write(tmp_path, "families.yaml", "name: f\nextends: baseline\nfamilies:\n  engagement_floor: 0\n"
                                            "  reference_visits: 0\n")
    error = load_error(path)
    assert (error.line, error.key) == (5, "families.reference_visits")
    assert "families.engagement_floor" in error.expected
    error = load_error("baseline", {"families.reference_visits": 0.0, "families.engagement_floor": 0.0})
    assert error.file == "--set"
    assert load_scenario("baseline", {"families.reference_visits": 0.0}).families.reference_visits == 0


def test_a_policy_change_whose_values_are_refused_together_is_refused_when_the_file_is_read(tmp_path):
    """Each value alone is valid, so the run used to stop at the event's week, after the first weeks had run."""
    path = write(tmp_path, "pc.yaml", "name: pc\nextends: baseline\nweeks: 20\nevents:\n  - kind: policy_change\n"
                                      "    week: 5\n    set:\n      families.engagement_floor: 0\n"
                                      "      families.reference_visits: 0\n")
    error = load_error(path)
    assert (error.line, error.key) == (9, "events[0].set.families.reference_visits")


FOUR_BAD_EVENTS = """\
name: four_bad
extends: baseline
weeks: 100
events:
  - {kind: media_shock, week: 10, magnitude: 0.5}
  - {kind: media_shock, week: 150, magnitude: 0.5, label: too late}
  - {kind: policy_change, week: 20, set: {supervision.strictnes: 0.9}}
  - {kind: policy_change, week: 30, set: {population.community: 500}}
  - {kind: media_shock, week: 0, magnitude: 0.5}
"""


def test_every_bad_event_of_a_file_is_listed_at_once(tmp_path, capsys):
    """Four bad events were reported one at a time (only the schema's `events[4].week: must be at least 1`, with no
    '(N more below)'): four fix-and-rerun cycles to see them all. `sim run` says what `sim validate` says."""
    from sim.cli import main

    path = write(tmp_path, "events.yaml", FOUR_BAD_EVENTS)
    error = load_error(path)
    assert [(e.line, e.key) for e in (error, *error.others)] == [
        (6, "events[1].week"), (7, "events[2].set.supervision.strictnes"), (8, "events[3].set.population.community"),
        (9, "events[4].week")]
    assert main(["validate", str(path)]) == 2
    said = capsys.readouterr().err
    with command_line():
        assert said == f"error: {error}\n"  # one line an error, each `error: FILE:LINE: KEY: ...`
    assert said.splitlines()[0].endswith("(3 more below)")
    assert "week 150 is after the last week of the run (100)" in said and "unknown key 'strictnes'" in said
    assert "can change during a run" in said and "must be at least 1 (got 0)" in said and "Traceback" not in said
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == said and not (tmp_path / "out").exists()


def test_schema_errors_and_errors_across_keys_are_listed_together(tmp_path):
    """A file with errors of the schema (a value out of range, a misspelt key) listed those, and dropped the checks
    made once the schema passes: an event after the last week, a policy change to a key fixed when the world is built."""
    path = write(tmp_path, "mixed.yaml", "name: mixed\nweeks: 100\nstigma: {baseline: 1.5}\nsupervision: {strictnes: 0.9}\n"
                                         "events:\n  - {kind: media_shock, week: 500, magnitude: 0.5}\n"
                                         "  - {kind: policy_change, week: 20, set: {population.community: 500}}\n")
    error = load_error(path)
    assert [(e.line, e.key) for e in (error, *error.others)] == [
        (3, "stigma.baseline"), (4, "supervision.strictnes"), (6, "events[0].week"), (7, "events[1].set.population.community")]
    lines = str(error).splitlines()
    assert lines[0] == f"{path}:3: stigma.baseline: must be between 0 and 1 (got 1.5) (3 more below)"
    assert "week 500 is after the last week of the run (100)" in lines[2]
    assert "is not a parameter that can change during a run" in lines[3]


def test_a_check_that_reads_a_refused_key_is_skipped_and_the_others_made(tmp_path):
    """An event's week cannot be checked against `weeks` when `weeks` is refused, nor a policy change's keys when its
    `set` is; the checks that do not read them still are, against the other keys as written."""
    path = write(tmp_path, "refused.yaml", "name: r\nweeks: 5000\nevents:\n  - {kind: media_shock, week: 500}\n"
                                           "  - {kind: policy_change, week: 20, set: {supervision.strictness: 1.5}}\n"
                                           "  - {kind: policy_change, week: 30, set: 7}\n"
                                           "families: {engagement_floor: 0, reference_visits: 0}\n")
    error = load_error(path)
    assert [(e.line, e.key) for e in (error, *error.others)] == [
        (2, "weeks"), (5, "events[1].set.supervision.strictness"), (6, "events[2].set"), (7, "families.reference_visits")]
    assert "week 500" not in str(error)


def test_names_written_from_a_longest_name_stay_valid():
    """calibrate's NAME_calibrated and optimise's NAME_best_1 are cut to stay within the name's 100 characters, so the
    files they write load."""
    from sim.scenarios.scenario_name import NAME_LENGTH, derived_name

    longest = "y" * NAME_LENGTH
    for suffix in ("_calibrated", "_best_1"):
        name = derived_name(longest, suffix)
        assert name.endswith(suffix) and load_scenario({"name": name}).name == name
    assert derived_name("baseline", "_calibrated") == "baseline_calibrated"
    # cut in bytes, and never inside a letter: 50 two-byte letters leave room for 44 of them before "_calibrated"
    name = derived_name("é" * 50, "_calibrated")
    assert name == "é" * 44 + "_calibrated" and load_scenario({"name": name}).name == name


# --- values a file marks fitted ---------------------------------------------------------------------------------------

GENERAL_FITTED = {"release.licence_weeks", "release.licence_spread", "release.court_delay_weeks",
                  "release.imprisonment_share", "supervision.offence_recall", "offending.general.base_hazard",
                  "offending.general.desisted_share", "supervision.breach_rate"}
"""The general_offenders values fitted to the BJS 2005 cohort (docs/VALIDATION.md, "Calibration")."""


def test_general_offenders_marks_the_values_fitted_to_the_bjs_curves_with_their_source(capsys):
    scenario = load_scenario("general_offenders")
    assert set(scenario.fitted) == GENERAL_FITTED
    assert scenario.fit_of("supervision.breach_rate") == ("fitted in general_offenders.yaml to the BJS 2005 monthly "
                                                          "arrest and return-to-prison curves, by sim calibrate")
    assert scenario.fit_of("release.court_delay_weeks").startswith("fitted in general_offenders.yaml to the BJS 2005 "
                                                                   "return-hazard shape")
    assert scenario.fit_of("stigma.baseline") is None and not load_scenario("baseline").fitted
    # the marks are not values of the run: a result's record and fingerprint leave them out
    assert "fitted" not in scenario.model_dump()
    from sim.cli import main  # sim validate lists them, each with its value and its fit

    assert main(["validate", "general_offenders"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0] == "ok  general_offenders  (general_offenders: 1000 released, 261 weeks)"
    assert ("    release.imprisonment_share = 0.11: fitted in general_offenders.yaml to the BJS 2005 return-hazard shape "
            "and cumulative curves, by hand") in said and len(said) == 1 + len(GENERAL_FITTED)


def test_validate_lists_the_fitted_values_an_experiments_runs_hold(tmp_path, capsys):
    """An experiment on general_offenders listed none of the values its every run holds at the BJS fit (sim sensitivity
    and sim sweep vary only the factors): those it does not vary as factors, nor set in its overrides, are listed."""
    from sim.cli import main

    path = write(tmp_path, "e.yaml", "name: e\nscenario: general_offenders\noverrides: {release.imprisonment_share: 0.2}\n"
                                     "design:\n  kind: grid\n  factors:\n    supervision.breach_rate: [0.005, 0.01]\n")
    assert main(["validate", str(path)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0].startswith("ok  ") and len(said) == 1 + len(GENERAL_FITTED) - 2
    assert ("    supervision.offence_recall = 0.14: fitted in general_offenders.yaml to the BJS 2005 return-hazard shape "
            "and cumulative curves, by hand") in said
    assert not any("breach_rate" in line or "imprisonment_share" in line for line in said)


def test_a_child_keeps_its_parents_fitted_marks_unless_it_sets_the_value_again(tmp_path):
    """A value set again (in a child file, with --set, or by overrides from Python) is no longer the fit."""
    child = write(tmp_path, "child.yaml", "name: child\nextends: general_offenders\nsupervision: {breach_rate: 0.008, "
                                          "strictness: 0.7}\nfitted: {supervision.strictness: my own fit}\n")
    scenario = load_scenario(child)
    assert set(scenario.fitted) == GENERAL_FITTED - {"supervision.breach_rate"} | {"supervision.strictness"}
    assert scenario.fit_of("supervision.strictness") == "fitted in child.yaml to my own fit"
    assert scenario.fit_of("release.imprisonment_share").startswith("fitted in general_offenders.yaml")
    given = load_scenario("general_offenders", {"release.imprisonment_share": "0.2"})
    assert set(given.fitted) == GENERAL_FITTED - {"release.imprisonment_share"}
    again = load_scenario(load_scenario("general_offenders"), {"release": {"court_delay_weeks": 4}})
    assert set(again.fitted) == GENERAL_FITTED - {"release.court_delay_weeks"}
    assert again.fit_of("supervision.breach_rate").startswith("fitted in general_offenders.yaml")


def test_a_fitted_mark_on_what_is_not_a_parameter_or_not_set_in_that_file_is_refused_with_every_other_error(tmp_path):
    path = write(tmp_path, "bad.yaml", "name: bad\nextends: general_offenders\nstigma: {baseline: 1.5}\n"
                                       "supervision: {strictness: 0.7}\nfitted:\n"
                                       "  supervision.strictness: BJS\n"
                                       "  release.imprisonment_shar: BJS\n"
                                       "  supervision.caseload: BJS\n"
                                       "  ngo.capacity: BJS\n"
                                       "  release: BJS\n"
                                       "  stigma.baseline: 3\n")
    error = load_error(path)
    assert [(e.line, e.key) for e in (error, *error.others)] == [
        (3, "stigma.baseline"), (7, "fitted.release.imprisonment_shar"), (8, "fitted.supervision.caseload"),
        (9, "fitted.ngo.capacity"), (10, "fitted.release"), (11, "fitted.stigma.baseline")]
    lines = str(error).splitlines()
    assert lines[1] == (f"error: {path}:7: fitted.release.imprisonment_shar: is not a parameter: unknown key "
                        "'imprisonment_shar' (did you mean 'imprisonment_share'?)")
    assert lines[2].startswith(f"error: {path}:8: fitted.supervision.caseload: is marked fitted, but {path} does not set "
                               "supervision.caseload (its value comes from ")
    assert lines[2].endswith("general_offenders.yaml) (expected a parameter this file sets, with the data or "
                             "calibration it was fitted to, e.g. release.imprisonment_share: BJS 2005 curves)")
    assert f"{path} does not set ngo.capacity (it has its default)" in lines[3]
    assert "fitted.release: is not a parameter (a section of them)" in lines[4]
    assert "fitted.stigma.baseline: expected text (got 3)" in lines[5]
    with command_line():  # on the command line: one message, exit 2, no traceback
        from sim.cli import main
        assert main(["validate", str(path)]) == 2


def test_one_walk_reads_a_value_and_whether_a_file_sets_it():
    """The loader asked whether a file sets a key with a walk of its own, beside ``value_at``'s: one walk does both.
    Raw data that stop short of a key (absent, or a value where a section should be) give ``MISSING`` when asked for
    it; a key set to null is set; without a default a missing key still raises, as a validated scenario never has one."""
    from sim.scenarios.fields import MISSING, value_at
    from sim.scenarios.loader import _sets

    raw = {"supervision": {"strictness": 0.7, "caseload": None}, "stigma": 0.5}
    assert value_at(raw, ("supervision", "strictness"), MISSING) == 0.7
    assert value_at(raw, ("supervision", "caseload"), MISSING) is None  # null is a value the file sets
    for path in (("supervision", "breach_rate"), ("ngo", "capacity"), ("stigma", "baseline"), ("stigma", "real")):
        assert value_at(raw, path, MISSING) is MISSING, path
        assert not _sets(raw, path), path
    assert _sets(raw, ("supervision", "caseload")) and _sets(raw, ("supervision",))
    with pytest.raises(KeyError):
        value_at(raw, ("ngo", "capacity"))
    scenario = load_scenario("baseline")
    assert value_at(scenario, ("supervision", "strictness"), MISSING) == scenario.supervision.strictness
    assert value_at(scenario.model_dump(), ("supervision", "strictness")) == scenario.supervision.strictness
