"""The keys of an experiment file (``ExperimentFile``) and its four designs, and how their errors are worded.

The schema only says which keys and values an experiment file may hold; what they mean (a factor is a scenario
parameter, a value within its range, an output the runs keep) is checked in ``sim.experiments.experiment_checks``.
``WORDS`` is what ``sim.scenarios.explain`` needs to word this schema's errors as it words a scenario file's.
"""


from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.fields import FieldInfo

from sim.scenarios.explain import Said, Words
from sim.scenarios.fields import fmt
from sim.scenarios.safe_yaml import KeyPath
from sim.streams import MAX_FILE_SEED

Scalar = bool | int | float | str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Range(_Strict):
    """A continuous factor: sampled between ``low`` and ``high``."""

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low < self.high:
            raise ValueError(f"low must be below high (got low {fmt(self.low)}, high {fmt(self.high)})")
        return self


class GridDesign(_Strict):
    """Every combination of the listed values (the last factor varies fastest)."""

    kind: Literal["grid"]
    factors: dict[str, Annotated[list[Scalar], Field(min_length=1)]] = Field(min_length=1)


class LhsDesign(_Strict):
    """``samples`` points of a Latin hypercube over the factor ranges."""

    kind: Literal["lhs"]
    factors: dict[str, Range] = Field(min_length=1)
    samples: int = Field(ge=1, le=1_000_000)


class SobolDesign(_Strict):
    """SALib's Sobol' sequence (Saltelli scheme): ``samples`` x (factors + 2) points, for first and total indices."""

    kind: Literal["sobol"]
    factors: dict[str, Range] = Field(min_length=2)
    samples: int = Field(ge=2, le=1_048_576)

    @field_validator("samples")
    @classmethod
    def _power_of_two(cls, samples: int) -> int:
        if samples & (samples - 1):
            raise ValueError("must be a power of 2 for a Sobol' design (SALib's sampler)")
        return samples


class MorrisDesign(_Strict):
    """Morris elementary effects: ``samples`` trajectories of (factors + 1) points on a ``levels`` grid."""

    kind: Literal["morris"]
    factors: dict[str, Range] = Field(min_length=2)
    samples: int = Field(ge=2, le=100_000)
    levels: int = Field(4, ge=2, le=100)


Design = Annotated[GridDesign | LhsDesign | SobolDesign | MorrisDesign, Field(discriminator="kind")]


DESIGN_KINDS = {"grid": GridDesign, "lhs": LhsDesign, "sobol": SobolDesign, "morris": MorrisDesign}


class ExperimentFile(_Strict):
    """The keys of an experiment file (see docs/EXPERIMENTS.md)."""

    name: str = Field(min_length=1)
    description: str = ""
    scenario: str = Field(min_length=1)
    seed: int | None = Field(None, ge=0, le=MAX_FILE_SEED, strict=True)  # as a scenario file's seed
    replicates: int = Field(1, ge=1, le=100_000, strict=True)  # not `true` (1) or "2", as a scenario file's numbers
    common_random_numbers: bool = Field(False, strict=True)  # not "yes"
    overrides: dict[str, Any] = Field(default_factory=dict)
    outputs: list[str] | None = Field(None, min_length=1)
    design: Design


_SCALARS = ("bool", "int", "float", "str")  # the union a grid's value may be, as pydantic names its members


def _own_words(error: dict, path: KeyPath, kind_tag: str | None) -> Said | None:
    """The cases of an experiment file only: a grid's value of no scalar type, a range where a list was given, and
    too few factors, values or characters, in the words of what they are for."""
    kind = error["type"]
    if path[:2] == ("design", "factors") and len(path) > 3 and isinstance(path[-2], int) and path[-1] in _SCALARS:
        # one value of a grid's list failed every scalar type of the union: one error, not one per type
        expected = "a number, true or false, or text"
        return path[:-1], f"expected one value per item: {expected} (got {fmt(error.get('input'))})", expected
    if kind in ("model_type", "dict_type") and path[:2] == ("design", "factors"):
        return (path, "expected a range {low: .., high: ..} for this design kind (a grid takes a list)",
                "{low: .., high: ..}")
    if kind in ("too_short", "string_too_short"):
        return (path, *_too_few(path, kind_tag, error))
    return None


_DESIGN_NAMES = {"grid": "a grid", "lhs": "a Latin hypercube", "sobol": "a Sobol'", "morris": "a Morris"}


_FACTORS_WHY = {"sobol": ": its indices share out each output's variance between the factors",
                "morris": ": its elementary effects rank the factors against each other"}


_EMPTY_TEXT = {"name": "a name for the experiment's report and manifest",
               "scenario": "a shipped scenario's name or a path to a scenario file"}


def _too_few(path: KeyPath, kind_tag: str | None, error: dict) -> tuple[str, str]:
    """(message, expected) of a list, mapping or text shorter than the schema's least (pydantic's too_short and
    string_too_short), in the words of what it holds: pydantic's 'Dictionary should have at least 2 items after
    validation, not 1' named neither factors nor the design that needs them."""
    if error["type"] == "string_too_short":
        return f"must not be empty (got {fmt(error.get('input'))})", _EMPTY_TEXT.get(str(path[-1]), "non-empty text")
    need, got = error["ctx"]["min_length"], error["ctx"].get("actual_length") or 0
    counted = f"at least {need} %s{'s' if need > 1 else ''} (got {got or 'none'})"
    if path == ("outputs",):
        return "needs " + counted % "output", "summary metrics of the runs, or no outputs key for the defaults"
    if path == ("design", "factors"):
        message = f"{_DESIGN_NAMES.get(kind_tag, 'a')} design needs {counted % 'factor'}{_FACTORS_WHY.get(kind_tag, '')}"
        return message, (f"{need} or more factors, or a grid or lhs design to vary fewer" if need > 1 else
                         "a scenario parameter to vary, with its values")
    return f"a grid factor needs {counted % 'value'}", "the values to run, such as [0.2, 0.8]"


def _allowed(path: KeyPath, data: Any, kind: str | None) -> list[str]:
    """The keys allowed at `path`; a design's depend on its kind."""
    if path == ():
        return list(ExperimentFile.model_fields)
    if path == ("design",):
        return list(DESIGN_KINDS[kind].model_fields) if kind else ["kind", "factors", "samples", "levels"]
    if len(path) == 3 and path[:2] == ("design", "factors"):
        return ["low", "high"]
    return []


def _field(path: KeyPath, data: Any, kind: str | None) -> FieldInfo | None:
    """The field at `path`, whose bounds say its range: a top-level key's, or its design kind's."""
    if len(path) == 1:
        return ExperimentFile.model_fields.get(str(path[0]))
    if len(path) == 2 and path[0] == "design" and kind:
        return DESIGN_KINDS[kind].model_fields.get(str(path[1]))
    return None


WORDS = Words(union="design", union_at=("design",), kinds=tuple(DESIGN_KINDS), keys=_allowed, field=_field,
              own=_own_words, inserted=frozenset({"Range"}))
"""An experiment file's words for ``sim.scenarios.explain``: its design is the union, told apart by its kind."""
