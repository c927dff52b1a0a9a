"""How an outlet is named to a reader: a site's host name ("www.example-news.co.uk", the
outlet some inputs give) read as the site's name ("Example-news"; "exampletimes" read as
"Example Times", "example24" as "Example 24"), and the one readable name per article of an
event (two hosts that read the same keep their host names)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from summarize.text.lexicon import OUTLET_WORDS, wordlist

_HOST = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?(?:/.*)?$"
)
_GENERIC_TLD = frozenset(wordlist("com net org info biz edu gov io co news tv me int"))
_SECOND_LEVEL = frozenset(wordlist("co com org net ac gov edu ne or go"))
_PREFIXES = frozenset(wordlist("www www2 www3 m amp mobile"))
# Hosting domains: the site's own name is the label before them.
_PLATFORMS = frozenset(wordlist("blogspot wordpress tumblr substack typepad wixsite github go"))


def host_of(value: str) -> str | None:
    """The host name ("www." left out) when ``value`` is a URL or a bare host name."""
    m = _HOST.match(value.strip().lower())
    if not m or " " in value.strip():
        return None
    return re.sub(r"^www\d?\.", "", m.group("host"))


def site_name(value: str) -> str:
    """A host's site name: prefixes ("www") and the public suffix (".com", ".co.uk") removed,
    hosting platforms skipped; any other value without a trailing parenthesis."""
    host = host_of(value)
    if host is None:
        # "Example News (Online News)": the qualifier says which edition, not who.
        return re.sub(r"\s*\([^)]*\)\s*$", "", value.strip()) or value.strip()
    labels = [x for x in host.split(".") if x]
    while len(labels) > 1 and labels[0] in _PREFIXES:
        labels = labels[1:]
    if len(labels) > 1 and (labels[-1] in _GENERIC_TLD or len(labels[-1]) == 2):
        labels = labels[:-1]
        if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
            labels = labels[:-1]
    name = labels[-1]
    if name in _PLATFORMS and len(labels) > 1:
        name = labels[-2]
    # A short site name is an acronym more often than a word ("bbc", "ap", "cnn").
    if len(name) <= 4:
        return name.upper()
    return " ".join(_readable(w) for part in name.split("-") if part for w in _words(part))


def _words(label: str) -> list[str]:
    """A host label run together from words, split where it can be read for sure: a trailing
    number ("france24") and the words publications are named with, peeled off its end
    ("nydailynews" -> "ny daily news"), then a leading "the"; the rest stays one word."""
    m = re.fullmatch(r"(?P<head>.*?[a-z])-?(?P<num>\d+)", label)
    if m:
        return [*_words(m.group("head")), m.group("num")]
    tail: list[str] = []
    rest = label
    while True:
        word = next(
            (w for w in sorted(OUTLET_WORDS, key=len, reverse=True) if rest.endswith(w)), None
        )
        if word is None or len(rest) - len(word) < 2:
            break
        tail.insert(0, word)
        rest = rest[: -len(word)]
    # "theepochtimes": an article before the name, once a publication word has been read.
    if tail and rest.startswith("the") and len(rest) >= 6:
        return ["the", rest[3:], *tail]
    return [rest, *tail]


def _readable(word: str) -> str:
    # A two-letter or vowel-less word is an acronym ("ny", "cbs"); a word, capitalised.
    if word == "the":
        return "The"
    if len(word) <= 2 or not re.search(r"[aeiouy]", word):
        return word.upper()
    return word[:1].upper() + word[1:]


def readable_outlets(outlets: Mapping[str, str]) -> dict[str, str]:
    """Key -> the outlet's readable name; hosts whose site names collide keep the host."""
    names = {k: site_name(v) for k, v in outlets.items()}
    hosts: dict[str, set[str]] = {}
    for k, v in outlets.items():
        hosts.setdefault(names[k].lower(), set()).add(v.strip().lower())
    clash = Counter({n: len(h) for n, h in hosts.items()})
    return {k: (outlets[k].strip() if clash[names[k].lower()] > 1 else names[k]) for k in outlets}
