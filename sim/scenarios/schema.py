"""The scenario schema: every model parameter with its meaning, unit, range, default and provenance.

A scenario file is validated against :class:`Scenario`. Unknown keys are rejected (``extra="forbid"``)
so that a misspelt key is an error rather than a silently ignored value. The defaults describe the
``baseline`` scenario: a violent-extremist cohort released into a typical European setting.

Every field carries ``unit`` and ``source`` in its JSON-schema extras; ``docs/PARAMETERS.md`` is
generated from them (``python -m sim.scenarios.docs``). ``source`` says where the default comes from:
a publication, ``calibrated`` (to which data), or ``assumed`` with the reason.
"""

from __future__ import annotations

import copy
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr
from pydantic_core import PydanticCustomError

from sim.streams import MAX_FILE_SEED

ASSUMED = "assumed"
# where a parameter of one offender profile is read at all: a cohort holding people of that profile
WITH_EXTREMISTS = {"population.violent_extremist_share": {"above": 0}}
WITH_GENERAL = {"population.violent_extremist_share": {"below": 1}}
# where a parameter of old associates is read at all: a community with members who can be associates
WITH_AFFINITY = {"network.associate_share": {"above": 0}}
# where the media's response to a publicised terrorism offence is read at all: with that response switched on
WITH_MEDIA_SHOCK = {"media.publicised_reoffence_shock": (True,)}




ISP = "Petersilia & Turner 1993, Evaluating Intensive Supervision Probation/Parole (NIJ Research in Brief NCJ 141637)"


def parameter(
    default: Any, *, unit: str, source: str, doc: str, ge=None, le=None, gt=None,
    plausible: tuple[float, float] | None = None, when: dict[str, Any] | None = None, name: str | None = None,
) -> Any:
    """A scenario field with the metadata the parameter table is generated from.

    ``name`` is what reports and figures call the parameter (``sim.scenarios.names.key_name``): a few plain words
    saying what the number is ('Weekly community reach of NGO dialogue campaigns'), for a parameter whose first
    sentence of ``doc`` is too long to be one; ``doc`` stays the whole explanation (docs/PARAMETERS.md).

    ``ge``/``le``/``gt`` are what a scenario file may say; ``plausible`` is the narrower range the
    evidence (or, for an assumption, judgement) supports: robustness analysis draws assumed
    parameters from it. ``when`` says where the model reads the field at all: a key and the values it
    must have (``{"network.kind": ("neighbourhoods",)}``) or a bound (``WITH_EXTREMISTS``), which may be another
    parameter's key (``{"above": "officers.caseload_capacity"}``); elsewhere it
    has no effect, so robustness analysis does not draw it (``sim.scenarios.fields.read_in``).
    """
    extra: dict[str, Any] = {"unit": unit, "source": source}
    if name is not None:
        extra["name"] = name
    if plausible is not None:
        extra["plausible"] = [plausible[0], plausible[1]]
    if when is not None:
        extra["when"] = {key: dict(values) if isinstance(values, dict) else list(values) for key, values in when.items()}
    return Field(default, ge=ge, le=le, gt=gt, description=doc, json_schema_extra=extra)


def share(
    default: float, *, source: str, doc: str, unit: str = "share (0-1)", plausible: tuple[float, float] | None = None,
    when: dict[str, Any] | None = None, name: str | None = None,
) -> Any:
    """A field bounded to [0, 1]."""
    return parameter(default, ge=0.0, le=1.0, unit=unit, source=source, doc=doc, plausible=plausible, when=when,
                     name=name)


