"""Loaded and neutral labels for the same referent: the word choices media-bias guides and
style books point out (the AP Stylebook on "illegal immigrant", "pro-life"/"anti-abortion",
"estate tax"/"death tax", "vaccine passport"/"proof of vaccination", "welfare"/"safety net",
"sweeping"/"narrow" for the reach of a measure). General knowledge of political wording, not
the words of any particular story. Each group names one referent; each variant is one way of
labelling it, as patterns (case-insensitive, whole words)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MEASURE = r"(?:bill|legislation|law|measure|package|reform|plan|order|ruling|rule|policy|ban)"


@dataclass(frozen=True)
class LabelGroup:
    referent: str  # what every variant refers to, neutrally worded
    variants: dict[str, tuple[re.Pattern[str], ...]]  # variant name -> its patterns
    # Every variant's patterns in one: most passages use no label of a group, and one search
    # tells so.
    any: re.Pattern[str]


def _group(referent: str, **variants: tuple[str, ...]) -> LabelGroup:
    compiled = {
        name.replace("_", " "): tuple(re.compile(rf"\b{p}\b", re.IGNORECASE) for p in pats)
        for name, pats in variants.items()
    }
    every = "|".join(f"(?:{p.pattern})" for pats in compiled.values() for p in pats)
    return LabelGroup(referent, compiled, re.compile(every, re.IGNORECASE))


LABEL_GROUPS: tuple[LabelGroup, ...] = (
    _group(
        "immigrants without legal status",
        undocumented=(r"undocumented (?:immigrants?|migrants?|workers?|people)",),
        illegal=(r"illegal (?:immigrants?|aliens?|migrants?)", r"illegals", r"illegal alien"),
        unauthorized=(
            r"unauthori[sz]ed (?:immigrants?|migrants?)",
            r"(?:immigrants?|migrants?) (?:who are )?(?:in the (?:U\.?S\.?|United States|country)"
            r" )?without (?:legal )?(?:authorization|status|papers)",
        ),
    ),
    _group(
        "the vaccination requirement",
        vaccine_passport=(r"vaccin(?:e|ation) passports?",),
        proof_of_vaccination=(
            r"proof of (?:covid(?:-19)? )?vaccination",
            r"vaccin(?:e|ation) (?:cards?|certificates?|verification)",
        ),
    ),
    _group(
        "social spending",
        welfare=(r"(?:social )?welfare (?:spending|bill|package|programs?|state|expansion)",),
        safety_net=(r"(?:social )?safety[- ]net", r"social (?:benefits|spending) (?:bill|package)"),
    ),
    _group(
        "opponents of abortion",
        pro_life=(r"pro-life",),
        anti_abortion=(r"anti-abortion",),
    ),
    _group(
        "supporters of abortion rights",
        pro_choice=(r"pro-choice",),
        abortion_rights=(r"abortion[- ]rights (?:supporters|advocates|activists|groups)",),
        pro_abortion=(r"pro-abortion",),
    ),
    _group("the estate tax", death_tax=(r"death tax",), estate_tax=(r"estate tax",)),
    _group(
        "gun laws",
        gun_control=(r"gun control",),
        gun_safety=(r"gun safety (?:laws?|measures?|legislation|bill)", r"gun violence prevention"),
    ),
    _group(
        "the tax change",
        tax_relief=(r"tax relief",),
        tax_cuts=(r"tax cuts? for the (?:rich|wealthy)", r"tax breaks? for the (?:rich|wealthy)"),
    ),
    _group(
        "the interrogation methods",
        enhanced_interrogation=(r"enhanced interrogation",),
        torture=(r"torture",),
    ),
    _group(
        "the 2010 health care law",
        obamacare=(r"obamacare",),
        affordable_care_act=(r"affordable care act",),
    ),
    _group(
        "the warming climate",
        climate_crisis=(r"climate (?:crisis|emergency|catastrophe)",),
        climate_change=(r"climate change", r"global warming"),
    ),
    _group(
        "the reach of the measure",
        sweeping=(rf"(?:sweeping|far-reaching|sprawling|massive|radical) (?:\w+ )?{_MEASURE}",),
        narrow=(
            rf"(?:narrow|modest|limited|scaled-back) (?:\w+ )?{_MEASURE}",
            rf"{_MEASURE}, (?:while |though )?(?:somewhat |relatively |fairly )?(?:narrow|modest)",
        ),
    ),
)
