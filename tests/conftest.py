"""Shared fixtures: small scenarios that run in a fraction of a second."""

from __future__ import annotations

import pytest

SMALL = {"population.community": 400, "population.released": 60, "weeks": 40}


@pytest.fixture
def small() -> dict:
    """Overrides that shrink any scenario to a quick run."""
    return dict(SMALL)