class Section(BaseModel):
    """A block of the scenario: strict (unknown keys are errors), validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


class Population(Section):
    released: int = parameter(
        400, ge=1, le=200_000, unit="people",
        source=f"{ASSUMED}: a regional cohort; Europe releases a few hundred terrorism convicts a year (Europol, EU Terrorism Situation and Trend Report (TE-SAT))",
        doc="Size of the released cohort followed by the model.",
    )
    community: int = parameter(
        5_000, ge=10, le=2_000_000, unit="people",
        source=f"{ASSUMED}: large enough that local stigma is a neighbourhood average, small enough for a laptop",
        doc="Community members on the social network.",
    )
    density: float = parameter(
        0.016, gt=0, le=1, unit="released people per community member", plausible=(0.01, 0.02),
        source="BJS, Probation and Parole in the United States (2016: 1 in 55 adults under community supervision; "
               "2020: 1 in 66): 1.5-1.8% of adults; people released after terrorism offences are far rarer",
        name="Density of released people in the wider population",
        doc="Density of released people in the wider population the community stands for. Where the simulated cohort is "
            "denser (population.released / population.community above it), only a share density x community / released "
            "of each released person's neighbour ties carry contact, so that contact reaches the share of the community "
            "it would at this density whatever the simulated sizes.",
    )
    violent_extremist_share: float = share(
        1.0, source=f"{ASSUMED}: the baseline follows a violent-extremist cohort",
        name="Violent-extremist share of the cohort",
        doc="Share of the cohort convicted of violent-extremist (terrorism-related) offences; the rest are general offenders.",
    )
    ngos: int = parameter(
        4, ge=1, le=1_000, unit="organisations",
        source=f"{ASSUMED}: a handful of specialised NGOs per region",
        name="Number of NGOs offering services",
        doc="Civil-society organisations offering services; places are shared equally among them as whole places: "
            "the total rounded, each NGO its share rounded down or up (largest remainders first), so more NGOs than "
            "places leaves some with none.",
    )


class Release(Section):
    window_weeks: int = parameter(
        26, ge=0, le=520, unit="weeks",
        source=f"{ASSUMED}: releases spread over half a year",
        name="Weeks over which releases are spread",
        doc="Releases are spread evenly over weeks 1..window_weeks + 1 of the run (week 1 is the first step; "
            "0 = everyone released in week 1).",
    )
    licence_weeks: int = parameter(
        104, ge=0, le=1_040, unit="weeks",
        source=f"{ASSUMED}: terrorism licences in England & Wales commonly run for years; two years is typical",
        name="Mean length of the licence period",
        doc="Mean length of the licence (parole) period after first release; supervision and recall apply only during it.",
    )
    licence_spread: float = parameter(
        0.5, ge=0.0, le=3.0, unit="coefficient of variation", plausible=(0.3, 0.8),
        source=f"{ASSUMED}: licence and parole terms follow sentence lengths, which vary widely between people "
               "(BJS, Time Served in State Prison, 2016: a right-skewed spread); 0 gives everyone the mean",
        name="Spread of licence lengths between people",
        doc="Spread of licence lengths between people (gamma-distributed around licence_weeks, drawn when the world is built).",
    )
    recall_term_weeks: int = parameter(
        16, ge=1, le=520, unit="weeks",
        source=f"{ASSUMED}: between the 14/28-day fixed-term and standard recalls in England & Wales",
        doc="Mean time served on recall before re-release (geometric).",
    )
    court_delay_weeks: int = parameter(
        3, ge=0, le=104, unit="weeks", plausible=(2, 12),
        source=f"{ASSUMED}: arrest to sentence takes weeks to months; no study gives it for people released after "
               "terrorism offences. The value calibrated to the BJS 2005 curves, 9, is set in the general_offenders "
               "scenario (the default here is not the fit): there, with recalls, it gives the return hazard its peak at "
               "months 3-4 (docs/VALIDATION.md). Range: below the default to past the fit",
        name="Mean weeks from a new offence to return to prison",
        doc="Mean weeks from a new offence to the return to prison it leads to (geometric).",
    )
    imprisonment_share: float = share(
        0.25, plausible=(0.1, 0.4),
        source=f"{ASSUMED}: no study gives it for people released after terrorism offences. The value calibrated to "
               "the BJS 2005 return_to_prison vs arrest curves, 0.11, is set in the general_offenders scenario (the "
               "default here is not the fit; docs/VALIDATION.md). Range: from the fit to 0.15 above the default",
        name="Share of new offences ending in a return to prison",
        doc="Share of new offences (arrests) that end in a return to prison.",
    )


class Network(Section):
    kind: Literal["watts_strogatz", "barabasi_albert", "neighbourhoods", "edgelist", "graphml"] = parameter(
        "watts_strogatz", unit="generator",
        source=f"{ASSUMED}: small-world ties are the usual stand-in for a local community",
        name="Kind of community network",
        doc="Community graph: generated (Watts-Strogatz small world, Barabasi-Albert scale-free, or a stochastic block model of neighbourhoods) or read from network.file (an edge list or GraphML).",
    )
    file: str | None = parameter(
        None, unit="path", source="set by the scenario author: a survey-derived or synthetic-population network",
        name="Community network file",
        doc="Community graph file for kind = edgelist or graphml, relative to the scenario file; one node per community member (population.community nodes, each with a tie).",
        when={"network.kind": ("edgelist", "graphml")},
    )
    mean_degree: int = parameter(
        10, ge=2, le=200, unit="ties per member",
        source=f"{ASSUMED}: the core of an acquaintance network",
        name="Mean community ties per community member",
        doc="Average number of community ties per community member, rounded down to an even number (each member "
            "makes half of it; a repeated tie or a tie to oneself is dropped, so the mean is a little lower).",
        when={"network.kind": ("watts_strogatz", "barabasi_albert", "neighbourhoods")},
    )
    rewiring: float = share(
        0.1, source="Watts & Strogatz 1998, Collective dynamics of 'small-world' networks (small-world regime)",
        doc="Watts-Strogatz rewiring probability.", when={"network.kind": ("watts_strogatz",)},
    )
    neighbourhoods: int = parameter(
        20, ge=1, le=10_000, unit="neighbourhoods",
        source=f"{ASSUMED}: about 250 members each at the default community size: a walkable local area", doc="Number of neighbourhoods (blocks) for kind = neighbourhoods.",
        when={"network.kind": ("neighbourhoods",)},
    )
    within_neighbourhood_share: float = share(
        0.9, source=f"{ASSUMED}: most acquaintances live nearby; a tenth of ties reach other neighbourhoods", name="Share of ties inside a member's own neighbourhood", doc="Share of a member's ties inside their own neighbourhood (kind = neighbourhoods).",
        when={"network.kind": ("neighbourhoods",)}, plausible=(0.7, 1),
    )
    released_neighbours: int = parameter(
        8, ge=1, le=200, unit="ties per person",
        source=f"{ASSUMED}: neighbours and acquaintances whose attitudes a released person meets",
        name="Neighbours each released person is tied to",
        doc="Community members each released person is tied to where they live.",
    )
    associates: float = parameter(
        2.0, ge=0, le=50, unit="ties per person",
        source=f"{ASSUMED}: a few old associates remain reachable after release",
        name="Mean ties to old extremist or criminal associates",
        doc="Mean number (Poisson) of ties to old extremist or criminal associates, drawn among the members with affinity "
            "(network.associate_share): with none, nobody has associates.",
        when=WITH_AFFINITY,
    )
    associate_share: float = share(
        0.02, source=f"{ASSUMED}: a small minority of the community has affinity with extremist or criminal networks",
        name="Community share close to extremist or criminal networks",
        doc="Share of community members with affinity to extremist or criminal networks; they hold low stigma and pull released people back.", plausible=(0.01, 0.05),
    )


class Stigma(Section):
    baseline: float = share(
        0.5, source=f"{ASSUMED}: mid-scale public hostility towards released prisoners",
        doc="Initial mean community stigma towards released people (0 accepting, 1 rejecting).", plausible=(0.3, 0.8),
    )
    concentration: float = parameter(
        6.0, gt=0, le=1_000, unit="Beta concentration",
        source=f"{ASSUMED}: attitudes differ widely between members (a standard deviation of about 0.19 around 0.5)", name="Uniformity of stigma attitudes across members", doc="Spread of individual attitudes: Beta(baseline*c, (1-baseline)*c); larger is more uniform.",
    )
    social_influence: float = share(
        0.2, unit="share per week",
        source=f"{ASSUMED}: DeGroot weight on neighbours' mean attitude each week",
        name="Weekly weight on neighbours' attitudes",
        doc="Weight each member puts on neighbours' attitudes per week (DeGroot / Friedkin-Johnsen).", plausible=(0.1, 0.4),
    )
    anchoring: float = share(
        0.05, unit="share per week",
        source=f"{ASSUMED}: media-driven surges in hostility fade over months (half-life about 14 weeks)",
        name="Weekly pull of each member back to their anchor attitude",
        doc="Pull of each member back to their own anchor per week (Friedkin-Johnsen stubbornness): their prior attitude, lowered by "
            "their contact with released people (stigma.contact_effect); sets how fast a media shock decays.", plausible=(0.025, 0.1),
    )
    media_susceptibility: float = share(
        0.5, source=f"{ASSUMED}: members take on average half of what the news would give a fully susceptible one",
        name="Mean susceptibility of members to media shocks",
        doc="Mean susceptibility of community members to media shocks (Beta distributed).", plausible=(0.25, 0.75),
    )
    contact_effect: float = share(
        0.4, unit="relative reduction",
        source="calibrated: so that the correlation of contact and prejudice across members falls in the range of "
               "Pettigrew & Tropp 2006, A meta-analytic test of intergroup contact theory (mean r = -0.215)",
        name="Largest fall in lasting stigma from contact",
        doc="Largest relative fall of a member's own anchor attitude (prior) that contact with released neighbours can "
            "bring, reached only with sustained contact of full quality (the floor of contact's effect).",
        plausible=(0.2, 0.5),
    )
    perception_rate: float = share(
        0.25, unit="share per week",
        source=f"{ASSUMED}: people sense their neighbours' attitudes within weeks (half-way in under three weeks)", name="How fast experienced stigma follows local attitudes", doc="How fast a released person's experienced stigma adjusts to the attitudes around them.", plausible=(0.1, 0.5),
    )
    extremist_label: float = parameter(
        1.3, ge=1.0, le=3.0, unit="multiplier",
        source=f"{ASSUMED}: the size; the policy brief says violent-extremist prisoners are 'more deeply stigmatized' and face intense media scrutiny",
        name="Stigma multiplier for violent-extremist offenders",
        doc="Multiplier on the stigma a violent-extremist offender meets relative to a general offender.",
        when=WITH_EXTREMISTS,
    )
    resentment: float = share(
        0.3, source=f"{ASSUMED}: the size; the policy brief, objective 10, names resentment of programmes 'not available to law-abiding citizens'",
        name="Sensitivity of prejudiced members to visible support",
        doc="Sensitivity of prejudiced members to support that released people visibly receive (backlash).", plausible=(0.15, 0.6),
    )


class Supervision(Section):
    strictness: float = share(
        0.5, source=f"{ASSUMED}: mid-range licence conditions and contacts, between light-touch and maximal",
        doc="0 light-touch, 1 maximal licence conditions and surveillance: more conditions, more contacts, quicker recall.", plausible=(0.3, 0.7),
    )
    caseload: int = parameter(
        25, ge=1, le=500, unit="people per officer",
        source=f"{ASSUMED}: specialist terrorism-offender caseloads are smaller than general ones",
        doc="Released people per probation officer.",
    )
    detection: float = share(
        0.8, unit="detection rate (hazard) per contact",
        source=f"{ASSUMED}: a contact usually reveals a breach supervision can see (most cannot be seen: detectable)",
        name="Detection rate per supervision contact",
        doc="Detection rate per supervision contact, a hazard, not a chance: a breach is seen with chance "
            "detectable x (1 - exp(-(contacts x detection + testing x test_detection))).", plausible=(0.5, 1),
    )
    breach_rate: float = share(
        0.0065, unit="probability per condition-week", plausible=(0.003, 0.013),
        source=f"{ASSUMED}: no study gives it for people released after terrorism offences. The value calibrated to "
               "BJS 2005 return_to_prison (technical violations), 0.0075, is set in the general_offenders scenario (the "
               "default here is not the fit; docs/VALIDATION.md). Range: half to twice the default",
        name="Weekly chance of breaching one licence condition",
        doc="Weekly chance of breaching one licence condition for a person of average compliance.",
    )
    contacts_multiplier: float = parameter(
        1.0, ge=0.0, le=10.0, unit="multiplier", plausible=(1.0, 6.0),
        source=f"{ISP}: intensive supervision gave several times the contacts of routine supervision; 1 = routine",
        name="Supervision contacts relative to the routine rate",
        doc="Contacts per week relative to the routine rate that strictness sets (intensive supervision: several times).",
    )
    testing: float = parameter(
        0.0, ge=0.0, le=7.0, unit="tests per week", plausible=(0.0, 1.0),
        source=f"{ASSUMED}: routine licences test rarely, so none by default; intensive supervision added frequent drug testing ({ISP})",
        name="Drug tests per week on licence",
        doc="Drug tests per week on licence: a detection channel besides contacts.",
    )
    test_detection: float = share(
        0.2, unit="detection rate (hazard) per test", plausible=(0.05, 0.4), when={"supervision.testing": {"above": 0}},
        source=f"{ASSUMED}: a test catches only the breaches that involve drug use",
        name="Detection rate per drug test",
        doc="Detection rate per drug test, a hazard, not a chance: it adds testing x test_detection to the "
            "contacts' exposure in detectable x (1 - exp(-(contacts x detection + testing x test_detection))).",
    )
    detectable: float = share(
        0.5, unit="share of breaches", plausible=(0.3, 0.8),
        source=f"calibrated by hand: chosen so that several times the contacts raise technical violations by less than "
               f"2, as in {ISP} (that contrast is a calibration target in docs/VALIDATION.md); missed appointments and "
               "positive tests are seen, associating or drinking mostly not",
        name="Share of breaches supervision can detect at all",
        doc="Share of breaches that supervision can detect at all: more contacts and tests saturate at it.",
    )
    warnings: int = parameter(
        1, ge=0, le=10, unit="warnings",
        source=f"{ASSUMED}: one formal warning before recall is typical practice",
        name="Warnings before recall becomes the rule",
        doc="Warnings an officer gives for detected breaches before recall becomes the rule.",
    )
    serious_share: float = share(
        0.3, unit="share of detected breaches", plausible=(0.1, 0.5),
        source=f"{ASSUMED}: absconding, new risk or drug use can bring recall without a prior warning",
        name="Share of detected breaches recalled with warnings left",
        doc="Share of detected breaches met with recall (at the officer's discretion) before the warnings are used up.",
    )
    offence_recall: float = share(
        0.0, unit="probability per offence", plausible=(0.0, 0.6),
        source=f"{ASSUMED}: a new charge on licence often brings recall before any sentence; 0 in the baseline, "
               "where recall follows breaches of conditions only",
        name="Chance a new offence on licence leads to recall",
        doc="Chance that a new offence by someone on licence leads to recall (a return, not a technical violation).",
    )
    referral_rate: float = share(
        0.1, unit="base rate per week",
        source=f"{ASSUMED}: an officer refers a supervisee of average priority with no NGO within about ten weeks on average",
        name="Base weekly rate of officer referrals to NGOs",
        doc="Base weekly rate at which an officer refers a supervisee with no NGO (neither waiting for nor enrolled "
            "with one) to an NGO. The weekly chance is "
            "this times the reintegration lever (1 + lever_effects.reintegration_referral x lever), times "
            "1 + officers.trained_referral for an officer staff training reached, "
            "times the officer's priority for the person (officers.contact_floor + officers.contact_priority x "
            "assessed priority), capped at 1.", plausible=(0.05, 0.2),
    )


class Ngo(Section):
    capacity: float = parameter(
        0.3, ge=0, le=10, unit="places per released person",
        source=f"{ASSUMED}: specialised exit and mentoring programmes reach a minority",
        doc="NGO client places funded, as a share of the cohort (1 = a place for everyone). The places offered are "
            "these times what cooperation adds or spends (lever_effects.mobilisation_places, monitoring_places, "
            "training_places, interventions_places) and the NGOs' willingness relative to its initial value.",
    )
    programme_weeks: int = parameter(
        52, ge=1, le=520, unit="weeks",
        source="Minnesota Circles of Support and Accountability (MnCOSA, the programme evaluated in Duwe 2018, Can Circles "
               "of Support and Accountability (CoSA) Significantly Reduce Sexual Recidivism?): a circle meets weekly for about a "
               "year",
        name="Length of an NGO programme",
        doc="Length of an NGO programme (mentoring, support) before the place is freed.",
    )
    reputation: float = share(0.6, source=f"{ASSUMED}: NGOs start with a moderately good name in the community", doc="Initial community reputation of NGOs.", plausible=(0.4, 0.8))
    independence: float = share(
        0.7, source=f"{ASSUMED}: the size; the policy brief says NGOs perceived as independent of government are trusted more",
        doc="Initial perceived independence of NGOs from government.", plausible=(0.5, 0.9),
    )
    willingness: float = share(
        0.8, source=f"{ASSUMED}: most NGOs are willing to work with government at the start; some are wary", name="Initial NGO willingness to cooperate with government", doc="Initial willingness of NGOs to cooperate with government, and the level it recovers towards. NGOs offer "
            "places in proportion to their willingness relative to this value (all of ngo.capacity at the start, whatever "
            "it is); the level itself scales the reach of dialogue campaigns.", plausible=(0.6, 1),
    )
    willingness_recovery: float = share(
        0.02, unit="share per week", source=f"{ASSUMED}: lost willingness recovers over months (half-way in about 35 weeks)",
        name="Weekly recovery of NGO willingness",
        doc="Weekly recovery of NGO willingness towards its initial value (ngo.willingness), as a share of the distance.", plausible=(0.01, 0.04),
    )
    reputation_recovery: float = share(
        0.02, unit="share per week",
        source=f"{ASSUMED}: a public reputation recovers over months, as willingness does (half-way in about 35 weeks); "
               "no study measures either for NGOs",
        name="Weekly recovery of NGO reputation",
        doc="Weekly recovery of NGO reputation towards its initial value (ngo.reputation), as a share of the distance.", plausible=(0.01, 0.04),
    )
    service_breadth: float = share(
        0.6, source=f"{ASSUMED}: a typical NGO offers a little over half of the services besides mentoring",
        name="Chance that an NGO offers each service besides mentoring",
        doc="Chance that an NGO offers each of the services employment, housing, psychological, family support, media help and "
            "community dialogue; every NGO offers mentoring whenever this is above 0. No rule reads the family support or "
            "community dialogue service: NGO family support comes from the community-interventions lever (Policy.family_support) "
            "and dialogue campaigns from ngo.capacity.", plausible=(0.4, 0.8),
    )
    self_referral: float = share(
        0.02, unit="probability per week", source=f"{ASSUMED}: help is mostly sought after a referral; at full trust about two in three would ask within a year",
        name="Weekly chance of self-referral to an NGO",
        doc="Weekly chance that a released person in the community with no NGO (neither waiting for nor enrolled with "
            "one) asks an NGO for help, at full trust in NGOs: the chance is this times their trust.",
        plausible=(0.01, 0.04),
    )
    dialogue_reach: float = share(
        0.02, unit="share of community per week", source=f"{ASSUMED}: a campaign at full intensity reaches about two-thirds of the community within a year",
        name="Weekly community reach of NGO dialogue campaigns",
        doc="Share of the community NGO dialogue campaigns reach each week at full intensity (the dialogue that "
            "lever_effects.mobilisation_dialogue and stigma_reduction_dialogue give the levers, capped at 1) and full "
            "active NGO capacity (ngo.capacity capped at 1, times willingness); it scales with both.", plausible=(0.01, 0.04),
    )
    publicity: float = share(
        0.5, unit="probability", source=f"{ASSUMED}: the size; the policy brief, objective 8, says NGOs are 'scapegoated after failures'",
        name="Chance a general-offender client's offence goes public",
        doc="Chance that a general-offender client's new offence becomes public and costs the NGO reputation "
            "(ngo.extremist_publicity for violent-extremist clients).", when=WITH_GENERAL, plausible=(0.25, 0.75),
    )
    extremist_publicity: float = share(
        1.0, unit="probability", plausible=(0.5, 1.0),
        source=f"{ASSUMED}: the policy brief says violent-extremist cases draw intense media scrutiny, so every new "
               "offence by such a client is taken to become public; the size is chosen",
        name="Chance a violent-extremist client's offence goes public",
        doc="Chance that a violent-extremist client's new offence becomes public and costs the NGO reputation.",
        when=WITH_EXTREMISTS,
    )


class Prison(Section):
    harshness: float = share(
        0.5, source=f"{ASSUMED}: the size; the policy brief, objectives 1 and 2, says disproportionate regimes breed grievance",
        name="Harshness of the prison regime",
        doc="Harshness of the prison regime; raises grievance and distrust of government at release.", plausible=(0.3, 0.7),
    )
    visits: float = share(
        0.5, plausible=(0.3, 0.7),
        source=f"{ASSUMED}: mid-scale, informed by Duwe & Clark 2013, Blessed Be the Social Tie That Binds (Minnesota), whose visited group was 61% of "
               "releases; no study gives the share for people held for terrorism offences. Range: 0.2 either side, "
               "covering the study's 61%",
        name="Share of families visiting during custody",
        doc="Share of families who visit during custody (any visit; Duwe & Clark's visited group was 61% of releases).",
    )
    programmes: float = share(
        0.3, source=f"{ASSUMED}: without NGO delivery, custodial programmes reach under a third of prisoners", name="Reach of prison programmes without NGO involvement", doc="Reach of custodial rehabilitation programmes before any NGO involvement.", plausible=(0.15, 0.5),
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


PER_PROFILE = "stated per profile (GeneralProfile, ExtremistProfile)"
"""The source of an OffenceProfile field whose provenance differs between the profiles: each profile restates it
(``restated``), so no parameter shows this text."""


def restated(model: type[BaseModel], name: str, *, source: str, plausible: tuple[float, float] | None = None) -> Any:
    """Field `name` of `model`, for a subclass that shares its meaning, unit, bounds and name but not its provenance:
    the same field with its own ``source`` and ``plausible`` range (none without one). The one way a section's
    fields say, per section, where their numbers come from (the offender profiles)."""
    info = copy.copy(model.model_fields[name])
    extra = {key: value for key, value in dict(info.json_schema_extra or {}).items() if key not in ("source", "plausible")}
    extra["source"] = source
    if plausible is not None:
        extra["plausible"] = [plausible[0], plausible[1]]
    info.json_schema_extra = extra
    return info


class OffenceProfile(Section):
    """What both offender profiles hold. Where the provenance differs, each profile restates the field with its own
    (GeneralProfile, ExtremistProfile)."""

    base_hazard: float = parameter(
        0.0005, ge=0, le=1, unit="hazard (rate) per week", source=PER_PROFILE,
        name="Base weekly hazard of a new offence",
        doc="Weekly new-offence hazard of a person of average static risk before dynamic factors (no job, home, bonds, associates, commitment, stigma or needs). "
            "A rate, not a chance: the weekly chance of an offence is 1 - exp(-hazard), 0.63 at a hazard of 1.",
    )
    risk_dispersion: float = parameter(
        1.0, ge=0, le=10, unit="variance (risk has mean 1)", source=PER_PROFILE,
        name="Variance of static risk across the cohort",
        doc="Variance of static risk across the cohort (gamma distributed with mean 1; 0 = everyone alike).",
    )
    desisted_share: float = share(
        0.5, source=PER_PROFILE,
        name="Share already desisted at release",
        doc="Share of the cohort who have desisted at release (their static risk is multiplied by "
            "release_state.desisted_risk).",
    )
    commitment: float = share(
        0.3, source=f"{ASSUMED}: no scale measures commitment (or antisocial identity) at release comparably across studies; mid-scale means, set per profile",
        name="Mean commitment at release, before programmes",
        doc="Mean ideological commitment (extremist identity) or antisocial identity at release, before custodial programmes: "
            "each person's is drawn uniformly between 0 and twice it, capped at 1, so above 0.5 the cohort's mean falls short of it (0.69 at 0.8).", plausible=(0.2, 0.7),
    )
    needs: float = share(0.5, source=f"{ASSUMED}: mental-health and other needs are common among people leaving prison; mid-scale means, set per profile", name="Mean mental-health and other needs at release", doc="Mean mental-health and other dynamic needs at release, before custodial programmes: "
        "each person's is drawn uniformly between 0 and twice it, capped at 1, so above 0.5 the cohort's mean falls short of it (0.69 at 0.8).", plausible=(0.2, 0.7))
    terrorism_share: float = share(
        0.0, source=PER_PROFILE,
        name="Base chance that a new offence is terrorism",
        doc="Chance that a new offence is a terrorism offence for a person with no commitment and no engagement with the movement.",
    )
    terrorism_commitment: float = share(
        0.0, source=PER_PROFILE,
        name="Added terrorism chance at full commitment",
        doc="Added chance that a new offence is a terrorism offence at full ideological commitment.",
    )
    terrorism_engagement: float = share(
        0.0, source=PER_PROFILE,
        name="Added terrorism chance at full engagement",
        doc="Added chance that a new offence is a terrorism offence at full engagement with the movement.",
    )


RENARD_HODWITZ = ("Renard 2020, Overblown: Exploring the Gap Between the Fear of Terrorist Recidivism and the Evidence; "
                  "Hodwitz 2019, The Terrorism Recidivism Study (TRS)")


class GeneralProfile(OffenceProfile):
    """The offending of general offenders: fitted to the BJS 2005 cohort in the general_offenders scenario."""

    base_hazard: float = restated(
        OffenceProfile, "base_hazard",
        source="calibrated: an earlier fit to the BJS 2005 arrest curve; the value fitted to it now, 0.0195, is set in "
               "the general_offenders scenario (the default here is not the fit; docs/VALIDATION.md)",
    )
    risk_dispersion: float = restated(
        OffenceProfile, "risk_dispersion",
        source="calibrated: gamma frailty, fitted to the BJS 2005 curves with the base hazard and desisted share "
               "here: heterogeneous risk makes the population hazard fall after release (docs/ODD.md); the later "
               "recalibration (docs/VALIDATION.md) held it at this value, which the general_offenders scenario uses",
    )
    desisted_share: float = restated(
        OffenceProfile, "desisted_share",
        source="calibrated: split-population (cure-fraction) models of recidivism (Schmidt & Witte 1989, Predicting "
               "criminal recidivism using 'split population' survival time models); an earlier "
               "fit to the BJS 2005 curves; the value fitted to them now, 0.12, is set in the general_offenders scenario "
               "(the default here is not the fit; docs/VALIDATION.md)",
    )
    terrorism_share: float = restated(
        OffenceProfile, "terrorism_share", plausible=(0.0, 0.01),
        source=f"{ASSUMED}: 0, general offenders almost never commit a terrorism offence. Range: up to one new offence "
               "in a hundred",
    )
    terrorism_commitment: float = restated(
        OffenceProfile, "terrorism_commitment", plausible=(0.0, 0.02),
        source=f"{ASSUMED}: 0, a general offender's commitment is an antisocial identity, not an ideological one, and "
               "does not turn offending towards a cause. Range: at most a small added chance",
    )
    terrorism_engagement: float = restated(
        OffenceProfile, "terrorism_engagement", plausible=(0.0, 0.02),
        source=f"{ASSUMED}: 0, general offenders do not plan attacks with the movement's active members. Range: at most "
               "a small added chance",
    )


class ExtremistProfile(OffenceProfile):
    """The offending of violent-extremist offenders: tuned to the published terrorism reoffending (Renard 2020; Hodwitz 2019)."""

    base_hazard: float = restated(
        OffenceProfile, "base_hazard",
        source="calibrated by hand, with the terrorism share of offences, to the published 1.5-5% terrorism "
               f"reoffending at 3-5 years ({RENARD_HODWITZ}; a calibration target in docs/VALIDATION.md)",
    )
    risk_dispersion: float = restated(
        OffenceProfile, "risk_dispersion", plausible=(0.5, 2.0),
        source=f"{ASSUMED}: no study measures how static risk varies among people released after terrorism offences; "
               "gamma frailty as for general offenders (0.85, calibrated to BJS 2005). Range: half to twice the default",
    )
    desisted_share: float = restated(
        OffenceProfile, "desisted_share", plausible=(0.4, 0.8),
        source=f"{ASSUMED}: most people convicted of terrorism offences disengage and few reoffend ({RENARD_HODWITZ}), "
               "but no study gives the share desisted at release (a split-population model's cure fraction, Schmidt & "
               "Witte 1989, Predicting criminal recidivism using 'split population' survival time models); the base hazard and terrorism share were tuned with it at this value. Range: 0.2 either side",
    )
    terrorism_share: float = restated(
        OffenceProfile, "terrorism_share", plausible=(0.0, 0.3),
        source="calibrated by hand, with the base hazard, to the published 1.5-5% terrorism reoffending at 3-5 years "
               "(a calibration target in docs/VALIDATION.md): most new offences are not terrorism offences (Renard "
               "2020: 2.3% terrorist against a higher general reoffending)",
    )
    terrorism_commitment: float = restated(
        OffenceProfile, "terrorism_commitment", plausible=(0.0, 0.6),
        source=f"{ASSUMED}: ideological commitment turns offending towards the cause (deradicalisation literature; size chosen)",
    )
    terrorism_engagement: float = restated(
        OffenceProfile, "terrorism_engagement", plausible=(0.0, 0.6),
        source=f"{ASSUMED}: attacks are planned with active members of the movement (Altier, Thoroughgood & Horgan 2014, Turning "
               "away from terrorism: Lessons from psychology, sociology, and criminology, on disengagement against "
               "deradicalisation; size chosen)",
    )


def _general_profile() -> GeneralProfile:
    return GeneralProfile(base_hazard=0.019, risk_dispersion=0.85, desisted_share=0.03, commitment=0.4, needs=0.5)


def _extremist_profile() -> ExtremistProfile:
    return ExtremistProfile(
        base_hazard=0.001, risk_dispersion=1.0, desisted_share=0.6, commitment=0.5, needs=0.4,
        terrorism_share=0.15, terrorism_commitment=0.5, terrorism_engagement=0.5,
    )


class Offending(Section):
    # the profiles share their fields' words: the profile's ``name`` says whose a parameter is ('Base weekly hazard of a
    # new offence (general offenders)'), so that the two are told apart wherever they are named (key_name); each
    # profile states where its numbers come from (restated)
    general: GeneralProfile = Field(default_factory=_general_profile, description="Profile of general offenders.",
                                    json_schema_extra={"when": WITH_GENERAL, "name": "general offenders"})
    violent_extremist: ExtremistProfile = Field(
        default_factory=_extremist_profile,
        description="Profile of violent-extremist offenders: a low hazard of any new offence, a share of which are terrorism offences (Renard 2020; Hodwitz 2019).",
        json_schema_extra={"when": WITH_EXTREMISTS, "name": "violent extremists"},
    )


class Effects(Section):
    """Behavioural coefficients: how needs, bonds and support shape hazards and chances."""

    record_penalty: float = share(
        0.5, source="Pager 2003, The Mark of a Criminal Record: a criminal record roughly halves employer callbacks",
        name="Fall in job chances from a criminal record",
        doc="Relative fall in the chance of finding a job because of a criminal record.",
    )
    job_finding: float = share(
        0.05, unit="probability per week", source=f"{ASSUMED}: about half find work within a year",
        doc="Weekly chance of finding a job without record or stigma.", plausible=(0.025, 0.1),
    )
    job_loss: float = share(0.01, unit="probability per week", source=f"{ASSUMED}: a job lasts about two years on average", doc="Weekly chance of losing a job.", plausible=(0.005, 0.02))
    housing_finding: float = share(
        0.6, unit="probability per week", source="calibrated: the release shock, BJS 2005 month-1 arrests (most find a place within weeks)",
        doc="Weekly chance of finding stable housing without stigma.",
    )
    housing_loss: float = share(0.005, unit="probability per week", source=f"{ASSUMED}: a stable home lasts about four years on average", doc="Weekly chance of losing stable housing.", plausible=(0.0025, 0.01))
    stigma_barrier: float = share(
        0.6, source=f"{ASSUMED}: at full local stigma, employers and landlords turn away more than half, beyond the record itself", name="Fall in job and housing chances at full stigma", doc="Relative fall in job and housing chances at full local stigma.", plausible=(0.4, 0.8),
    )
    ngo_practical_help: float = parameter(
        1.0, ge=0, le=10, unit="relative increase",
        source=f"{ASSUMED}: NGO job and housing help doubles the chance of finding either", name="Rise in job and housing chances with NGO help", doc="Relative rise in job and housing chances while enrolled with an NGO offering that service, without "
            "lever 8; that lever multiplies it by 1 + lever_effects.reintegration_practical_help x lever.",
    )
    employment: float = parameter(
        0.7, gt=0, le=1, unit="hazard ratio", source=f"{ASSUMED}: the size; work lowers reoffending (Uggen 2000, Work as a turning point in the life course of criminals)",
        doc="Hazard ratio of a new offence while employed.",
    )
    housing: float = parameter(
        0.33, gt=0, le=1, unit="hazard ratio", source="calibrated: the release shock, BJS 2005 month-1 arrests; the calibrated value means about three "
        "times the hazard without a home",
        name="Hazard ratio of a new offence while stably housed",
        doc="Hazard ratio of a new offence while stably housed (the first weeks without a home are the riskiest).",
    )
    family_bond: float = parameter(
        0.6, gt=0, le=1, unit="hazard ratio at full bond",
        source=f"{ASSUMED}: the size, not taken from the visits studies; family support after release lowers reoffending (Berg & Huebner 2011, Reentry and the ties that bind)",
        doc="Hazard ratio of a new offence at the strongest family bond.",
    )
    prosocial_ties: float = parameter(
        0.7, gt=0, le=1, unit="hazard ratio at full ties", source=f"{ASSUMED}: the size; social bonds lower offending (Sampson & Laub 1993, Crime in the making)",
        doc="Hazard ratio at the strongest prosocial ties.",
    )
    associates: float = parameter(
        1.25, ge=1, le=5, unit="hazard ratio per tie", source=f"{ASSUMED}: differential association (Sutherland, Principles of Criminology): ties to active offenders raise offending; a quarter more hazard per tie",
        doc="Hazard ratio per active tie to old associates.", when=WITH_AFFINITY,
    )
    commitment: float = parameter(
        4.0, ge=1, le=50, unit="hazard ratio at full commitment", source=f"{ASSUMED}: no study measures the hazard ratio of commitment for released terrorism convicts; full commitment is taken to multiply the hazard several times",
        name="Hazard ratio of a new offence at full commitment",
        doc="Hazard ratio at full ideological (or antisocial) commitment relative to none.",
    )
    experienced_stigma: float = parameter(
        1.6, ge=1, le=10, unit="hazard ratio at full stigma", source=f"{ASSUMED}: the size; labelling raises reoffending (Chiricos et al. 2007, The labeling of convicted felons and its consequences for recidivism)",
        doc="Hazard ratio at full experienced stigma relative to none.",
    )
    needs: float = parameter(1.5, ge=1, le=10, unit="hazard ratio at full needs", source=f"{ASSUMED}: unmet needs raise the hazard moderately (risk-need-responsivity treats them as dynamic risk factors)", doc="Hazard ratio at full unmet needs.")
    commitment_change: float = share(
        0.02, unit="share per week", source=f"{ASSUMED}: identity shifts over months to years (half-way in about 35 weeks at full pull)",
        name="Weekly rate of change in commitment",
        doc="Weekly rate at which mentoring and prosocial ties erode, and old associates rebuild, commitment.", plausible=(0.01, 0.04),
    )
    bond_change: float = share(0.02, unit="share per week", source=f"{ASSUMED}: family bonds and ties settle over months (half-way in about 35 weeks)", name="Weekly rate of change in family bonds and ties", doc="Weekly rate at which family bonds and prosocial ties move towards their targets.", plausible=(0.01, 0.04))
    trust_change: float = share(0.03, unit="share per week", source=f"{ASSUMED}: trust follows experience over months (half-way in about 23 weeks)", doc="Weekly rate at which trust moves towards experience.", plausible=(0.015, 0.06))
    compliance_support: float = parameter(
        0.375, ge=0, le=1, unit="relative reduction", source=f"{ASSUMED}: all three supports together cut breaches by three-eighths; the breach rates were calibrated with this value",
        name="Fall in breaches with work or home, family and trust",
        doc="Relative fall in breach propensity with all three supports (work or a home, full family bond, full "
            "trust in government), in proportion to their mean. Assumed; the breach rates were calibrated with "
            "this value.", plausible=(0.2, 0.55),
    )


def coef(
    default: float, *, why: str, doc: str, plausible: tuple[float, float], unit: str = "coefficient",
    ge: float | None = 0.0, le: float | None = 1.0, gt: float | None = None, when: dict[str, Any] | None = None,
    name: str | None = None,
) -> Any:
    """An assumed coefficient of a weekly rule: ``why`` says what the assumption rests on."""
    return parameter(default, ge=ge, le=le, gt=gt, unit=unit, source=f"{ASSUMED}: {why}", doc=doc, plausible=plausible,
                     when=when, name=name)


def lever_on(lever: str) -> dict[str, dict[str, float]]:
    """``when`` of a lever's effect size: a lever at 0 multiplies it by 0 (``sim.levers.Policy``)."""
    return {f"cooperation.{lever}": {"above": 0}}


