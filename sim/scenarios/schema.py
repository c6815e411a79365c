"""The scenario schema: every model parameter with its meaning, unit, range, default and provenance.

A scenario file is validated against :class:`Scenario`. Unknown keys are rejected (``extra="forbid"``)
so that a misspelt key is an error rather than a silently ignored value. The defaults describe the
``baseline`` scenario: a violent-extremist cohort released into a typical European setting.

Every field carries ``unit`` and ``source`` in its JSON-schema extras; ``docs/PARAMETERS.md`` is
generated from them (``python -m sim.scenarios.docs``). ``source`` says where the default comes from:
a publication, ``calibrated`` (to which data), or ``assumed`` with the reason.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ASSUMED = "assumed"


def parameter(
    default: Any, *, unit: str, source: str, doc: str, ge=None, le=None, gt=None,
    plausible: tuple[float, float] | None = None,
) -> Any:
    """A scenario field with the metadata the parameter table is generated from.

    ``ge``/``le``/``gt`` are what a scenario file may say; ``plausible`` is the narrower range the
    evidence (or, for an assumption, judgement) supports: robustness analysis draws assumed
    parameters from it.
    """
    extra: dict[str, Any] = {"unit": unit, "source": source}
    if plausible is not None:
        extra["plausible"] = [plausible[0], plausible[1]]
    return Field(default, ge=ge, le=le, gt=gt, description=doc, json_schema_extra=extra)


def share(
    default: float, *, source: str, doc: str, unit: str = "share (0-1)", plausible: tuple[float, float] | None = None,
) -> Any:
    """A field bounded to [0, 1]."""
    return parameter(default, ge=0.0, le=1.0, unit=unit, source=source, doc=doc, plausible=plausible)


class Section(BaseModel):
    """A block of the scenario: strict (unknown keys are errors), validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


class Population(Section):
    released: int = parameter(
        400, ge=1, le=200_000, unit="people",
        source=f"{ASSUMED}: a regional cohort; Europe releases a few hundred terrorism convicts a year (Europol TE-SAT)",
        doc="Size of the released cohort followed by the model.",
    )
    community: int = parameter(
        5_000, ge=10, le=2_000_000, unit="people",
        source=f"{ASSUMED}: large enough that local stigma is a neighbourhood average, small enough for a laptop",
        doc="Community members on the social network.",
    )
    violent_extremist_share: float = share(
        1.0, source=f"{ASSUMED}: the baseline follows a violent-extremist cohort",
        doc="Share of the cohort convicted of violent-extremist (terrorism-related) offences; the rest are general offenders.",
    )
    ngos: int = parameter(
        4, ge=1, le=1_000, unit="organisations",
        source=f"{ASSUMED}: a handful of specialised NGOs per region",
        doc="Civil-society organisations offering services; places are shared equally among them.",
    )


class Release(Section):
    window_weeks: int = parameter(
        26, ge=0, le=520, unit="weeks",
        source=f"{ASSUMED}: releases spread over half a year",
        doc="Releases are spread evenly over weeks 0..window_weeks (0 = everyone released at week 0).",
    )
    licence_weeks: int = parameter(
        104, ge=0, le=1_040, unit="weeks",
        source=f"{ASSUMED}: terrorism licences in England & Wales commonly run for years; two years is typical",
        doc="Length of the licence (parole) period after first release; supervision and recall apply only during it.",
    )
    recall_term_weeks: int = parameter(
        16, ge=1, le=520, unit="weeks",
        source=f"{ASSUMED}: between the 14/28-day fixed-term and standard recalls in England & Wales",
        doc="Mean time served on recall before re-release (geometric).",
    )
    court_delay_weeks: int = parameter(
        3, ge=0, le=104, unit="weeks",
        source="calibrated: arrest to sentence; with recalls it gives the return hazard its peak at months 3-4 (BJS 2005)",
        doc="Mean weeks from a new offence to the return to prison it leads to (geometric).",
    )
    imprisonment_share: float = share(
        0.25, source="calibrated: BJS 2005 return_to_prison vs arrest curves (docs/VALIDATION.md)",
        doc="Share of new offences (arrests) that end in a return to prison.",
    )


