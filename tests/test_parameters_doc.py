"""docs/PARAMETERS.md is generated from the schema and must be current; every parameter is documented."""

from __future__ import annotations

import pytest

from sim.scenarios import Scenario
from sim.scenarios.docs import DOC_PATH, main, render_parameters_markdown, status
from sim.scenarios.fields import EVENT_MODELS, parameters
from sim.scenarios.safe_yaml import dotted

LEAVES = [(dotted(path), info) for path, info, _ in parameters()]
EVENT_FIELDS = [(f"{kind}.{name}", info) for kind, model in EVENT_MODELS.items() for name, info in model.model_fields.items()]


def test_parameters_doc_is_current():
    assert DOC_PATH.is_file(), "run: python -m sim.scenarios.docs"
    assert DOC_PATH.read_text(encoding="utf-8") == render_parameters_markdown(), "run: python -m sim.scenarios.docs"
    assert main(["--check"]) == 0


def test_check_flags_a_stale_file(tmp_path, capsys):
    stale = tmp_path / "PARAMETERS.md"
    stale.write_text("old\n", encoding="utf-8")
    assert main(["--check", "--output", str(stale)]) == 1
    assert "stale" in capsys.readouterr().err
    assert main(["--output", str(stale)]) == 0
    assert main(["--check", "--output", str(stale)]) == 0


@pytest.mark.parametrize(("key", "info"), LEAVES + EVENT_FIELDS, ids=[k for k, _ in LEAVES + EVENT_FIELDS])
def test_every_leaf_field_has_meaning_unit_and_source(key, info):
    extra = info.json_schema_extra
    assert isinstance(extra, dict), key
    assert str(extra.get("unit", "")).strip(), f"{key} has no unit"
    assert str(extra.get("source", "")).strip(), f"{key} has no source"
    assert (info.description or "").strip(), f"{key} has no description"


def test_every_parameter_has_a_row_in_the_doc():
    text = render_parameters_markdown()
    for key, _ in LEAVES:
        assert f"| `{key}` |" in text, key
    for kind in EVENT_MODELS:
        assert f"## Event `{kind}`" in text


def test_defaults_are_valid_under_the_strict_rules_the_loader_uses():
    Scenario.model_validate(Scenario().model_dump(), strict=True)


@pytest.mark.parametrize(
    ("source", "expected"),
    [("calibrated: BJS 2005", "calibrated"), ("calibrated", "calibrated"), ("assumed: a guess", "assumed"),
     ("Pager 2003", "source"), ("the brief, objective 1", "source")],
)
def test_status_is_derived_from_the_source_text(source, expected):
    assert status(source) == expected


def test_the_doc_says_which_assumptions_robustness_draws_and_from_where():
    """README and the ODD promise that sim robustness draws the assumed parameters over their plausible ranges:
    the table shows each range it draws, and says which assumptions it holds fixed."""
    from sim.experiments.robustness import assumptions
    from sim.scenarios.fields import fmt

    rows = {line.split(" | ")[0].strip("| `"): line for line in render_parameters_markdown().splitlines()
            if line.startswith("| `")}
    drawn = assumptions([Scenario()])
    assert len(drawn) > 100
    for key, (low, high) in drawn.items():
        assert f"| assumed | {fmt(low)} to {fmt(high)} |" in rows[key], key
    for key in ("effects.commitment", "release.licence_weeks", "population.ngos"):  # assumed, no plausible range
        assert "| assumed | not drawn |" in rows[key], key
    assert "| calibrated |  |" in rows["offending.violent_extremist.base_hazard"]


PROFILE_STATUS = {  # each offender profile says where its own numbers come from
    "base_hazard": ("calibrated", "calibrated"),
    "risk_dispersion": ("calibrated", "assumed"),
    "desisted_share": ("calibrated", "assumed"),
    "commitment": ("assumed", "assumed"),
    "needs": ("assumed", "assumed"),
    "terrorism_share": ("assumed", "calibrated"),
    "terrorism_commitment": ("assumed", "assumed"),
    "terrorism_engagement": ("assumed", "assumed"),
}