def lever_coef(lever: str, default: float, **kwargs: Any) -> Any:
    """The assumed size of one of ``lever``'s effects: read only with the lever above 0."""
    return coef(default, why=LEVER_WHY, when=lever_on(lever), **kwargs)


STATE_WHY = "sets a plausible state at the prison gate; no study measures it for this population"
LEVER_WHY = "the policy brief names each lever's direction, not its size; chosen so a full lever moves its target moderately"
BEHAVIOUR_WHY = "a behavioural weight chosen so that the weekly rules reproduce the calibrated curves and published directions"


class ReleaseState(Section):
    """What prison leaves people with at release: commitment, needs, grievance, trust, ties, home and job."""

    programme_commitment: float = coef(
        0.5, why=STATE_WHY, plausible=(0.2, 0.8), unit="relative reduction",
        name="Fall in commitment from prison programmes",
        doc="Relative fall in commitment at release when custodial programmes reach everyone.",
    )
    programme_needs: float = coef(
        0.3, why=STATE_WHY, plausible=(0.1, 0.5), unit="relative reduction",
        name="Fall in needs from prison programmes",
        doc="Relative fall in needs at release when custodial programmes reach everyone.",
    )
    grievance_spread: float = coef(
        0.5, why=STATE_WHY, plausible=(0.25, 0.75), unit="share of the regime's grievance",
        name="Spread of grievance between people at release",
        doc="Half-width of the individual variation of grievance around what the regime causes.",
    )
    trust_government: float = coef(
        0.6, why=STATE_WHY, plausible=(0.4, 0.8), unit="trust (0-1)", doc="Trust in government at release without grievance.",
    )
    grievance_distrust_government: float = coef(
        0.5, why=STATE_WHY, plausible=(0.25, 0.75), unit="trust per unit grievance",
        doc="Fall in trust in government at release per unit of grievance.",
    )
    trust_ngo: float = coef(
        0.45, why=STATE_WHY, plausible=(0.3, 0.6), unit="trust (0-1)",
        name="Trust in NGOs at release",
        doc="Trust in NGOs at release without grievance or custodial NGO work.",
    )
    grievance_distrust_ngo: float = coef(
        0.2, why=STATE_WHY, plausible=(0.1, 0.4), unit="trust per unit grievance",
        doc="Fall in trust in NGOs at release per unit of grievance.",
    )
    prosocial_ties: float = coef(
        0.2, why=STATE_WHY, plausible=(0.1, 0.3), unit="ties (0-1)", doc="Prosocial ties at release.",
    )
    housed: float = coef(
        0.3, why=STATE_WHY, plausible=(0.15, 0.5), unit="probability",
        name="Chance of stable housing on release day",
        doc="Chance of stable housing on the day of release without through-the-gate support.",
    )
    housed_through_the_gate: float = coef(
        0.4, why=STATE_WHY, plausible=(0.2, 0.6), unit="probability at full continuity",
        name="Added housing chance on release from through-the-gate help",
        doc="Added chance of housing on the day of release at full through-the-gate continuity.",
    )
    employed_through_the_gate: float = coef(
        0.4, why=STATE_WHY, plausible=(0.2, 0.6), unit="probability at full continuity",
        name="Chance of a job on release from through-the-gate help",
        doc="Chance of a job lined up on the day of release at full through-the-gate continuity.",
    )
    manipulation_bias: float = coef(
        2.0, why="manipulation of providers (the policy brief, objective 6) hides commitment; size chosen",
        plausible=(1.0, 3.0), unit="logit per unit commitment x manipulation", le=10.0,
        name="How far manipulation lowers assessed risk",
        doc="How far a committed person's manipulation lowers the assessed risk score.",
    )
    desisted_risk: float = coef(
        0.1, why="split-population models treat desisters as near-zero risk; one tenth keeps a small residual",
        plausible=(0.02, 0.2), unit="risk multiplier", name="Static risk of a desisted person relative to others", doc="Static risk of a person who has desisted, relative to the rest.",
    )