class Network(Section):
    kind: Literal["watts_strogatz", "barabasi_albert", "neighbourhoods"] = parameter(
        "watts_strogatz", unit="generator",
        source=f"{ASSUMED}: small-world ties are the usual stand-in for a local community",
        doc="Community graph generator: Watts-Strogatz small world, Barabasi-Albert scale-free, or a stochastic block model of neighbourhoods.",
    )
    mean_degree: int = parameter(
        10, ge=2, le=200, unit="ties per member",
        source=f"{ASSUMED}: the core of an acquaintance network",
        doc="Average number of community ties per community member.",
    )
    rewiring: float = share(
        0.1, source="Watts & Strogatz 1998 (small-world regime)",
        doc="Watts-Strogatz rewiring probability.",
    )
    neighbourhoods: int = parameter(
        20, ge=1, le=10_000, unit="neighbourhoods",
        source=ASSUMED, doc="Number of neighbourhoods (blocks) for kind = neighbourhoods.",
    )
    within_neighbourhood_share: float = share(
        0.9, source=ASSUMED, doc="Share of a member's ties inside their own neighbourhood (kind = neighbourhoods).",
    )
    released_neighbours: int = parameter(
        8, ge=1, le=200, unit="ties per person",
        source=f"{ASSUMED}: neighbours and acquaintances whose attitudes a released person meets",
        doc="Community members each released person is tied to where they live.",
    )
    associates: float = parameter(
        2.0, ge=0, le=50, unit="ties per person",
        source=f"{ASSUMED}: a few old associates remain reachable after release",
        doc="Mean number (Poisson) of ties to old extremist or criminal associates.",
    )
    associate_share: float = share(
        0.02, source=f"{ASSUMED}: a small minority of the community has affinity with extremist or criminal networks",
        doc="Share of community members with affinity to extremist or criminal networks; they hold low stigma and pull released people back.",
    )


class Stigma(Section):
    baseline: float = share(
        0.5, source=f"{ASSUMED}: mid-scale public hostility towards released prisoners",
        doc="Initial mean community stigma towards released people (0 accepting, 1 rejecting).",
    )
    concentration: float = parameter(
        6.0, gt=0, le=1_000, unit="Beta concentration",
        source=ASSUMED, doc="Spread of individual attitudes: Beta(baseline*c, (1-baseline)*c); larger is more uniform.",
    )
    social_influence: float = share(
        0.2, unit="share per week",
        source=f"{ASSUMED}: DeGroot weight on neighbours' mean attitude each week",
        doc="Weight each member puts on neighbours' attitudes per week (DeGroot / Friedkin-Johnsen).",
    )
    anchoring: float = share(
        0.05, unit="share per week",
        source=f"{ASSUMED}: media-driven surges in hostility fade over months (half-life about 14 weeks)",
        doc="Pull of each member back to their own prior attitude per week (Friedkin-Johnsen stubbornness); sets how fast a media shock decays.",
    )
    media_susceptibility: float = share(
        0.5, source=ASSUMED,
        doc="Mean susceptibility of community members to media shocks (Beta distributed).",
    )
    contact_effect: float = share(
        0.01, unit="share per contact-week",
        source="Pettigrew & Tropp 2006 (contact lowers prejudice, mean r = -0.21); size per week assumed",
        doc="Relative fall of a member's stigma in a week of contact with a released person living in the community.",
    )
    perception_rate: float = share(
        0.25, unit="share per week",
        source=ASSUMED, doc="How fast a released person's experienced stigma adjusts to the attitudes around them.",
    )
    extremist_label: float = parameter(
        1.3, ge=1.0, le=3.0, unit="multiplier",
        source="the brief: violent-extremist prisoners are 'more deeply stigmatized' and face intense media scrutiny; size assumed",
        doc="Multiplier on the stigma a violent-extremist offender meets relative to a general offender.",
    )
    resentment: float = share(
        0.3, source="the brief, objective 10: resentment of programmes 'not available to law-abiding citizens'; size assumed",
        doc="Sensitivity of prejudiced members to support that released people visibly receive (backlash).",
    )