@pytest.mark.parametrize("name", PROFILE_STATUS)
def test_each_offender_profile_states_its_own_provenance(name):
    """The two profiles share their fields' words but not where their numbers come from: the violent extremists'
    risk dispersion and desisted share are no BJS 2005 fit (a general cohort), and the general offenders' terrorism
    share of 0 is no calibration. What is assumed has a plausible range, so robustness draws it."""
    from sim.scenarios.fields import metadata, robustness_range
    from sim.scenarios.profiles import PER_PROFILE

    infos = dict(((dotted(path), (path, info)) for path, info, _ in parameters()))
    for profile, expected in zip(("general", "violent_extremist"), PROFILE_STATUS[name], strict=True):
        path, info = infos[f"offending.{profile}.{name}"]
        source = metadata(info)["source"]
        assert source != PER_PROFILE and status(source) == expected, (profile, name, source)
        assert (robustness_range(path, info) is not None) == (expected == "assumed"), (profile, name)
    extremist = metadata(infos[f"offending.violent_extremist.{name}"][1])["source"]
    assert "general offenders" not in extremist or "as for general offenders" in extremist, extremist
    assert "BJS 2005" not in extremist or "calibrated to BJS 2005" in extremist, extremist


def test_a_default_that_is_not_the_calibrated_value_says_so_and_names_the_fit():
    """The general_offenders scenario sets the values fitted to BJS 2005; a schema default that differs from the fit
    says so and names it, rather than passing for the fit ('calibrated: BJS 2005' on a default of 0.25 fitted at 0.11).
    Read by the violent-extremist cohort, for which nothing was fitted, it is an assumption robustness draws."""
    from sim.scenarios import load_scenario
    from sim.scenarios.fields import metadata, resolve_key, robustness_range, value_at

    fitted, default = load_scenario("general_offenders"), Scenario()
    for key in ("release.imprisonment_share", "release.court_delay_weeks", "supervision.breach_rate",
                "offending.general.base_hazard", "offending.general.desisted_share"):
        path, info = resolve_key(key)
        fit = value_at(fitted, path)
        assert fit != value_at(default, path), key
        source = metadata(info)["source"]
        assert "the default here is not the fit" in source and f", {fit:g}," in source, (key, source)
        if path[0] != "offending":  # read in the violent-extremist baseline too
            assert status(source) == "assumed" and robustness_range(path, info) is not None, key
            low, high = robustness_range(path, info)
            assert low <= min(fit, value_at(default, path)) and max(fit, value_at(default, path)) <= high, key
    court_delay = metadata(resolve_key("release.court_delay_weeks")[1])["source"]  # the peak is the fit's doing
    assert court_delay.index(", 9,") < court_delay.index("there, with recalls, it gives the return hazard its peak")


def test_prison_visits_is_an_assumption_whose_range_covers_the_study():
    from sim.scenarios.fields import metadata, resolve_key, robustness_range

    path, info = resolve_key("prison.visits")
    assert status(metadata(info)["source"]) == "assumed" and "Duwe & Clark 2013" in metadata(info)["source"]
    low, high = robustness_range(path, info)
    assert low <= 0.5 <= high and low <= 0.61 <= high


@pytest.mark.parametrize(("key", "info"), LEAVES + EVENT_FIELDS, ids=[k for k, _ in LEAVES + EVENT_FIELDS])
def test_an_assumed_default_says_why(key, info):
    """Provenance: a default that is an assumption says what it rests on ("assumed: <why>"), never "assumed" alone."""
    source = str(info.json_schema_extra.get("source", "")).strip()
    if status(source) == "assumed":
        reason = source.partition(":")[2].strip()
        assert len(reason.split()) >= 4, f"{key}: '{source}' does not say why"


def _doc(key: str) -> tuple[str, str]:
    info = dict(LEAVES)[key]
    return info.description, info.json_schema_extra["unit"]


def _released_model(**overrides):
    from sim import ReintegrationModel

    model = ReintegrationModel("baseline", rng=1, population__community=400, population__released=100, weeks=2,
                               release__window_weeks=0, **overrides)
    model.step()
    return model


