"""A scenario's name names folders: at most NAME_LENGTH characters and as many bytes, and a derived name cut to fit."""

from __future__ import annotations

from pydantic_core import PydanticCustomError

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
