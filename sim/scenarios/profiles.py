"""The two offender profiles (general, violent-extremist): their hazards, risk and commitment at release, each
field restated per profile with where its number comes from.
"""

from __future__ import annotations

from pydantic import Field

from sim.scenarios.parameter_fields import ASSUMED, WITH_EXTREMISTS, WITH_GENERAL, Section, parameter, restated, share

PER_PROFILE = "stated per profile (GeneralProfile, ExtremistProfile)"
"""The source of an OffenceProfile field whose provenance differs between the profiles: each profile restates it
(``restated``), so no parameter shows this text."""


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
            "each person's is drawn uniformly between 0 and twice it, lowered by custodial programmes "
            "(release_state.programme_commitment), then capped at 1, so where twice the lowered mean passes 1 the cohort's mean "
            "falls short of that (0.69 at 0.8 without programmes).", plausible=(0.2, 0.7),
    )
    needs: float = share(0.5, source=f"{ASSUMED}: mental-health and other needs are common among people leaving prison; mid-scale means, set per profile", name="Mean mental-health and other needs at release", doc="Mean mental-health and other dynamic needs at release, before custodial programmes: "
        "each person's is drawn uniformly between 0 and twice it, lowered by custodial programmes "
        "(release_state.programme_needs), then capped at 1, so where twice the lowered mean passes 1 the cohort's mean "
        "falls short of that (0.69 at 0.8 without programmes).", plausible=(0.2, 0.7))
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
               "gamma frailty as for general offenders, at a round variance of 1 near theirs (0.85, calibrated to BJS 2005). "
               "Range: half to twice the default",
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