def test_words_and_units_say_what_the_rules_do_with_the_value():
    """Each wording below once said something the rules do not do."""
    # a hazard, not a probability: the weekly chance is 1 - exp(-hazard)
    doc, unit = _doc("offending.violent_extremist.base_hazard")
    assert "hazard" in unit and "probability" not in unit and "1 - exp(-hazard)" in doc
    # the initial willingness does not scale the places offered at the start; only its later fall does (the same
    # weekly erosion is a larger fall from 0.2 than from 0.8)
    from sim import ReintegrationModel

    built = [ReintegrationModel("baseline", rng=1, population__community=400, population__released=100,
                                ngo__willingness=w) for w in (0.2, 0.8)]
    assert built[0].ngos.places.sum() == built[1].ngos.places.sum() > 0
    for model in built:
        model.step()
    assert built[0].ngos.places.sum() < built[1].ngos.places.sum()
    doc, _ = _doc("ngo.willingness")
    assert "relative to this value" in doc and "it scales the places they offer" not in doc
    # the profile's commitment is a mean only up to 0.5: draws are uniform on [0, 2 x mean], capped at 1
    model = _released_model(offending__violent_extremist__commitment=0.8, prison__programmes=0.0,
                            cooperation__custodial_interventions=0.0)
    assert 0.65 < model.cohort.commitment.mean() < 0.72
    for key in ("offending.violent_extremist.commitment", "offending.violent_extremist.needs"):
        assert "capped at 1" in _doc(key)[0], key
    # dialogue reach is reached at full campaign intensity, which full mobilisation alone does not give
    assert "full capacity and mobilisation" not in _doc("ngo.dialogue_reach")[0]
    # no rule reads the price year: sim compare refuses differences across price levels, and what readers see names it
    readers = [p for p in (DOC_PATH.parents[1] / "sim").rglob("*.py") if "price_year" in p.read_text(encoding="utf-8")]
    assert sorted(p.name for p in readers) == ["acceptability.py", "comparison.py", "cost_parameters.py", "costs.py",
                                              "optimise_figures.py", "optimise_words.py", "robustness.py",
                                              "robustness_figures.py", "robustness_results.py",
                                              "robustness_words.py"]  # each only to say the prices' year
    assert "No rule reads it" in _doc("costs.price_year")[0] and "sim compare and sim robustness refuse" in _doc("costs.price_year")[0]


@pytest.mark.parametrize(("key", "info"), LEAVES, ids=[k for k, _ in LEAVES])
def test_a_default_whose_size_is_assumed_is_marked_assumed(key, info):
    """Status 'source' promises the default is taken from the reference named; a reference that gives only the
    direction leaves the size an assumption, which robustness must be able to draw."""
    source = str(info.json_schema_extra.get("source", ""))
    if status(source) == "source":
        assert not any(word in source for word in ("size assumed", "size chosen", "assumed")), f"{key}: {source}"


def test_the_odd_names_policy_quantities_apart_from_the_parameters_they_are_built_from():
    """`Policy.contact_quality` is lever_effects.contact_quality_base + lever_effects.contact_quality x campaigns:
    the ODD wrote it bare, which reads as the lever_effects parameter. Policy names it uses must exist, and a
    Policy quantity sharing a parameter's name is never written bare."""
    import dataclasses
    import re

    from sim.levers import Policy

    odd = (DOC_PATH.parent / "ODD.md").read_text(encoding="utf-8")
    odd = odd[odd.index("## 7. Submodels"):odd.index("## 8.")]  # the rules (section 2 lists agents' own states)
    policy = {field.name for field in dataclasses.fields(Policy)}
    for name in re.findall(r"Policy\.(\w+)", odd):
        assert name in policy, name
    leaves = {key.rsplit(".", 1)[-1] for key, _ in LEAVES}
    for name in policy & leaves:
        assert f"`{name}`" not in odd, f"docs/ODD.md writes `{name}` bare: Policy.{name} or the parameter?"


NAME_WORDS = 60  # characters of a parameter's own name (``name=``); a profile's adds whose it is


def test_every_parameter_has_a_name_a_report_never_has_to_cut():
    """sim robustness names an assumption in a PRIM box's sentence and figures name it on an axis; both cut a name
    longer than NAME_ROOM with ' …' ('chance that an NGO offers each of the services employment, housing, …'). Every
    parameter's name (``key_name``) fits: a first sentence of its words longer than a name is given one (``name=``),
    short and in plain words (no key, no formula)."""
    from sim.experiments.robustness_words import NAME_ROOM
    from sim.scenarios.fields import metadata, words_of
    from sim.scenarios.names import KEY_NAMES, key_name

    too_long = {key: key_name(key) for key, _ in LEAVES if not 0 < len(key_name(key)) <= NAME_ROOM}
    assert not too_long, f"name these parameters in at most {NAME_ROOM} characters (name=...): {too_long}"
    unnamed = [key for key, info in LEAVES
               if len(words_of(key)) > NAME_WORDS and "name" not in metadata(info) and key not in KEY_NAMES]
    assert not unnamed, f"their first sentence is no name; give them a name=: {unnamed}"
    for key, info in LEAVES:
        name = metadata(info).get("name")
        if name is not None:
            assert 0 < len(name) <= NAME_WORDS and name == name.strip() and name[0].isupper(), (key, name)
            assert not any(mark in name for mark in ("_", "(", "=", " x ", "..", "…")) and not name.endswith("."), \
                (key, name)


