"""The week as data: the rules in the order docs/ODD.md (section 3) gives, each with the name of its stream.

``ReintegrationModel.step`` fires the week's scheduled events (media shocks, policy changes) and then
runs these rules in order; outcomes are recorded after the last one.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.rules import associates, attitudes, custody, events, offending, referral, reintegration, standing, supervision
from sim.rules.reintegration import family, housing, identity, jobs, stigma, trust

Rule = Callable[..., None]


def rule_name(rule: Rule) -> str:
    """``events.release`` for ``sim.rules.events.release``: the rule's name in docs/ODD.md and its stream's name."""
    return f"{rule.__module__.removeprefix('sim.rules.')}.{rule.__name__}"


SCHEDULE: tuple[Rule, ...] = (
    events.release,  # 1 releases (after media shocks and policy changes)
    attitudes.update,  # 2 community attitudes
    referral.refer,  # 3 NGO referrals, acceptance and waitlists
    supervision.supervise,  # 4 probation: detection, warnings, recall
    associates.turn_over,  # old associates leave, are arrested, come out
    reintegration.present,  # 5 released people in the community ...
    stigma.feel,
    jobs.search,
    housing.search,
    family.lean_on_family,
    identity.build_ties,
    identity.shift,
    trust.update,
    offending.breach,
    offending.offend,
    custody.serve,  # 6 custody: sentences begin, recall terms end
    standing.update,  # 7 NGO standing and places
)
