"""The keys people move most, named in words: the dashboard's sliders and the decision reports' levers.

One table, so a lever a trainer moves on screen and the lever a report recommends funding carry the same name.
"""

from __future__ import annotations

import textwrap

from sim.errors import InputError
from sim.scenarios.fields import metadata, resolve_key, unit_of, words_of
from sim.scenarios.safe_yaml import dotted

KEY_NAMES: dict[str, str] = {
    "stigma.baseline": "Community stigma at the start",
    "supervision.strictness": "Supervision strictness",
    "ngo.capacity": "NGO places per released person",
    "cooperation.policy_input": "1. NGOs help shape prison policy",
    "cooperation.prison_monitoring": "2. NGOs monitor prison conditions",
    "cooperation.community_mobilization": "3. NGOs mobilise community support",
    "cooperation.staff_training": "4. NGOs help recruit and train staff",
    "cooperation.assessment": "5. NGOs inform risk and needs assessment",
    "cooperation.custodial_interventions": "6. NGOs work with prisoners inside",
    "cooperation.community_interventions": "7. NGOs support families during custody",
    "cooperation.reintegration_support": "8. NGOs carry support across release",
    "cooperation.supervision_partnership": "9. NGOs take part in supervision",
    "cooperation.stigma_reduction": "10. NGOs campaign against stigma",
}
KEY_NAMES.update({  # the schema's words for the ten are one sentence for all: each named by its lever
    f"costs.levers.{key.split('.', 1)[1]}": f"Running cost of lever {name.replace('. ', ' (', 1)})"
    for key, name in list(KEY_NAMES.items()) if key.startswith("cooperation.")})


def key_name(key: str) -> str:
    """A key in words: its name here ('Supervision strictness'), else the schema's ``name`` for it ('Weekly community
    reach of NGO dialogue campaigns'), else the first sentence of the schema's words (``words_of``); '' for a key
    the schema does not know. A parameter of a section the schema names (an offender profile) says whose it is:
    'Base weekly hazard of a new offence (violent extremists)', as both profiles share their fields' words."""
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    try:
        path, info = resolve_key(key)
    except InputError:
        return ""
    name = str(metadata(info).get("name") or words_of(key))
    whose = [str(owner) for i in range(1, len(path)) if (owner := metadata(resolve_key(dotted(path[:i]))[1]).get("name"))]
    return f"{name} ({', '.join(whose)})" if name and whose else name


def in_sentence(name: str) -> str:
    """A name inside a sentence: its capital lowered ('supervision strictness'), unless it begins an acronym ('NGO
    places ...')."""
    return name[0].lower() + name[1:] if name[:1].isupper() and name[1:2].islower() else name


def name_in_text(key: str) -> str:
    """A key's name inside a sentence or a list: a lever's number is said as such ('lever 7, NGOs support families
    during custody'), where '7. NGOs support ...' after a semicolon read as a stray numeral; other names as they are."""
    name = key_name(key)
    number, dot, rest = name.partition(". ")
    return f"lever {number}, {rest}" if dot and number.isdigit() else name


def key_heading(key: str, room: int | None = None) -> str:
    """A key as a table's column or a figure's axis heads it: its name in words with its unit ('Supervision strictness,
    share (0-1)'), the unit left out where the name already ends with it ('NGO places per released person'); with
    `room` characters, the name shortened with ' …' so that the unit stays whole. '' for a key the schema does not know."""
    name, unit = key_name(key), unit_of(key)
    if unit and name.lower().endswith(unit.lower()):
        unit = ""
    if room is not None and name:
        name = textwrap.shorten(name, max(room // 2, room - len(unit) - 2), placeholder=" …")
    return f"{name}, {unit}" if name and unit else name