class Attitudes(Section):
    """How community attitudes respond to affinity, media, contact, campaigns and visible support."""

    affinity_prior: float = coef(
        0.2, why="members close to extremist or criminal networks do not reject their own; size chosen",
        plausible=(0.1, 0.4), unit="stigma multiplier", name="Stigma of members with affinity relative to others", doc="Stigma of a member with affinity, relative to the draw for others.",
    )
    susceptibility_concentration: float = coef(
        4.0, why="moderate spread of media susceptibility", plausible=(2.0, 8.0), unit="Beta concentration",
        ge=None, gt=0.0, le=1_000.0, name="Uniformity of media susceptibility across members", doc="Spread of media susceptibility across members (Beta); larger is more uniform.",
    )
    contact_saturation: float = coef(
        13.0, why="contact effects are taken to show diminishing returns (the meta-analysis the size comes from, Pettigrew "
        "& Tropp 2006, does not give the shape); a quarter of a year of weekly contact gives half the largest effect",
        plausible=(6.0, 26.0), unit="contact-weeks", ge=None, gt=0.0, le=520.0,
        name="Contact-weeks for half the largest contact effect",
        doc="Contact experience (quality-weighted contact-weeks, faded) at which contact brings half its largest effect.",
    )
    contact_fade: float = coef(
        0.027, why="attitude change from contact decays without renewal; half-life of about half a year (ln 2 / 26 weeks)",
        plausible=(0.01, 0.06), unit="share per week",
        name="Weekly fading of contact experience",
        doc="Weekly share of a member's contact experience that fades, every week (this week's contact is added to what is left, so without contact it only fades).",
    )
    dialogue_effect: float = coef(
        0.2, why="dialogue lowers prejudice like structured contact; size chosen", plausible=(0.1, 0.3),
        unit="relative reduction", name="Fall in stigma of members a dialogue campaign reaches", doc="Relative fall in stigma of a member a dialogue campaign reaches.",
    )
    dialogue_prior_effect: float = coef(
        0.1, why="part of a campaign's effect lasts; size chosen", plausible=(0.05, 0.2),
        unit="relative reduction", name="Fall in lasting stigma of members a campaign reaches", doc="Relative fall in the prior (lasting) attitude of a member a campaign reaches.",
    )
    resentment_rate: float = coef(
        0.02, why="backlash builds over months, not weeks", plausible=(0.01, 0.04), unit="share per week",
        name="Weekly rise in stigma from resentment of support",
        doc="Weekly logistic rise in stigma and in the prior (anchor) attitude per unit of resentment and visible support.",
    )
    affinity_after_shock: float = coef(
        0.5, why="members with affinity side with the released person after an attack; size chosen",
        plausible=(0.25, 1.0), unit="stigma multiplier", doc="Stigma a member with affinity keeps after a media shock.",
    )


