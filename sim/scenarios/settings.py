"""The setting a run plays out in: the cohort and its release, the community network and its stigma, and the
policy (supervision, NGOs, prison, the ten cooperation levers). The baseline's values are the defaults.
"""

from __future__ import annotations

from typing import Literal

from sim.scenarios.parameter_fields import (
    ASSUMED,
    WITH_AFFINITY,
    WITH_EXTREMISTS,
    WITH_GENERAL,
    Section,
    parameter,
    share,
)

ISP = "Petersilia & Turner 1993, Evaluating Intensive Supervision Probation/Parole (NIJ Research in Brief NCJ 141637)"


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
        doc="Civil-society organisations offering services; places are shared among them in proportion to each one's "
            "willingness (equally at the start, until blame for clients' offences sets them apart) as whole places: "
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
               "default here is not the fit; docs/VALIDATION.md). Range: from just below the fit to 0.15 above the default",
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
            "bring: a limit approached as contact experience grows (half of it at attitudes.contact_saturation), never "
            "reached (the floor of contact's effect).",
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
        doc="0 light-touch, 1 maximal licence conditions and surveillance: more conditions, more contacts, quicker recall "
            "and more control-oriented officers; on licence it also keeps people from work and from old associates and "
            "lowers their trust in government.", plausible=(0.3, 0.7),
    )
    caseload: int = parameter(
        25, ge=1, le=500, unit="people per officer",
        source=f"{ASSUMED}: specialist terrorism-offender caseloads are smaller than general ones",
        doc="Released people assigned to each probation officer. The officers are the cohort divided by this, rounded up, "
            "and person i is supervised by officer i modulo their number; the caseload that thins contacts "
            "(officers.caseload_capacity) counts only those on licence that week.",
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
        doc="Warnings an officer gives for detected breaches before any detected breach, not only a serious one "
            "(supervision.serious_share), can bring recall at the officer's discretion; a recall sets them back to 0.",
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


LEVERS: tuple[str, ...] = tuple(Cooperation.model_fields)
