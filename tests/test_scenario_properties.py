"""Property tests over the whole schema: valid values round-trip, invalid ones are named precisely."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sim.errors import InputError
from sim.scenarios import Scenario, apply_overrides, load_scenario
from sim.scenarios.fields import bounds, is_model, parameters
from sim.scenarios.safe_yaml import dotted
from sim.scenarios.schema import Scenario as SchemaRoot

BASE = Scenario()
NUMERIC = [(dotted(path), info) for path, info, _ in parameters() if info.annotation in (int, float)]
SECTIONS: list[tuple[tuple[str, ...], type]] = [((), SchemaRoot)]
for _path, _ in [(p, i) for p, i, _ in parameters()]:
    for _end in range(1, len(_path)):
        _prefix = _path[:_end]
        if _prefix not in [s for s, _ in SECTIONS]:
            _model = SchemaRoot
            for _part in _prefix:
                _model = _model.model_fields[_part].annotation
            assert is_model(_model)
            SECTIONS.append((_prefix, _model))

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FILES = settings(FAST, max_examples=30)  # each example writes a temporary file


def get(scenario: Scenario, key: str):
    value = scenario
    for part in key.split("."):
        value = getattr(value, part)
    return value


def in_range(info) -> st.SearchStrategy:
    b = bounds(info)
    low, high = b.get("ge", b.get("gt")), b["le"]
    if info.annotation is int:
        return st.integers(min_value=low + ("gt" in b), max_value=high)
    return st.floats(min_value=low, max_value=high, exclude_min="gt" in b, allow_nan=False)


def out_of_range(info) -> st.SearchStrategy:
    b = bounds(info)
    low, high = b.get("ge", b.get("gt")), b["le"]
    if info.annotation is int:
        return st.integers(max_value=low - ("ge" in b)) | st.integers(min_value=high + 1)
    below = st.floats(max_value=low, exclude_max="ge" in b, allow_nan=False)
    return below | st.floats(min_value=high, exclude_min=True, allow_nan=False)


valid_pair = st.sampled_from(NUMERIC).flatmap(lambda ki: st.tuples(st.just(ki[0]), in_range(ki[1])))
invalid_pair = st.sampled_from(NUMERIC).flatmap(lambda ki: st.tuples(st.just(ki[0]), out_of_range(ki[1])))


@FAST
@given(valid_pair)
def test_any_in_range_value_round_trips(pair):
    key, value = pair
    changed = apply_overrides(BASE, {key: value})
    assert get(changed, key) == value and type(get(changed, key)) is type(value)
    assert apply_overrides(BASE, {key.replace(".", "__"): value}) == changed
    assert apply_overrides(BASE, {key: repr(value)}) == changed  # as typed on the command line


@FAST
@given(invalid_pair)
def test_any_out_of_range_value_is_rejected_naming_the_key(pair):
    key, value = pair
    try:
        apply_overrides(BASE, {key: value})
    except InputError as error:
        assert error.key == key
        assert str(error).startswith(f"overrides: {key}: must be ")  # from Python; --set on the command line
    else:
        raise AssertionError(f"{key}={value!r} was accepted")


identifier = st.from_regex(r"[a-z][a-z0-9]{0,5}(_[a-z0-9]{1,6}){0,2}", fullmatch=True)


@FAST
@given(st.sampled_from(SECTIONS), identifier)
def test_unknown_keys_are_rejected(section, name):
    prefix, model = section
    if name in model.model_fields:
        return
    key = ".".join((*prefix, name))
    try:
        apply_overrides(BASE, {key: 1})
    except InputError as error:
        assert error.key == key and f"unknown key '{name}'" in str(error)
    else:
        raise AssertionError(f"{key} was accepted")
    nested: dict = {name: 1}
    for part in reversed(prefix):
        nested = {part: nested}
    try:
        load_scenario(nested)
    except InputError as error:
        assert error.key == key and "unknown key" in str(error)
    else:
        raise AssertionError(f"{key} was accepted in a mapping")


@FILES
@given(st.lists(valid_pair, min_size=1, max_size=8, unique_by=lambda kv: kv[0]))
def test_yaml_written_from_valid_overrides_loads_to_the_same_values(pairs):
    document: dict = {}
    for key, value in pairs:
        node = document
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    # refused together though each value is valid (tests/test_scenarios.py)
    assume(dict(pairs).get("families.reference_visits", 1) or dict(pairs).get("families.engagement_floor", 1))
    drawn = apply_overrides(BASE, dict(pairs))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.yaml"
        path.write_text(yaml.safe_dump(document), encoding="utf-8")
        loaded = load_scenario(path)
    for key, value in pairs:
        assert get(loaded, key) == value
    assert loaded.model_copy(update={"name": BASE.name}) == drawn