class Families(Section):
    """Households: what they can give, what custody cost them and the stigma they share."""

    support_capacity: float = coef(
        0.6, why="most families can give some support", plausible=(0.4, 0.8), unit="support (0-1)",
        doc="Mean support a household could give (Beta distributed).",
    )
    concentration: float = coef(
        4.0, why="moderate spread across households", plausible=(2.0, 8.0), unit="Beta concentration",
        ge=None, gt=0.0, le=1_000.0, doc="Spread of household support and resources lost (Beta).",
    )
    reinforcing_general: float = coef(
        0.15, why="a minority of families endorse offending", plausible=(0.05, 0.3), unit="share",
        name="Share of general offenders' families reinforcing offending",
        doc="Share of general offenders' families who reinforce the offending identity.",
        when=WITH_GENERAL,
    )
    reinforcing_extremist: float = coef(
        0.25, why="extremist milieus are often family-based; size chosen", plausible=(0.1, 0.4), unit="share",
        name="Share of extremists' families reinforcing extremist identity",
        doc="Share of violent-extremist offenders' families who reinforce the extremist identity.",
        when=WITH_EXTREMISTS,
    )
    resources_lost: float = coef(
        0.4, why="incarceration costs households income and savings", plausible=(0.2, 0.6), unit="share (0-1)",
        name="Mean share of household resources lost to custody",
        doc="Mean share of household resources lost to the incarceration (Beta distributed).",
    )
    bond_kept: float = coef(
        0.15, why="some bond survives custody without visits", plausible=(0.05, 0.3), unit="share of capacity",
        name="Family support surviving custody without visits or NGOs",
        doc="Share of a family's support capacity that survives custody without visits or NGO support.",
    )
    bond_visits: float = coef(
        0.6, why="visits keep family ties (Duwe & Clark 2013, Blessed Be the Social Tie That Binds); size chosen", plausible=(0.4, 0.8),
        unit="share of capacity", doc="Added share of capacity kept at full visits.",
    )
    bond_family_support: float = coef(
        0.25, why=LEVER_WHY, plausible=(0.1, 0.4), unit="share of capacity",
        name="Added family bond kept with NGO support in custody",
        doc="Added share of capacity kept at full NGO family support during custody (objective 7).",
    )
    exposure: float = coef(
        0.5, why="families share part of the stigma around them", plausible=(0.25, 0.75), unit="share of local stigma",
        name="Share of local stigma a household meets",
        doc="Share of local stigma a household meets before NGO work makes it visible.",
    )
    resource_recovery: float = coef(
        0.01, why="households rebuild over about two years of work", plausible=(0.005, 0.02), unit="share per week",
        name="Weekly recovery of household resources while working",
        doc="Weekly recovery of lost resources while the released person works.",
    )
    engagement_floor: float = coef(
        0.4, why="families engage after release even without visits", plausible=(0.2, 0.6), unit="share",
        name="Engagement after release of a never-visiting family",
        doc="Engagement after release of a family that never visited, relative to full visits.",
    )
    reference_visits: float = coef(
        0.5, why="set to the default of prison.visits, so that engagement averages about 1 at the visits the "
        "prison regime sets (the policy-input lever, lever_effects.policy_input_visits, adds visits to it)",
        plausible=(0.3, 0.7), unit="share of visits",
        name="Share of families visiting at which engagement averages 1",
        doc="Share of families visiting at which a family's engagement after release averages 1 (engagement is "
            "divided by its value at this share, so it may be 0 only with families.engagement_floor above 0).",
    )
    resources_drag: float = coef(
        0.5, why="poorer households give less", plausible=(0.25, 0.75), unit="relative reduction",
        doc="Relative fall in support when all resources were lost.",
    )
    stigma_drag: float = coef(
        0.4, why="shared stigma strains households", plausible=(0.2, 0.6), unit="relative reduction",
        doc="Relative fall in support at full stigma exposure.",
    )
    reinforcing_support: float = coef(
        0.5, why="reinforcing families give less prosocial support", plausible=(0.25, 0.75), unit="multiplier",
        name="Relative prosocial support of a reinforcing family",
        doc="Prosocial support a reinforcing family gives, relative to others.",
    )


