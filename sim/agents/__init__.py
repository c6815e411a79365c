"""The five agent types; each module holds the Mesa agent and the vectorised population behind it.

Names load on first use (PEP 562), so reading ``sim.agents.states`` does not load Mesa.
"""

import importlib

_HOMES = {
    "Community": "community", "CommunityMember": "community", "Families": "family", "Family": "family",
    "NgoAgent": "ngo", "Ngos": "ngo", "Probation": "probation", "ProbationOfficer": "probation",
    "Cohort": "released", "ReleasedPerson": "released", "Status": "states",
}

__all__ = [
    "Cohort", "Community", "CommunityMember", "Families", "Family", "NgoAgent", "Ngos",
    "Probation", "ProbationOfficer", "ReleasedPerson", "Status",
]


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