def test_no_two_parameters_share_a_name():
    """A PRIM box naming 'Mean commitment at release' could mean either offender profile's: every parameter's name is
    its own (the two profiles share their fields, so ``key_name`` says whose a profile's parameter is)."""
    from collections import defaultdict

    from sim.scenarios.names import key_name

    holders: dict[str, list[str]] = defaultdict(list)
    for key, _ in LEAVES:
        holders[key_name(key).lower()].append(key)
    assert not {name: keys for name, keys in holders.items() if len(keys) > 1}
    assert key_name("offending.general.commitment") == "Mean commitment at release, before programmes (general offenders)"
    assert key_name("offending.violent_extremist.commitment").endswith(" (violent extremists)")


def test_a_parameter_is_named_by_the_table_then_its_name_then_its_first_sentence(monkeypatch):
    from sim.scenarios.behaviour import Reintegration
    from sim.scenarios.fields import words_of
    from sim.scenarios.names import key_name
    from sim.scenarios.settings import Ngo, Stigma

    assert key_name("ngo.dialogue_reach") == "Weekly community reach of NGO dialogue campaigns" != words_of("ngo.dialogue_reach")
    assert key_name("reintegration.recall_housing_loss") == words_of("reintegration.recall_housing_loss") == \
        "Chance of losing stable housing on recall"  # short words need no name
    monkeypatch.setitem(Reintegration.model_fields["recall_housing_loss"].json_schema_extra, "name", "Housing lost on recall")
    assert key_name("reintegration.recall_housing_loss") == "Housing lost on recall"
    monkeypatch.setitem(Ngo.model_fields["dialogue_reach"].json_schema_extra, "name", "Reach of NGO campaigns")
    assert key_name("ngo.dialogue_reach") == "Reach of NGO campaigns"
    monkeypatch.setitem(Stigma.model_fields["baseline"].json_schema_extra, "name", "Not the lever's name")
    assert key_name("stigma.baseline") == "Community stigma at the start"  # the levers' table comes first
    assert key_name("not.a.key") == ""


def test_the_doc_gives_each_parameter_its_name_where_its_first_sentence_is_not_it():
    rows = {line.split(" | ")[0].strip("| `"): line for line in render_parameters_markdown().splitlines()
            if line.startswith("| `")}
    assert "| **Weekly community reach of NGO dialogue campaigns.** Share of the community NGO dialogue campaigns reach" \
        in rows["ngo.dialogue_reach"]
    assert "| **Base weekly hazard of a new offence (violent extremists).** Weekly new-offence hazard" \
        in rows["offending.violent_extremist.base_hazard"]
    assert "| **Community stigma at the start.** Initial mean" in rows["stigma.baseline"]
    assert "| Chance of losing stable housing on recall. |" in rows["reintegration.recall_housing_loss"]  # no name twice


def test_no_parameter_s_name_begins_with_a_lever_s_number():
    """Seven lever effects had no name, so reports named them by their words' first sentence, which begins with the
    lever's number: robustness.md's PRIM box read '...between 0.0204 and 0.0385; 5: accuracy of assessment without
    civil-society input is between ...', a stray numeral in a list (and 'Weight of objective 9' named an objective a
    reader was never given). A lever's own name is said 'lever 7, NGOs ...' (``name_in_text``); every other name
    begins with words."""
    from sim.scenarios.names import name_in_text

    numbered = {key: name_in_text(key) for key, _ in LEAVES if name_in_text(key)[:1].isdigit()}
    assert not numbered, f"give these parameters a name= in words: {numbered}"
    assert not [key for key, _ in LEAVES if "objective " in name_in_text(key).lower()]