class Reintegration(Section):
    """Weights of the weekly reintegration rules: needs, ties, identity, trust, and losses on recall."""

    needs_capability: float = coef(
        0.5, why=BEHAVIOUR_WHY, plausible=(0.25, 0.75), unit="relative reduction",
        doc="Relative fall in the chance of finding a job at full needs.",
    )
    licence_work_barrier: float = coef(
        0.3, why="curfews, exclusion zones and reporting duties get in the way of work; size chosen",
        plausible=(0.1, 0.5), unit="relative reduction at full strictness",
        name="Fall in job finding on licence at full strictness",
        doc="Relative fall in the chance of finding a job on licence at full strictness.",
    )
    needs_growth: float = coef(
        0.002, why=BEHAVIOUR_WHY, plausible=(0.001, 0.004), unit="needs per week",
        name="Weekly rise in needs without a job or home",
        doc="Weekly rise in needs for each of a job and a home a person lacks.",
    )
    therapy_effect: float = coef(
        0.04, why=BEHAVIOUR_WHY, plausible=(0.02, 0.08), unit="share per week",
        name="Weekly fall in needs under NGO psychological support",
        doc="Weekly relative fall in needs under NGO psychological support at full service match.",
    )
    ties_base: float = coef(0.15, why=BEHAVIOUR_WHY, plausible=(0.05, 0.25), unit="ties (0-1)", doc="Prosocial ties without work or mentoring.")
    ties_work: float = coef(0.35, why=BEHAVIOUR_WHY, plausible=(0.2, 0.5), unit="ties (0-1)", doc="Prosocial ties that work brings.")
    ties_mentoring: float = coef(0.35, why=BEHAVIOUR_WHY, plausible=(0.2, 0.5), unit="ties (0-1)", doc="Prosocial ties that NGO mentoring brings.")
    ties_stigma: float = coef(0.3, why=BEHAVIOUR_WHY, plausible=(0.15, 0.45), unit="ties (0-1)", doc="Prosocial ties lost at full local stigma.")
    associate_restriction: float = coef(
        0.3, why="non-association conditions are partly kept", plausible=(0.1, 0.5), unit="relative reduction at full strictness",
        name="Fall in contact with associates on licence",
        doc="Relative fall in contact with old associates on licence at full strictness.",
        when=WITH_AFFINITY,
    )
    family_pull: float = coef(
        0.5, why=BEHAVIOUR_WHY, plausible=(0.25, 0.75), unit="pull per unit bond",
        name="Pull of a reinforcing family towards commitment",
        doc="Pull towards commitment of a reinforcing family, per unit of bond.",
    )
    grievance_pull: float = coef(
        0.5, why=BEHAVIOUR_WHY, plausible=(0.25, 0.75), unit="pull per unit grievance x stigma",
        doc="Pull towards commitment of grievance met with rejection.",
    )
    government_trust_base: float = coef(
        0.6, why=BEHAVIOUR_WHY, plausible=(0.4, 0.8), unit="trust (0-1)", name="Target trust in government without grievance or stigma", doc="Trust in government people move towards without grievance, supervision or stigma.",
    )
    government_trust_grievance: float = coef(0.4, why=BEHAVIOUR_WHY, plausible=(0.2, 0.6), unit="trust per unit", doc="Fall in the target trust in government per unit of grievance.")
    government_trust_strictness: float = coef(0.3, why=BEHAVIOUR_WHY, plausible=(0.1, 0.5), unit="trust at full strictness", doc="Fall in the target trust in government on licence at full strictness.", name="Fall in trust in government on licence at full strictness")
    government_trust_stigma: float = coef(0.2, why=BEHAVIOUR_WHY, plausible=(0.1, 0.4), unit="trust per unit", doc="Fall in the target trust in government per unit of experienced stigma.", name="Fall in trust in government per unit of felt stigma")
    ngo_trust_base: float = coef(
        0.35, why=BEHAVIOUR_WHY, plausible=(0.2, 0.5), unit="trust (0-1)", name="Target trust in NGOs when not enrolled",
        doc="Trust in NGOs people move towards when not enrolled, with an NGO of no independence and NGOs not seen as "
            "monitors (lever_effects.partnership_monitor_perception lowers it under the supervision-partnership lever).",
    )
    ngo_trust_enrolled: float = coef(0.3, why=BEHAVIOUR_WHY, plausible=(0.15, 0.45), unit="trust (0-1)", doc="Rise in trust in NGOs while enrolled.")
    ngo_trust_independence: float = coef(0.3, why=BEHAVIOUR_WHY, plausible=(0.15, 0.45), unit="trust per unit independence", name="Rise in trust in NGOs per unit of independence", doc="Rise in trust in NGOs per unit of their perceived independence.")
    recall_job_loss: float = coef(
        0.7, why="most jobs do not survive weeks in custody", plausible=(0.5, 0.9), unit="probability",
        doc="Chance of losing a job on recall.",
    )
    recall_housing_loss: float = coef(
        0.3, why="homes are more often kept by family or landlord", plausible=(0.15, 0.5), unit="probability",
        doc="Chance of losing stable housing on recall.",
    )


MOVEMENT_WHY = "no study follows the associates of released terrorism convicts week by week; rates chosen so that about a third leave the movement within three years"


class Movement(Section):
    """Old associates as people with a state (active, desisted, imprisoned), and engagement with the movement.

    Disengagement (behaviour: contact with active associates) and deradicalisation (ideology:
    commitment) are separate states (Horgan 2009, *Walking Away from Terrorism*; Altier, Thoroughgood & Horgan 2014,
    *Turning away from terrorism: Lessons from psychology, sociology, and criminology*).
    Only the associates of violent-extremist people turn over, for everyone they are tied to (a general
    offender in a mixed cohort included); an associate only of general offenders stays active, as in the
    calibration of the general cohort.
    """

    active_share: float = coef(
        0.6, why="many co-offenders are still in prison or have left the movement when a terrorism convict is released",
        plausible=(0.4, 0.8), unit="share", name="Share of associates active in the movement at the start", doc="Share of a violent-extremist person's associates who are active in the movement when the world is built.",
        when={**WITH_EXTREMISTS, **WITH_AFFINITY},
    )
    imprisoned_share: float = coef(
        0.25, why="terrorism cases often convict several members together", plausible=(0.1, 0.4), unit="share",
        name="Share of associates in prison at the start",
        doc="Share of a violent-extremist person's associates in prison when the world is built (the rest have desisted).",
        when={**WITH_EXTREMISTS, **WITH_AFFINITY},
    )
    desistance: float = coef(
        0.002, why=MOVEMENT_WHY, plausible=(0.001, 0.005), unit="probability per week",
        name="Weekly chance an active associate leaves the movement",
        doc="Weekly chance that an active associate leaves the movement (desisted: no longer pulls).",
        when={**WITH_EXTREMISTS, **WITH_AFFINITY},
    )
    arrest: float = coef(
        0.001, why=MOVEMENT_WHY, plausible=(0.0005, 0.003), unit="probability per week",
        name="Weekly chance an active associate is imprisoned",
        doc="Weekly chance that an active associate is arrested and imprisoned.",
        when={**WITH_EXTREMISTS, **WITH_AFFINITY},
    )
    release: float = coef(
        0.005, why="terrorism sentences of several years (Europol, EU Terrorism Situation and Trend Report (TE-SAT)); mean four years", plausible=(0.003, 0.01),
        unit="probability per week", name="Weekly chance an imprisoned associate is released", doc="Weekly chance that an imprisoned associate is released and active again.",
        when={**WITH_EXTREMISTS, **WITH_AFFINITY},
    )
    engagement_change: float = coef(
        0.05, why="contact is resumed or cut within months", plausible=(0.02, 0.1), unit="share per week",
        name="Weekly rate of change in movement engagement",
        doc="Weekly rate at which engagement moves towards the contact a person seeks with active associates.",
        when=WITH_AFFINITY,
    )
    seek_base: float = coef(
        0.2, why="even the disaffected keep some contact with old friends", plausible=(0.1, 0.4), unit="share",
        name="Contact with associates sought without commitment",
        doc="Share of the available contact with active associates sought by a person with no commitment.",
        when=WITH_AFFINITY,
    )
    seek_commitment: float = coef(
        0.8, why="the committed seek out the movement", plausible=(0.5, 0.9), unit="share per unit commitment",
        doc="Added share of that contact sought per unit of commitment.",
        when=WITH_AFFINITY,
    )
    programme_engagement: float = coef(
        0.5, why="disengagement programmes (e.g. the Desistance and Disengagement Programme) aim at contact and behaviour; size chosen",
        plausible=(0.2, 0.8), unit="relative reduction",
        name="Fall in movement engagement from prison programmes",
        doc="Relative fall in engagement with the movement at release when custodial programmes reach everyone.",
        when=WITH_AFFINITY,
    )


class Media(Section):
    """A publicised terrorism offence by a released person: a media shock and a backlash."""

    publicised_reoffence_shock: bool = parameter(
        True, unit="on/off", source="the brief: violent-extremist cases draw intense media scrutiny; a scenario switch",
        name="Whether a publicised terrorism offence sets off a shock",
        doc="Whether a publicised terrorism offence by a released person sets off a media shock and a backlash.",
    )
    publicity: float = coef(
        0.8, why="terrorism offences are nearly always reported", plausible=(0.5, 1.0), unit="probability",
        name="Chance a terrorism offence is publicised",
        doc="Chance that a terrorism offence by a released person is publicised.",
        when=WITH_MEDIA_SHOCK,
    )
    magnitude: float = coef(
        0.3, why="as a scheduled media shock: a marked but not total surge in hostility", plausible=(0.1, 0.5),
        unit="share of the distance to 1", name="Rise in stigma after a publicised terrorism offence", doc="Rise in stigma of a fully susceptible member after a publicised terrorism offence.",
        when=WITH_MEDIA_SHOCK,
    )
    backlash_grievance: float = coef(
        0.1, why="crackdowns after an attack are felt as collective punishment (the brief, objective 1); size chosen",
        plausible=(0.0, 0.3), unit="share of the distance to 1",
        name="Rise in grievance after a publicised terrorism offence",
        doc="Rise in the grievance of violent-extremist people in the community after a publicised terrorism offence.",
        when=WITH_MEDIA_SHOCK,
    )
    backlash_strictness: float = coef(
        0.0, why="licence conditions are tightened after an attack by a released convict; size chosen", plausible=(0.0, 0.3),
        unit="strictness (0-1)", name="Rise in strictness after a publicised terrorism offence", doc="Rise in supervision strictness (capped at 1) after a publicised terrorism offence.",
        when=WITH_MEDIA_SHOCK,
    )


class Compliance(Section):
    """How many licence conditions there are and who breaches them."""

    conditions_base: float = coef(2.0, why="a light licence still has a few standard conditions", plausible=(1.0, 4.0), unit="conditions", le=50.0, doc="Licence conditions at strictness 0.")
    conditions_strictness: float = coef(8.0, why="terrorism licences carry many bespoke conditions", plausible=(4.0, 12.0), unit="conditions", le=50.0, doc="Added licence conditions at strictness 1.")
    propensity_base: float = coef(0.5, why=BEHAVIOUR_WHY, plausible=(0.25, 0.75), unit="multiplier", le=10.0, doc="Breach propensity without needs or commitment.")
    propensity_needs: float = coef(1.0, why=BEHAVIOUR_WHY, plausible=(0.5, 1.5), unit="multiplier per unit needs", le=10.0, doc="Added breach propensity per unit of needs.")
    propensity_commitment: float = coef(0.5, why=BEHAVIOUR_WHY, plausible=(0.25, 0.75), unit="multiplier per unit commitment", le=10.0, doc="Added breach propensity per unit of commitment.")
    accountability_base: float = coef(
        1.175, why="the breach multiplier is about 1 at the general cohort's mean family bond on licence (0.35)",
        plausible=(1.1, 1.25), unit="multiplier", le=10.0, doc="Breach multiplier of a person without family bond.",
    )
    family_accountability: float = coef(
        0.5, why="families who stay in touch hold people to their conditions (Duwe & Clark 2013 find fewer revocations "
        "among the visited; the size here is chosen, not taken from them)", plausible=(0.25, 0.75),
        unit="multiplier at full bond", doc="Fall in the breach multiplier at the strongest family bond.",
    )


