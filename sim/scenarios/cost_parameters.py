"""Unit costs that turn what a run records into money (``sim/costs.py`` applies them); they change no behaviour."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from sim.scenarios.parameter_fields import ASSUMED, Section, parameter

MOJ_COSTS = "Ministry of Justice, 'Costs per place and costs per prisoner' (HMPPS Annual Report and Accounts, Management Information Addendum)"


def _cost(
    default: float, *, source: str, doc: str, plausible: tuple[float, float], unit: str = "GBP", name: str | None = None,
) -> Any:
    return parameter(default, ge=0, le=10_000_000, unit=unit, source=source, doc=doc, plausible=plausible, name=name)


def _lever_cost(default: float, what: str) -> Any:
    return _cost(
        default, unit="GBP per released person per week at full level", plausible=(0.25 * default, 4 * default),
        source=f"{ASSUMED}: no published unit cost for this form of cooperation; priced as {what}",
        doc="Running cost of this cooperation lever at full level (1), per released person per week; it scales with the lever's level.",
    )


class LeverCosts(Section):
    """Running cost of each of the ten cooperation levers at full level; a lever at 0.3 costs 0.3 of it."""

    policy_input: float = _lever_cost(0.5, "a few consultation days a year shared over the cohort")
    prison_monitoring: float = _lever_cost(2.0, "independent monitoring visits to the prisons holding the cohort")
    community_mobilization: float = _lever_cost(3.0, "community organisers' time")
    staff_training: float = _lever_cost(2.0, "training days for prison and probation staff")
    assessment: float = _lever_cost(1.0, "specialist input to risk and needs assessments")
    custodial_interventions: float = _lever_cost(10.0, "in-prison programme sessions delivered by NGOs")
    community_interventions: float = _lever_cost(5.0, "family support workers during custody")
    reintegration_support: float = _lever_cost(10.0, "through-the-gate caseworkers (jobs, housing, mentoring)")
    supervision_partnership: float = _lever_cost(3.0, "NGO staff time in supervision meetings")
    stigma_reduction: float = _lever_cost(3.0, "public campaigns and community dialogue")


class Costs(Section):
    """Unit costs that turn what a run records into money (``sim/costs.py``). They do not change behaviour."""

    currency: str = parameter("GBP", unit="ISO 4217 code", source="set by the scenario author", doc="Currency of every cost below.")
    price_year: int = parameter(
        2023, ge=1900, le=2100, unit="year", source="the year of the Ministry of Justice figures below",
        doc="Price year of every cost below. No rule reads it (costs are not discounted or inflated by the model); "
            "comparison.md, optimise.md, robustness.md and the report name it beside the currency, and sim compare and "
            "sim robustness refuse scenarios priced in another year than the reference, as their difference would mix "
            "two price levels.",
    )
    custody_week: float = _cost(
        1_000.0, unit="GBP per prisoner-week", plausible=(800.0, 1_600.0),
        source=f"{MOJ_COSTS} 2022-23 (published March 2024): overall resource expenditure GBP 4.18 billion, about GBP "
               "52,000 per prisoner a year; by type of prison, from about GBP 22,000 per place (male open) to about GBP "
               "83,000 (male young offender institutions), the range's top",
        name="Cost of one week in custody",
        doc="Cost of one person in custody for one week (before release, on recall or after a new sentence).",
    )
    recall: float = _cost(
        1_500.0, plausible=(500.0, 5_000.0), unit="GBP per recall",
        source=f"{ASSUMED}: arrest, Public Protection Casework Section review and paperwork; no published unit cost (the time in custody is costed as custody weeks)",
        name="Cost of processing one recall to custody",
        doc="Cost of processing one recall to custody, on top of the custody weeks it leads to.",
    )
    probation_contact: float = _cost(
        150.0, plausible=(50.0, 300.0), unit="GBP per contact",
        source=f"{ASSUMED}: about two hours of a probation officer's time with preparation, travel and overheads",
        name="Cost of one supervision contact",
        doc="Cost of one supervision contact between a probation officer and a person on licence.",
    )
    ngo_place_week: float = _cost(
        100.0, plausible=(40.0, 300.0), unit="GBP per place-week",
        source=f"{ASSUMED}: about GBP 5,000 per place-year, the order of the per-participant cost of the mentoring and reentry programmes in WSIPP's benefit-cost results",
        name="Cost of one NGO place for one week",
        doc="Cost of one NGO support place offered for one week (whether or not it is filled: places are what is funded).",
    )
    court_case: float = _cost(
        5_000.0, plausible=(1_500.0, 20_000.0), unit="GBP per new offence",
        source=f"{ASSUMED}: police, prosecution and court costs per offence are of this order in Home Office, 'The economic and social costs of crime: second edition' (Heeks et al. 2018, Research Report 99); sentences are costed as custody weeks",
        name="Criminal-justice cost of one new offence",
        doc="Criminal-justice cost of one new offence (arrest, prosecution, court), excluding the custody it leads to.",
    )
    levers: LeverCosts = Field(default_factory=LeverCosts, description="Running cost of each cooperation lever.")
