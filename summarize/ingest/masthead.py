"""Who published an article that does not say so in its metadata: the outlet named by the page
furniture the cleaner removed (a copyright line, an agency credit "X and agencies", a "follow
X on Twitter" prompt, an appeal naming the publication), else the file name.

Generic patterns only (they must work on sites never seen): nothing here names an outlet. A
name needs two points of evidence: one strong line (copyright, agency credit, follow prompt,
"X is the only ... outlet") or two mentions of a name ending in a word publications are named
with ("Post", "News", "Times", ...).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePosixPath

from summarize.ingest.document import DroppedParagraph
from summarize.text.lexicon import OUTLET_WORDS

_NAME = r"(?:The\s+)?[A-Z][\w’'&-]*(?:\s+(?:of\s+|de\s+)?[A-Z0-9][\w’'&-]*){0,4}"
_CORPORATE = re.compile(r"\s+(?:group|media group|ltd\.?|inc\.?|llc|plc|corp\.?|company)$", re.I)
# Only the keywords are case-insensitive: a name is capitalised, and a case-insensitive name
# would take "us" from "Follow us on Twitter".
_STRONG = [
    # "© 2015 France 24", "Copyright © 2015 The Example Post. All rights reserved."
    re.compile(
        rf"(?i:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?\s*,?\s*)?"
        rf"(?:(?i:by)\s+)?(?!(?i:all\s+rights\b))(?P<name>{_NAME})"
    ),
    # "Example World and agencies", "Example News with agencies"
    re.compile(rf"^(?P<name>{_NAME})\s+(?:and|with|&)\s+agencies\.?$"),
    # "Follow Example News on Twitter"
    re.compile(
        rf"\b(?i:follow)\s+(?P<name>{_NAME})\s+(?i:on\s+(?:twitter|facebook|instagram|telegram|"
        r"youtube|tiktok|linkedin|whatsapp|x)\b)"
    ),
    # "Example News is the only media outlet ...", "... is an independent news site"
    re.compile(
        rf"(?P<name>{_NAME})\s+is\s+(?:the|an?)\s+(?:\w+\s+){{0,3}}(?:media\s+outlet|news\s+"
        r"(?:outlet|site|website|organi[sz]ation|service)|newspaper|broadcaster)\b"
    ),
]
_MENTION = re.compile(_NAME)
# Capitalised pronouns stand where a name would in furniture ("Follow Us on Twitter", "Our
# Newsletter"); written in capitals ("US News") they are a name.
_PRONOUNS = frozenset(["us", "we", "our", "you", "your", "it", "its", "them", "their"])
_RIGHTS = re.compile(r"all\s+rights\s+reserved", re.I)  # "© 2024 All Rights Reserved"
_CAMEL = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])|(?<=[a-z])(?=[A-Z])")
_CREDIT = ("photo credit", "photo caption")  # credits name agencies and photographers


def outlet_from_furniture(dropped: Sequence[DroppedParagraph]) -> str | None:
    """The outlet the dropped furniture names, or None when the evidence is too thin."""
    votes: Counter[str] = Counter()
    forms: dict[str, str] = {}
    for para in dropped:
        if para.reason.endswith(_CREDIT) or para.reason.startswith("title"):
            continue
        text = " ".join(para.text.split())
        strong: set[str] = set()
        for pattern in _STRONG:
            for m in pattern.finditer(text):
                name = _clean(m.group("name"))
                if name:
                    strong.add(_key(name))
                    forms.setdefault(_key(name), name)
        for key in strong:
            votes[key] += 2
        for m in _MENTION.finditer(text):
            name = _clean(m.group())
            if name and _key(name) not in strong and _outlet_like(name):
                votes[_key(name)] += 1
                # The fullest form names it ("The Example Post" over "Example Post").
                if len(name) > len(forms.get(_key(name), "")):
                    forms[_key(name)] = name
    if not votes:
        return None
    key, n = max(sorted(votes.items()), key=lambda kv: kv[1])
    return forms[key] if n >= 2 else None


def outlet_from_path(path: str) -> str:
    """The file's name without its extension; for a JSONL cluster article, its id there."""
    tail = path.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return PurePosixPath(tail).stem or tail


def _clean(name: str) -> str:
    name = re.sub(r"\s+(?:19|20)\d\d$", "", name.strip(" .,;:|-–"))  # "Example Times 2020"
    name = re.sub(r"^by\s+", "", name, flags=re.I)  # "Copyright 2015 By The Example Post"
    first = name.split(maxsplit=1)[0] if name else ""
    if (first.lower() in _PRONOUNS and not first.isupper()) or _RIGHTS.match(name):
        return ""
    name = _CORPORATE.sub("", name)
    # "ExampleWorld" is how a site writes "Example World" in a credit line.
    if " " not in name:
        name = _CAMEL.sub(" ", name)
    words = name.split()
    if not words or (len(words) == 1 and words[0].lower() == "the"):
        return ""
    if all(w.isupper() for w in words if w.isalpha()) and len(words) > 2:
        return ""  # a shouted line ("UPGRADE YOUR EXPERIENCE"), not a name
    return name


def _key(name: str) -> str:
    return re.sub(r"^the\s+", "", name.lower())


def _outlet_like(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and words[-1].lower() in OUTLET_WORDS