class Officers(Section):
    """Probation officers: orientation, training, contacts, discretion, referrals and caseload."""

    caseload_capacity: int = parameter(
        50, ge=1, le=1_000, unit="people per officer", plausible=(25, 80),
        source=f"{ASSUMED}: general parole caseloads of about 50 still allow regular reporting",
        name="Cases an officer sees at the full contact rate",
        doc="Cases an officer sees at the full contact rate; above it contacts (and so detection) thin in proportion.",
        # officers take supervision.caseload cases each (the last one fewer): only a larger caseload thins contacts
        when={"supervision.caseload": {"above": "officers.caseload_capacity"}},
    )
    staff_scepticism: float = coef(
        0.3, why="the policy brief, objective 4, names staff sceptical of civil society; share chosen",
        plausible=(0.1, 0.5), unit="share", doc="Share of officers civil-society training does not reach.",
    )
    orientation_spread: float = coef(0.3, why="officers differ in control orientation", plausible=(0.1, 0.5), unit="orientation (0-1)", name="Spread of officers' control orientation", doc="Width of the spread of officers' control orientation around strictness.")
    training_orientation: float = coef(0.3, why=LEVER_WHY, plausible=(0.1, 0.5), unit="orientation (0-1)", name="Fall in control orientation of trained officers", doc="4 staff training: fall in a trained officer's control orientation, so in their readiness to recall (the lever's whole effect on recall).")
    contacts_base: float = coef(0.5, why="fortnightly reporting at light strictness", plausible=(0.25, 1.0), unit="contacts per week", le=10.0, doc="Contacts per week at strictness 0.")
    contacts_strictness: float = coef(1.0, why="weekly or more at full strictness", plausible=(0.5, 2.0), unit="contacts per week", le=10.0, doc="Added contacts per week at strictness 1.")
    contact_floor: float = coef(0.25, why="risk-need-responsivity: low-risk cases still report", plausible=(0.1, 0.5), unit="multiplier", name="Contact multiplier of the lowest assessed priority", doc="Contact (and referral) multiplier of the lowest assessed priority.")
    contact_priority: float = coef(1.5, why="risk-need-responsivity: contact follows assessed risk", plausible=(1.0, 2.0), unit="multiplier per unit priority", le=10.0, name="Extra contact per unit of assessed priority", doc="Added contact (and referral) multiplier per unit of assessed priority.")
    recall_base: float = coef(
        0.3, why=BEHAVIOUR_WHY, plausible=(0.15, 0.5), unit="base probability",
        name="Base chance of recall for a detected breach",
        doc="Base chance of recall for a detected breach after the warnings, at strictness 0. The chance is "
            "(recall_base + recall_strictness x strictness) times the partnership lever "
            "(1 - lever_effects.partnership_discretion x lever), times the officer's control orientation "
            "(officers.discretion_floor + officers.discretion_orientation x orientation, lower for an officer staff "
            "training reached), and before the warnings are used up times supervision.serious_share.",
    )
    recall_strictness: float = coef(
        0.7, why=BEHAVIOUR_WHY, plausible=(0.5, 0.85), unit="base probability",
        name="Added chance of recall at full strictness",
        doc="Added base chance of recall at strictness 1 (scaled like officers.recall_base).",
    )
    discretion_floor: float = coef(0.7, why="officers differ in how readily they recall", plausible=(0.5, 0.9), unit="multiplier", doc="Recall multiplier of the least control-oriented officer.")
    discretion_orientation: float = coef(0.6, why="officers differ in how readily they recall", plausible=(0.3, 0.9), unit="multiplier per unit orientation", le=10.0, doc="Added recall multiplier per unit of control orientation.")
    trained_referral: float = coef(1.5, why=LEVER_WHY, plausible=(0.75, 2.5), unit="relative increase", le=10.0, name="Rise in referrals by trained officers", doc="4 staff training: relative rise in the referrals of a trained officer (the lever's whole effect on referrals; it acts only through the officers it reaches).")


class NgoEffects(Section):
    """How people take up NGO offers and how NGOs are blamed for failures."""

    acceptance_floor: float = coef(0.5, why="people accept help even from NGOs close to government", plausible=(0.3, 0.7), unit="multiplier", doc="Acceptance multiplier of an NGO with no independence.")
    acceptance_independence: float = coef(
        0.5, why="the policy brief: independent NGOs are trusted more; size chosen", plausible=(0.3, 0.7),
        unit="multiplier per unit independence", doc="Added acceptance multiplier per unit of independence.",
    )
    accountability: float = coef(
        0.3, why="circle volunteers meet the person at least weekly and hold them to account, alerting the authorities to "
        "risk (Wilson, Cortoni & McWhinnie 2009, whose participants had finished their sentences: accountability to "
        "licence conditions is this model's extension); size chosen, not taken from the outcome studies",
        plausible=(0.15, 0.45), unit="relative reduction",
        name="Fall in breaches while in NGO mentoring",
        doc="Relative fall in breaches of licence conditions while in an NGO mentoring programme (at full service match).",
    )
    blame: float = coef(0.05, why="one publicised failure dents but does not ruin a reputation", plausible=(0.02, 0.1), unit="reputation per offence", name="NGO reputation lost per publicised client offence", doc="Reputation lost per publicised client offence (before scapegoating and stigma).")
    blame_stigma_floor: float = coef(0.5, why="blame is felt even in accepting communities", plausible=(0.25, 0.75), unit="multiplier", name="Blame multiplier in a stigma-free community", doc="Blame multiplier in a community with no stigma (rising by one per unit of mean stigma).")
    willingness_damage: float = coef(0.5, why="staff morale follows reputation", plausible=(0.25, 0.75), unit="willingness per reputation", doc="Willingness lost per unit of reputation lost.")


