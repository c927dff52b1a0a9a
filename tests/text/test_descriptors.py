"""Descriptors that exclude each other: each found with its value, in text order."""

from __future__ import annotations

from summarize.text.descriptors import DESCRIPTOR_GROUPS, descriptors

_GROUPS = {g.question: g for g in DESCRIPTOR_GROUPS}
_WHERE, _HOW_MUCH = _GROUPS["under the sea or on land"], _GROUPS["how much was affected"]


def test_where_a_cable_runs() -> None:
    assert descriptors(_WHERE, "A subsea cable and a terrestrial link") == [
        ("undersea", "subsea"),
        ("on land", "terrestrial"),
    ]


def test_how_much_was_affected() -> None:
    assert descriptors(_HOW_MUCH, "The city suffered the loss of all power.") == [
        ("all", "loss of all")
    ]
    assert descriptors(_HOW_MUCH, "Services were partially blocked.") == [("part", "partially")]
    assert descriptors(_HOW_MUCH, "The line was completely cut.") == [("all", "completely cut")]
    assert descriptors(_HOW_MUCH, "A total blackout in parts of the city") == [
        ("all", "total blackout"),
        ("part", "in parts of"),
    ]
    assert descriptors(_HOW_MUCH, "Power failed across the whole region.") == [
        ("all", "across the whole")
    ]


def test_location_has_several_opposites() -> None:
    # Not only the sea and the land: below or above ground.
    assert descriptors(_GROUPS["below or above ground"], "An underground line, not overground") == [
        ("below ground", "underground"),
        ("above ground", "overground"),
    ]
    assert descriptors(_WHERE, "The pipeline runs on land.") == [("on land", "on land")]


def test_words_with_another_sense_are_no_descriptor() -> None:
    # "Total downtime" is a sum; "completed" a finished repair; "some" a few of many.
    assert descriptors(_HOW_MUCH, "Total downtime was one hour; repairs were completed.") == []
    assert descriptors(_HOW_MUCH, "Some users saw slower connections.") == []
    # An intensifier of a feeling, and a reason given "in part", say nothing of extent.
    assert descriptors(_HOW_MUCH, "He was completely blindsided, in part by the delay.") == []
