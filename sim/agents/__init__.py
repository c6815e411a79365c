"""The five agent types; each module holds the Mesa agent and the vectorised population behind it."""

from sim.agents.community import Community, CommunityMember
from sim.agents.family import Families, Family
from sim.agents.ngo import NgoAgent, Ngos
from sim.agents.probation import Probation, ProbationOfficer
from sim.agents.released import Cohort, ReleasedPerson, Status

__all__ = [
    "Cohort", "Community", "CommunityMember", "Families", "Family", "NgoAgent", "Ngos",
    "Probation", "ProbationOfficer", "ReleasedPerson", "Status",
]
