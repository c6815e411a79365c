"""What a trainer reads out for a preset: its title and what to watch, taken from the scenario file.

Every shipped description ends by saying what to watch ("Watch how ...", "... watch how many
reoffend ..."); the dashboard shows that part large above the pictures. Without such a sentence
it shows the whole description.
"""

from __future__ import annotations

import re

from sim.scenarios.schema import Scenario


def title(settings: Scenario) -> str:
    return settings.title or settings.name.replace("_", " ")


def what_to_watch(description: str) -> str:
    """The description from its first sentence that tells the room what to watch, capitalised."""
    text = " ".join(description.split())
    sentences = re.split(r"(?<=[.!?])\s+", text)
    for i, sentence in enumerate(sentences):
        found = re.search(r"\b[Ww]atch\b", sentence)
        if found:
            rest = " ".join([sentence[found.start():], *sentences[i + 1:]])
            return rest[:1].upper() + rest[1:]
    return text


WATCHED = {
    r"reoffend|new offences": "reoffended",
    r"recall": "recalled",
    r"back in prison": "returned",
    r"stigma|resentment": "community_stigma",
    r"stigma people feel|felt stigma": "experienced_stigma",
    r"\benrol": "ngo_enrolled",
    r"\bjobs?\b|\bwork\b|employ": "employment_rate",
    r"housing|\bhomes?\b|housed": "housing_rate",
    r"family ties|families": "family_bond",
    r"withdraw from support": "engagement",
    r"breaches are detected": "breaches_detected",
    r"parts of the journey": None,
}
"""The words of a 'Watch ...' sentence and the curve (a column of the model's weekly record) each names; None for
words that name no one curve. Tests hold every shipped preset to curves the dashboard draws."""


def watched(text: str) -> set[str]:
    """The curves a 'Watch ...' sentence names (``WATCHED``)."""
    return {column for pattern, column in WATCHED.items() if column and re.search(pattern, text, re.IGNORECASE)}


OTHER_WORDS = {r"\bre-?arrest": "reoffended", r"\bre-offend": "reoffended"}
"""Words for an outcome that are not the tool's own (pattern: the curve's column, whose word the tool uses): 'watch how
many are re-arrested' was read out over curves, a headline and a network key that all say reoffended (a new offence).
Tests hold every shipped preset's 'Watch ...' to the tool's words."""


def other_words(text: str) -> list[str]:
    """The words in ``text`` that name an outcome otherwise than the tool does (``OTHER_WORDS``)."""
    return [found.group(0) for pattern in OTHER_WORDS for found in re.finditer(pattern, text, re.IGNORECASE)]