class Supervision(Section):
    strictness: float = share(
        0.5, source=f"{ASSUMED}: mid-range licence conditions",
        doc="0 light-touch, 1 maximal licence conditions and surveillance: more conditions, more contacts, quicker recall.",
    )
    caseload: int = parameter(
        25, ge=1, le=500, unit="people per officer",
        source=f"{ASSUMED}: specialist terrorism-offender caseloads are smaller than general ones",
        doc="Released people per probation officer.",
    )
    detection: float = share(
        0.25, unit="probability per contact",
        source=f"{ASSUMED}: most breaches go unseen at light contact",
        doc="Chance that one supervision contact detects an ongoing breach.",
    )
    breach_rate: float = share(
        0.0065, unit="probability per condition-week",
        source="calibrated: BJS 2005 return_to_prison (technical violations)",
        doc="Weekly chance of breaching one licence condition for a person of average compliance.",
    )
    warnings: int = parameter(
        1, ge=0, le=10, unit="warnings",
        source=f"{ASSUMED}: one formal warning before recall is typical practice",
        doc="Warnings an officer gives for detected breaches before recall becomes the rule.",
    )
    referral_rate: float = share(
        0.1, unit="probability per week",
        source=ASSUMED, doc="Weekly chance that an officer refers an unenrolled supervisee to an NGO.",
    )


class Ngo(Section):
    capacity: float = parameter(
        0.3, ge=0, le=10, unit="places per released person",
        source=f"{ASSUMED}: specialised exit and mentoring programmes reach a minority",
        doc="NGO client places as a share of the cohort (1 = a place for everyone).",
    )
    programme_weeks: int = parameter(
        52, ge=1, le=520, unit="weeks",
        source="Wilson et al. 2009: circles of support meet for about a year",
        doc="Length of an NGO programme (mentoring, support) before the place is freed.",
    )
    reputation: float = share(0.6, source=ASSUMED, doc="Initial community reputation of NGOs.")
    independence: float = share(
        0.7, source="the brief: NGOs perceived as independent of government are trusted more; size assumed",
        doc="Initial perceived independence of NGOs from government.",
    )
    willingness: float = share(
        0.8, source=ASSUMED, doc="Initial willingness of NGOs to cooperate with government; it scales the places they offer.",
    )
    willingness_recovery: float = share(
        0.02, unit="share per week", source=ASSUMED,
        doc="Weekly recovery of NGO willingness and reputation towards their initial values.",
    )
    service_breadth: float = share(
        0.6, source=ASSUMED,
        doc="Chance that an NGO offers each of the seven services (mentoring, employment, housing, psychological, family, media help, community dialogue).",
    )
    self_referral: float = share(
        0.02, unit="probability per week", source=ASSUMED,
        doc="Weekly chance that a trusting, unenrolled released person asks an NGO for help.",
    )
    dialogue_reach: float = share(
        0.02, unit="share of community per week", source=ASSUMED,
        doc="Share of the community an NGO dialogue campaign at full capacity and mobilisation reaches each week.",
    )
    publicity: float = share(
        0.5, unit="probability", source="the brief, objective 8: NGOs 'scapegoated after failures'; size assumed",
        doc="Chance that an NGO client's new offence becomes public and costs the NGO reputation (doubled for violent-extremist clients).",
    )


class Prison(Section):
    harshness: float = share(
        0.5, source="the brief, objectives 1 and 2: disproportionate regimes breed grievance; size assumed",
        doc="Harshness of the prison regime; raises grievance and distrust of government at release.",
    )
    visits: float = share(
        0.5, source="Duwe & Clark 2013 (Minnesota): visits keep family ties",
        doc="Share of the potential family visits that happen during custody.",
    )
    programmes: float = share(
        0.3, source=ASSUMED, doc="Reach of custodial rehabilitation programmes before any NGO involvement.",
    )