class LeverEffects(Section):
    """The size of each cooperation lever's opportunity and challenge (docs/OBJECTIVES.md)."""

    policy_input_harshness: float = lever_coef("policy_input", 0.5, plausible=(0.25, 0.75), unit="relative reduction", name="Fall in prison harshness from NGO policy input", doc="1 policy input: relative fall in regime harshness at full lever.")
    policy_input_visits: float = lever_coef("policy_input", 0.4, plausible=(0.2, 0.6), unit="share of missed visits", name="Missed visits restored by NGO policy input", doc="1 policy input: share of missed visits restored at full lever.")
    policy_input_independence: float = lever_coef("policy_input", 0.2, plausible=(0.1, 0.4), unit="relative reduction", name="Fall in perceived NGO independence from policy input", doc="1 challenge: relative fall in perceived NGO independence at full lever.")
    monitoring_grievance: float = lever_coef("prison_monitoring", 0.5, plausible=(0.25, 0.75), unit="relative reduction", name="Fall in grievance from NGO prison monitoring", doc="2 prison monitoring: relative fall in grievance at full lever.")
    monitoring_places: float = lever_coef("prison_monitoring", 0.15, plausible=(0.05, 0.3), unit="relative reduction", name="Share of NGO places spent on prison monitoring", doc="2 challenge: share of NGO places spent on monitoring at full lever.")
    mobilisation_places: float = lever_coef("community_mobilization", 0.3, plausible=(0.15, 0.5), unit="relative increase", le=10.0, name="Rise in NGO places from community mobilisation", doc="3 mobilising support: relative rise in NGO places at full lever.")
    mobilisation_dialogue: float = lever_coef("community_mobilization", 0.6, plausible=(0.3, 0.9), unit="campaign intensity", name="Campaign intensity from community mobilisation", doc="3 mobilising support: dialogue campaign intensity at full lever.")
    mobilisation_reputation_risk: float = lever_coef("community_mobilization", 0.006, plausible=(0.003, 0.012), unit="reputation per week", name="Weekly NGO reputation loss from mobilising amid stigma", doc="3 challenge: weekly reputation loss per unit of community stigma at full lever.")
    training_places: float = lever_coef("staff_training", 0.1, plausible=(0.05, 0.2), unit="relative reduction", name="Share of NGO places spent on staff training", doc="4 challenge: share of NGO places spent on training at full lever.")
    assessment_accuracy_base: float = coef(0.3, why="unaided risk assessment is weakly accurate", plausible=(0.15, 0.5), unit="correlation", name="Accuracy of risk assessment without civil-society input", doc="5: accuracy of assessment without civil-society input.")
    assessment_accuracy: float = lever_coef("assessment", 0.6, plausible=(0.3, 0.7), unit="correlation", name="Added assessment accuracy from NGO input", doc="5 informing assessment: added accuracy at full lever (base + this at most 1).")
    service_match_base: float = coef(0.4, why="services roughly matched without good assessment", plausible=(0.2, 0.6), unit="share", name="Match of services to needs without civil-society input", doc="5: how well services match needs without civil-society input.")
    service_match: float = lever_coef("assessment", 0.6, plausible=(0.3, 0.8), unit="share", name="Added match of services to needs from NGO input", doc="5 informing assessment: added service match at full lever.")
    interventions_programme_reach: float = lever_coef("custodial_interventions", 0.6, plausible=(0.3, 0.8), unit="share", name="Added prison programme reach from NGO interventions", doc="6 custodial interventions: added programme reach at full lever.")
    interventions_trust_ngo: float = lever_coef("custodial_interventions", 0.25, plausible=(0.1, 0.4), unit="trust (0-1)", name="Added trust in NGOs at release from their work inside", doc="6: added trust in NGOs at release at full lever.")
    interventions_manipulation: float = lever_coef("custodial_interventions", 0.3, plausible=(0.1, 0.5), unit="share", name="Manipulation of NGO providers inside prisons", doc="6 challenge: manipulation of providers at full lever.")
    interventions_places: float = lever_coef("custodial_interventions", 0.15, plausible=(0.05, 0.3), unit="relative reduction", name="Share of NGO places spent in prisons", doc="6 challenge: share of NGO places spent in prisons at full lever.")
    community_family_support: float = lever_coef("community_interventions", 0.5, plausible=(0.25, 0.75), unit="share", name="NGO family support during custody", doc="7 community interventions: family support during custody at full lever.")
    community_family_visibility: float = lever_coef("community_interventions", 0.5, plausible=(0.25, 0.75), unit="share of local stigma", name="Added stigma exposure of NGO-supported families", doc="7 challenge: added stigma exposure of supported families at full lever.")
    reintegration_through_the_gate: float = lever_coef("reintegration_support", 0.7, plausible=(0.4, 0.9), unit="share", name="Continuity of NGO support across release", doc="8 facilitating reintegration: continuity of support across release at full lever.")
    reintegration_referral: float = lever_coef("reintegration_support", 1.0, plausible=(0.5, 1.5), unit="relative increase", le=10.0, name="Rise in referrals to NGOs from reintegration support", doc="8: relative rise in the referral rate at full lever.")
    reintegration_practical_help: float = lever_coef("reintegration_support", 1.0, plausible=(0.5, 1.5), unit="relative increase", le=10.0, name="Boost to NGO practical help from reintegration support", doc="8: relative rise in the value of NGO practical help at full lever.")
    reintegration_scapegoating: float = lever_coef("reintegration_support", 1.5, plausible=(0.75, 2.5), unit="relative increase", le=10.0, name="Rise in blame on NGOs for clients' failures", doc="8 challenge: relative rise in blame for clients' failures at full lever.")
    reintegration_visibility: float = lever_coef("reintegration_support", 0.5, plausible=(0.25, 0.75), unit="share", name="Visibility of reintegration support to resentful members", doc="8 challenge: visibility of support to resentful members at full lever.")
    partnership_discretion: float = lever_coef("supervision_partnership", 0.4, plausible=(0.2, 0.6), unit="relative reduction", name="Fall in recall discretion from supervision partnership", doc="9 supervision partnership: relative fall in recall discretion at full lever.")
    partnership_compliance: float = lever_coef("supervision_partnership", 0.35, plausible=(0.15, 0.5), unit="relative reduction", name="Fall in breaches from supervision partnership", doc="9: relative fall in breach propensity at full lever.")
    partnership_independence: float = lever_coef("supervision_partnership", 0.5, plausible=(0.25, 0.75), unit="relative reduction", name="Fall in perceived NGO independence from partnership", doc="9 challenge: relative fall in perceived NGO independence at full lever.")
    partnership_monitor_perception: float = lever_coef("supervision_partnership", 0.3, plausible=(0.15, 0.5), unit="trust (0-1)", name="Fall in trust in NGOs seen as monitors", doc="9 challenge: fall in trust in NGOs seen as monitors at full lever.")
    stigma_reduction_dialogue: float = lever_coef("stigma_reduction", 0.6, plausible=(0.3, 0.9), unit="campaign intensity", name="Campaign intensity from NGO stigma reduction", doc="10 stigma reduction: dialogue campaign intensity at full lever.")
    stigma_reduction_buffer: float = lever_coef("stigma_reduction", 0.5, plausible=(0.25, 0.75), unit="relative reduction", name="Fall in experienced stigma with NGO media help", doc="10: relative fall in experienced stigma with NGO media help at full lever.")
    stigma_reduction_visibility: float = lever_coef("stigma_reduction", 0.5, plausible=(0.25, 0.75), unit="share", name="Visibility of anti-stigma work to resentful members", doc="10 challenge: visibility of support to resentful members at full lever.")
    campaign_reputation_cost: float = lever_coef("stigma_reduction", 0.002, plausible=(0.001, 0.004), unit="reputation per week", name="Weekly NGO reputation cost of public campaigning", doc="10 challenge: weekly reputation cost of public campaigning at full lever.")
    contact_quality_base: float = coef(0.5, why="unstructured contact works less well (Pettigrew & Tropp 2006, A meta-analytic test of intergroup contact theory)", plausible=(0.25, 0.75), unit="multiplier", doc="Quality of contact between neighbours without campaigns.")
    contact_quality: float = coef(0.5, why=LEVER_WHY, plausible=(0.25, 0.75), unit="multiplier", name="Added contact quality from mobilisation or stigma work", doc="3 and 10: added contact quality at full mobilisation or stigma reduction.")
    erosion_rate: float = coef(0.001, why=LEVER_WHY, plausible=(0.0005, 0.002), unit="willingness per week", name="Weekly erosion of NGO willingness per eroding lever", doc="Weekly erosion of NGO willingness per unit of eroding lever (objectives 1, 2, 5, 7, 9).")
    erosion_assessment: float = coef(2.5, why="publication conflicts weigh most (the policy brief, objective 5)", plausible=(1.0, 4.0), unit="weight", le=10.0, name="Erosion weight of NGO input to assessment", doc="Weight of objective 5 in the erosion (objectives 1 and 2 weigh 1).", when=lever_on("assessment"))
    erosion_community: float = lever_coef("community_interventions", 0.5, plausible=(0.25, 1.0), unit="weight", le=10.0, name="Erosion weight of NGO family work, general cohort", doc="Weight of objective 7 in the erosion for a general-offender cohort.")
    erosion_community_extremist: float = coef(1.5, why="threats to staff come with violent-extremist clients (objective 7)", plausible=(0.75, 2.5), unit="weight", le=10.0, name="Added erosion weight of NGO family work, extremist cohort", doc="Added weight of objective 7 for a wholly violent-extremist cohort.",
                                       when={**WITH_EXTREMISTS, **lever_on("community_interventions")})
    erosion_partnership: float = lever_coef("supervision_partnership", 1.5, plausible=(0.75, 2.5), unit="weight", le=10.0, name="Erosion weight of NGO part in supervision", doc="Weight of objective 9 in the erosion.")


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
        source=f"{MOJ_COSTS} 2022-23: overall cost per prisoner about GBP 52,000 a year; high-security places cost up to about GBP 80,000",
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


def _event_meta(unit: str, source: str = "set by the scenario author") -> dict[str, str]:
    return {"unit": unit, "source": source}


class MediaShock(Section):
    kind: Literal["media_shock"] = Field(description="Event type.", json_schema_extra=_event_meta("event type"))
    week: int = Field(ge=1, description="Week the event fires (1 is the first step).", json_schema_extra=_event_meta("week"))
    magnitude: float = Field(
        0.3, ge=0, le=1, description="Rise in stigma of a fully susceptible member, as a share of the distance to 1.",
        json_schema_extra=_event_meta("share of the distance to 1", f"{ASSUMED}: a marked but not total surge in hostility"),
    )
    label: str = Field(
        "attack reported in the media", description="Shown on figures and in the dashboard.", json_schema_extra=_event_meta("text"),
    )


class PolicyChange(Section):
    kind: Literal["policy_change"] = Field(description="Event type.", json_schema_extra=_event_meta("event type"))
    week: int = Field(ge=1, description="Week the change takes effect (1 is the first step).", json_schema_extra=_event_meta("week"))
    set: dict[str, Any] = Field(
        description="Dotted scenario keys and their new values, e.g. {supervision.strictness: 0.9}.",
        json_schema_extra=_event_meta("parameter: value"),
    )
    label: str = Field("policy change", description="Shown on figures and in the dashboard.", json_schema_extra=_event_meta("text"))


Event = Annotated[MediaShock | PolicyChange, Field(discriminator="kind")]


NAME_LENGTH = 100  # it names folders: with a staging prefix, within the 255 bytes a file name may take


def name_bytes(name: str) -> int:
    """What a name takes in a file name: UTF-8 bytes, two to four for an accented or non-Latin letter."""
    return len(name.encode("utf-8"))


def within_name_bytes(name: str) -> str:
    """A name of at most NAME_LENGTH characters can still be too long for a folder if its letters are not ASCII."""
    if name_bytes(name) > NAME_LENGTH:
        raise PydanticCustomError("name_too_many_bytes", "name takes more than {max_length} bytes",
                                  {"max_length": NAME_LENGTH})
    return name


def derived_name(name: str, suffix: str) -> str:
    """The name of a scenario written from `name` (``baseline_calibrated``), cut to stay a valid name (in bytes,
    never inside a letter)."""
    room = NAME_LENGTH - max(len(suffix), name_bytes(suffix))
    return name.encode("utf-8")[:room].decode("utf-8", "ignore") + suffix


class Scenario(Section):
    """A whole scenario: what a scenario YAML file holds once its parents are merged."""

    name: Annotated[str, AfterValidator(within_name_bytes)] = Field("baseline", min_length=1, max_length=NAME_LENGTH, pattern=r"^[^/\\.\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]*$",
                      description="Shown in listings, figures and the dashboard, and names the scenario's folders "
                                  f"(so no slash, no dot first, no control characters and at most {NAME_LENGTH} "
                                  "bytes: as many plain letters, fewer accented or non-Latin ones).")
    title: str | None = Field(None, description="A title in words for figures and the dashboard (default: the name).")
    description: str = Field("", description="A paragraph a trainer could read out.")
    extends: str | None = Field(None, description="Parent scenario: a shipped name or a path relative to this file.")
    seed: int = parameter(20_261_127, ge=0, le=MAX_FILE_SEED, unit="integer", source="any fixed value", doc="Root seed of the run.")
    weeks: int = parameter(
        182, ge=1, le=1_040, unit="weeks",
        source=f"{ASSUMED}: the release window (26 weeks) plus three years, the usual follow-up of recidivism studies, "
               "so that everyone released is followed three years",
        doc="Horizon of the simulation. A share at a time since release rests on those released early enough to be "
            "followed that long: with releases over ``release.window_weeks``, set it to the window plus the follow-up "
            "wanted.",
    )
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
    release_state: ReleaseState = Field(default_factory=ReleaseState)
    attitudes: Attitudes = Field(default_factory=Attitudes)
    families: Families = Field(default_factory=Families)
    reintegration: Reintegration = Field(default_factory=Reintegration)
    compliance: Compliance = Field(default_factory=Compliance)
    movement: Movement = Field(default_factory=Movement)
    media: Media = Field(default_factory=Media)
    officers: Officers = Field(default_factory=Officers)
    ngo_effects: NgoEffects = Field(default_factory=NgoEffects)
    lever_effects: LeverEffects = Field(default_factory=LeverEffects)
    events: list[Event] = Field(default_factory=list, description="Scheduled events: media shocks and policy changes.")
    costs: Costs = Field(default_factory=Costs)
    fitted: dict[str, Annotated[str, Field(min_length=1)]] = Field(
        default_factory=dict, exclude=True,
        description="The values this file sets that were fitted (calibrated) to data: each parameter's dotted key "
                    "with the data or calibration it was fitted to. `sim robustness` holds them at the fit rather than "
                    "drawing them. Inherited through `extends` unless the child sets the value again; not a value of "
                    "the run (a result's record leaves it out).")
    _fitted_in: dict[str, str | None] = PrivateAttr(default_factory=dict)  # key -> the file that marks it (the loader's)

    def fit_of(self, key: str) -> str | None:
        """Where a value the scenario marks fitted comes from ('fitted in general_offenders.yaml to the BJS 2005
        curves'), None for a value not marked fitted (``fitted``)."""
        if key not in self.fitted:
            return None
        file = self._fitted_in.get(key)
        return f"fitted in {file or 'the scenario'} to {' '.join(self.fitted[key].split())}"


LEVERS: tuple[str, ...] = tuple(Cooperation.model_fields)
