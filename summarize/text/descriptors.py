"""Descriptors that exclude each other: two answers to one question about a thing that cannot
both be true of it (a cable runs under the sea or over land; a service was lost entirely or
only in part; an act was deliberate or an accident). General English, not the words of any
story: each group names the question; each value is one answer, as patterns (case-insensitive,
whole words). Only words that answer the question and little else are listed: "total" (also
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
    _group(
        "under the sea or on land",
        undersea=r"undersea|submarine|sub-?sea|underwater",
        on_land=r"terrestrial|overland|land-based|onshore",
    ),
    # The extent of damage or of a disruption: "completely" alone also intensifies feelings
    # ("completely blindsided") and "in part" gives a reason, so neither is listed.
    _group(
        "how much was affected",
        all=r"(?:loss|lost|losing|loses|knocked out|cut off|shut down) (?:of )?all|"
        rf"(?:completely|entirely|totally|wholly) {_DISRUPTED}",
        part=r"partial(?:ly)?|partly|in parts of",
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