class Cooperation(Section):
    """The ten objectives of government-civil-society cooperation in the brief (0 absent, 1 full)."""

    policy_input: float = share(0.3, source="the brief, objective 1", doc="Civil society informs prison policies.")
    prison_monitoring: float = share(0.3, source="the brief, objective 2", doc="Civil society monitors prison conditions.")
    community_mobilization: float = share(0.3, source="the brief, objective 3", doc="Civil society mobilises community support for rehabilitation.")
    staff_training: float = share(0.3, source="the brief, objective 4", doc="Civil society helps recruit and train prison and probation staff.")
    assessment: float = share(0.3, source="the brief, objective 5", doc="Civil society informs risk and needs assessment.")
    custodial_interventions: float = share(0.3, source="the brief, objective 6", doc="Civil society delivers interventions in prison.")
    community_interventions: float = share(0.3, source="the brief, objective 7", doc="Civil society supports families and communities during custody.")
    reintegration_support: float = share(0.3, source="the brief, objective 8", doc="Civil society facilitates reintegration: jobs, housing, mentoring across release.")
    supervision_partnership: float = share(0.3, source="the brief, objective 9", doc="Civil society takes part in supervising licence conditions.")
    stigma_reduction: float = share(0.3, source="the brief, objective 10", doc="Civil society works to reduce community stigmatisation.")


class OffenceProfile(Section):
    base_hazard: float = parameter(
        0.0005, ge=0, le=1, unit="probability per week",
        source="calibrated: general offenders to the BJS 2005 arrest curve; violent extremists to the published 2-5% (docs/VALIDATION.md)",
        doc="Weekly new-offence hazard of a person of average static risk before dynamic factors (no job, home, bonds, associates, commitment, stigma or needs).",
    )
    risk_dispersion: float = parameter(
        1.0, ge=0, le=10, unit="variance (risk has mean 1)",
        source="calibrated: gamma frailty; heterogeneous risk makes the population hazard fall after release (BJS 2005)",
        doc="Variance of static risk across the cohort (gamma distributed with mean 1; 0 = everyone alike).",
    )
    desisted_share: float = share(
        0.5, source="calibrated: split-population (cure-fraction) models of recidivism (Schmidt & Witte 1989)",
        doc="Share of the cohort who have desisted at release (hazard one-tenth of the rest).",
    )
    commitment: float = share(
        0.3, source=ASSUMED,
        doc="Mean ideological commitment (extremist identity) or antisocial identity at release, before custodial programmes.",
    )
    needs: float = share(0.5, source=ASSUMED, doc="Mean mental-health and other dynamic needs at release.")


def _general_profile() -> OffenceProfile:
    return OffenceProfile(base_hazard=0.019, risk_dispersion=0.85, desisted_share=0.03, commitment=0.4, needs=0.5)


def _extremist_profile() -> OffenceProfile:
    return OffenceProfile(base_hazard=0.0004, risk_dispersion=1.0, desisted_share=0.6, commitment=0.5, needs=0.4)


class Offending(Section):
    general: OffenceProfile = Field(default_factory=_general_profile, description="Profile of general offenders.")
    violent_extremist: OffenceProfile = Field(
        default_factory=_extremist_profile,
        description="Profile of violent-extremist offenders: low hazard of a new terrorism offence (Renard 2020; Hodwitz 2019).",
    )


