"""The behavioural coefficients of the weekly rules: how needs, bonds, attitudes, families, the movement, the
media, officers and NGOs act, and the size of each cooperation lever's effects. Mostly assumed, with the reason.
"""

from __future__ import annotations

from sim.scenarios.parameter_fields import (
    ASSUMED,
    LEVER_WHY,
    WITH_AFFINITY,
    WITH_EXTREMISTS,
    WITH_GENERAL,
    WITH_MEDIA_SHOCK,
    Section,
    coef,
    lever_coef,
    lever_on,
    parameter,
    share,
)

STATE_WHY = "sets a plausible state at the prison gate; no study measures it for this population"
BEHAVIOUR_WHY = "a behavioural weight chosen so that the weekly rules reproduce the calibrated curves and published directions"


class Effects(Section):
    """Behavioural coefficients: how needs, bonds and support shape hazards and chances."""

    record_penalty: float = share(
        0.5, source="Pager 2003, The Mark of a Criminal Record: a criminal record roughly halves employer callbacks",
        name="Fall in job chances from a criminal record",
        doc="Relative fall in the chance of finding a job because of a criminal record.",
    )
    job_finding: float = share(
        0.05, unit="probability per week",
        source=f"{ASSUMED}: with the record penalty, local stigma and needs lowering it, a little under half of those "
               "released without a job find one within a year (0.05 a week alone would be nine in ten)",
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
        "& Tropp 2006, does not give the shape); a quarter of a year of weekly contact of full quality, before it fades, "
        "gives half the largest effect",
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
        doc="Weekly logistic rise in stigma and in the prior (anchor) attitude per unit of resentment (stigma.resentment), "
            "visible support (the levers') and the share of people in the community enrolled with an NGO.",
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
        unit="share of capacity", name="Added family support kept by a visiting family",
        doc="Added share of capacity kept by a family that visited during custody (any visit, as Duwe & Clark compare).",
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
