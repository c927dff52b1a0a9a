"""Descriptors that exclude each other: two answers to one question about a thing that cannot
both be true of it (a cable runs under the sea or over land; a service was lost entirely or
only in part; an act was deliberate or an accident). General English, not the words of any
story: the questions are the common opposites of location, extent, intent and arming; each
group names its question; each value is one answer, as patterns (case-insensitive, whole
words). Only words that answer the question and little else are listed: "total" (also
a sum) or "some" (also a few of many) would tie unrelated sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class DescriptorGroup:
    question: str  # what every value answers, neutrally worded
    values: dict[str, re.Pattern[str]]  # value name -> its pattern


def _group(question: str, **values: str) -> DescriptorGroup:
    return DescriptorGroup(
        question,
        {
            name.replace("_", " "): re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)
            for name, pattern in values.items()
        },
    )


_DISRUPTED = (
    r"(?:\w+ )?(?:cut|cut off|shut|shut down|blocked|destroyed|lost|down|offline|disrupted|"
    r"knocked out|closed|collapsed|flattened|wiped out|severed|damaged|halted)"
)

DESCRIPTOR_GROUPS: tuple[DescriptorGroup, ...] = (
    # Where a thing is: opposites of location English names with words of that sense only.
    # Indoors/outdoors is not one: a story has indoor and outdoor things ("indoor dining is
    # closed, outdoor dining open"), so the words describe two things, not one two ways.
    _group(
        "under the sea or on land",
        undersea=r"undersea|submarine|sub-?sea|underwater",
        on_land=r"terrestrial|overland|land-based|onshore|on land",
    ),
    _group(
        "below or above ground",
        below_ground=r"underground|below ground|below-ground|subterranean",
        above_ground=r"above ground|above-ground|overground",
    ),
    # The extent of damage or of a disruption, whole or in part: "completely" alone also
    # intensifies feelings ("completely blindsided") and "in part" gives a reason, so neither
    # is listed; "total" only before an outage word (alone it is also a sum).
    _group(
        "how much was affected",
        all=r"(?:loss|lost|losing|loses|knocked out|cut off|shut down) (?:of )?all|"
        rf"(?:completely|entirely|totally|wholly) {_DISRUPTED}|"
        r"total (?:blackout|outage|shutdown|loss)|(?:across|throughout) the (?:whole|entire)",
        part=r"partial(?:ly)?|partly|in (?:some )?parts of",
    ),
    _group(
        "deliberate or accidental",
        deliberate=r"deliberate(?:ly)?|intentional(?:ly)?|on purpose",
        accidental=r"accidental(?:ly)?|by accident|unintentional(?:ly)?",
    ),
    _group(
        "armed or unarmed",
        armed=r"(?<!un)armed with|was armed|were armed",
        unarmed=r"unarmed",
    ),
)


def descriptors(group: DescriptorGroup, text: str) -> list[tuple[str, str]]:
    """(value, surface) of each descriptor of ``group`` in ``text``, in text order."""
    found = [
        (m.start(), value, m.group())
        for value, pattern in group.values.items()
        for m in pattern.finditer(text)
    ]
    return [(v, s) for _start, v, s in sorted(found)]