class Effects(Section):
    """Behavioural coefficients: how needs, bonds and support shape hazards and chances."""

    record_penalty: float = share(
        0.5, source="Pager 2003: a criminal record roughly halves employer callbacks",
        doc="Relative fall in the chance of finding a job because of a criminal record.",
    )
    job_finding: float = share(
        0.05, unit="probability per week", source=f"{ASSUMED}: about half find work within a year",
        doc="Weekly chance of finding a job without record or stigma.",
    )
    job_loss: float = share(0.01, unit="probability per week", source=ASSUMED, doc="Weekly chance of losing a job.")
    housing_finding: float = share(
        0.6, unit="probability per week", source="calibrated: the release shock, BJS 2005 month-1 arrests (most find a place within weeks)",
        doc="Weekly chance of finding stable housing without stigma.",
    )
    housing_loss: float = share(0.005, unit="probability per week", source=ASSUMED, doc="Weekly chance of losing stable housing.")
    stigma_barrier: float = share(
        0.6, source=ASSUMED, doc="Relative fall in job and housing chances at full local stigma.",
    )
    ngo_practical_help: float = parameter(
        1.0, ge=0, le=10, unit="relative increase",
        source=ASSUMED, doc="Relative rise in job and housing chances while enrolled with an NGO offering that service.",
    )
    employment: float = parameter(
        0.7, gt=0, le=1, unit="hazard ratio", source="Uggen 2000 (work as a turning point); size assumed",
        doc="Hazard ratio of a new offence while employed.",
    )
    housing: float = parameter(
        0.33, gt=0, le=1, unit="hazard ratio", source="calibrated: the release shock, BJS 2005 month-1 arrests; homelessness doubles risk (assumed size)",
        doc="Hazard ratio of a new offence while stably housed (the first weeks without a home are the riskiest).",
    )
    family_bond: float = parameter(
        0.6, gt=0, le=1, unit="hazard ratio at full bond", source="Duwe & Clark 2013 (visits and family ties)",
        doc="Hazard ratio of a new offence at the strongest family bond.",
    )
    prosocial_ties: float = parameter(
        0.7, gt=0, le=1, unit="hazard ratio at full ties", source="Sampson & Laub 1993 (social bonds); size assumed",
        doc="Hazard ratio at the strongest prosocial ties.",
    )
    associates: float = parameter(
        1.25, ge=1, le=5, unit="hazard ratio per tie", source=f"{ASSUMED}: differential association",
        doc="Hazard ratio per active tie to old associates.",
    )
    commitment: float = parameter(
        4.0, ge=1, le=50, unit="hazard ratio at full commitment", source=ASSUMED,
        doc="Hazard ratio at full ideological (or antisocial) commitment relative to none.",
    )
    experienced_stigma: float = parameter(
        1.6, ge=1, le=10, unit="hazard ratio at full stigma", source="labelling theory (Chiricos et al. 2007); size assumed",
        doc="Hazard ratio at full experienced stigma relative to none.",
    )
    needs: float = parameter(1.5, ge=1, le=10, unit="hazard ratio at full needs", source=ASSUMED, doc="Hazard ratio at full unmet needs.")
    mentoring: float = parameter(
        0.5, gt=0, le=1, unit="hazard ratio", source="Wilson et al. 2009; Duwe 2018 (circles of support: large relative reductions)",
        doc="Hazard ratio of a new offence while in an NGO mentoring programme.",
    )
    commitment_change: float = share(
        0.02, unit="share per week", source=ASSUMED,
        doc="Weekly rate at which mentoring and prosocial ties erode, and old associates rebuild, commitment.",
    )
    bond_change: float = share(0.02, unit="share per week", source=ASSUMED, doc="Weekly rate at which family bonds and prosocial ties move towards their targets.")
    trust_change: float = share(0.03, unit="share per week", source=ASSUMED, doc="Weekly rate at which trust moves towards experience.")
    compliance_support: float = parameter(
        0.5, ge=0, le=1, unit="relative reduction", source=ASSUMED,
        doc="Relative fall in breaches at full employment, housing, family bond and trust in government together.",
    )


MOJ_COSTS = "Ministry of Justice, 'Costs per place and costs per prisoner' (HMPPS Annual Report and Accounts, Management Information Addendum)"


def _cost(default: float, *, source: str, doc: str, plausible: tuple[float, float], unit: str = "GBP") -> Any:
    return parameter(default, ge=0, le=10_000_000, unit=unit, source=source, doc=doc, plausible=plausible)


def _lever_cost(default: float, what: str) -> Any:
    return _cost(
        default, unit="GBP per released person per week at full level", plausible=(0.25 * default, 4 * default),
        source=f"{ASSUMED}: no published unit cost for this form of cooperation; priced as {what}",
        doc="Running cost of this cooperation lever at full level (1), per person in the cohort per week; it scales with the lever's level.",
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
        doc="Price year of every cost below (costs are not discounted or inflated by the model).",
    )
    custody_week: float = _cost(
        1_000.0, unit="GBP per prisoner-week", plausible=(800.0, 1_600.0),
        source=f"{MOJ_COSTS} 2022-23: overall cost per prisoner about GBP 52,000 a year; high-security places cost up to about GBP 80,000",
        doc="Cost of one person in custody for one week (before release, on recall or after a new sentence).",
    )
    recall: float = _cost(
        1_500.0, plausible=(500.0, 5_000.0), unit="GBP per recall",
        source=f"{ASSUMED}: arrest, Public Protection Casework Section review and paperwork; no published unit cost (the time in custody is costed as custody weeks)",
        doc="Cost of processing one recall to custody, on top of the custody weeks it leads to.",
    )
    probation_contact: float = _cost(
        150.0, plausible=(50.0, 300.0), unit="GBP per contact",
        source=f"{ASSUMED}: about two hours of a probation officer's time with preparation, travel and overheads",
        doc="Cost of one supervision contact between a probation officer and a person on licence.",
    )
    ngo_place_week: float = _cost(
        100.0, plausible=(40.0, 300.0), unit="GBP per place-week",
        source=f"{ASSUMED}: about GBP 5,000 per place-year, the order of the per-participant cost of the mentoring and reentry programmes in WSIPP's benefit-cost results",
        doc="Cost of one NGO support place offered for one week (whether or not it is filled: places are what is funded).",
    )
    court_case: float = _cost(
        5_000.0, plausible=(1_500.0, 20_000.0), unit="GBP per new offence",
        source=f"{ASSUMED}: police, prosecution and court costs per offence are of this order in Home Office, 'The economic and social costs of crime' (Heeks et al. 2018); sentences are costed as custody weeks",
        doc="Criminal-justice cost of one new offence (arrest, prosecution, court), excluding the custody it leads to.",
    )
    levers: LeverCosts = Field(default_factory=LeverCosts, description="Running cost of each cooperation lever.")


def _event_meta(unit: str, source: str = "set by the scenario author") -> dict[str, str]:
    return {"unit": unit, "source": source}


class MediaShock(Section):
    kind: Literal["media_shock"] = Field(description="Event type.", json_schema_extra=_event_meta("event type"))
    week: int = Field(ge=0, description="Week the event fires.", json_schema_extra=_event_meta("week"))
    magnitude: float = Field(
        0.3, ge=0, le=1, description="Rise in stigma of a fully susceptible member, as a share of the distance to 1.",
        json_schema_extra=_event_meta("share of the distance to 1", f"{ASSUMED}: a marked but not total surge in hostility"),
    )
    label: str = Field(
        "attack reported in the media", description="Shown on figures and in the dashboard.", json_schema_extra=_event_meta("text"),
    )


class PolicyChange(Section):
    kind: Literal["policy_change"] = Field(description="Event type.", json_schema_extra=_event_meta("event type"))
    week: int = Field(ge=0, description="Week the change takes effect.", json_schema_extra=_event_meta("week"))
    set: dict[str, Any] = Field(
        description="Dotted scenario keys and their new values, e.g. {supervision.strictness: 0.9}.",
        json_schema_extra=_event_meta("parameter: value"),
    )
    label: str = Field("policy change", description="Shown on figures and in the dashboard.", json_schema_extra=_event_meta("text"))


Event = Annotated[MediaShock | PolicyChange, Field(discriminator="kind")]


class Scenario(Section):
    """A whole scenario: what a scenario YAML file holds once its parents are merged."""

    name: str = Field("baseline", min_length=1, description="Shown in listings, figures and the dashboard.")
    title: str | None = Field(None, description="A title in words for figures and the dashboard (default: the name).")
    description: str = Field("", description="A paragraph a trainer could read out.")
    extends: str | None = Field(None, description="Parent scenario: a shipped name or a path relative to this file.")
    seed: int = parameter(20_261_127, ge=0, le=2**63 - 1, unit="integer", source="any fixed value", doc="Root seed of the run.")
    weeks: int = parameter(156, ge=1, le=1_040, unit="weeks", source="MODEL.md: three years by default", doc="Horizon of the simulation.")
    population: Population = Field(default_factory=Population)
    release: Release = Field(default_factory=Release)
    network: Network = Field(default_factory=Network)
    stigma: Stigma = Field(default_factory=Stigma)
    supervision: Supervision = Field(default_factory=Supervision)
    ngo: Ngo = Field(default_factory=Ngo)
    prison: Prison = Field(default_factory=Prison)
    cooperation: Cooperation = Field(default_factory=Cooperation)
    offending: Offending = Field(default_factory=Offending)
    effects: Effects = Field(default_factory=Effects)
    events: list[Event] = Field(default_factory=list, description="Scheduled events: media shocks and policy changes.")
    costs: Costs = Field(default_factory=Costs)


LEVERS: tuple[str, ...] = tuple(Cooperation.model_fields)
