"""Named holders across outlets: one neutral canonical name per person, organisation or country.

Regex + capitalisation, no NER model: news names are capitalised runs, titles and demonyms are
a closed generic vocabulary, and the same rules work on any event with no model to load.
Choices:

* titles are stripped ("Russian President X" -> "X"), a leading demonym or "Country's" becomes
  the person's *affiliation* (so a person and their own country are one side of a dispute);
* diacritics are folded for matching and a bare surname joins the full name it abbreviates;
  the display name is the most frequent full form;
* countries absorb their demonym-led institutions ("the <demonym> government/authorities"),
  their capital and their seat of government, the usual news metonymy ("Moscow said ...").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Literal

from pydantic import Field
from rapidfuzz import fuzz

from summarize.contract import Strict
from summarize.ingest.document import Passage
from summarize.text.countries import COUNTRIES
from summarize.text.lexicon import MONTHS, STOPWORDS, WEEKDAYS, wordlist
from summarize.text.words import fold

EntityKind = Literal["person", "organisation", "country", "group"]

# Generic titles and role words that precede a name and are not part of it.
TITLES = frozenset(
    wordlist(
        """
    president presidents prime minister ministers chancellor secretary senator sen rep
    representative gov governor mr mrs ms dr prof king queen prince princess pope general
    gen former foreign defence defense economy economic finance interior chief ceo leader
    spokesman spokeswoman spokesperson premier mayor judge justice lt col sgt ambassador the
    vice deputy acting sir lord lady sheikh ayatollah gop counterpart officer commander
    envoy head chairman chairwoman director minister's president's his her their its st
    saint actress actor singer star rapper coach captain
    """
    )
)
# Words that mark a capitalised run as an organisation, not a person.
ORG_WORDS = frozenset(
    wordlist(
        """
    ministry party group forces army navy council union organisation organization agency
    news post times department university committee coalition church bank company inc corp
    ltd association institute office house armed nations states court police federation
    front movement brigade command assembly parliament congress senate commission board
    network service services guard fund foundation centre center hospital school club league
    """
    )
)
# Lower-case collective holders that speak in the news ("officials said", "critics say").
COLLECTIVES = frozenset(
    wordlist(
        """
    officials authorities government critics analysts experts activists witnesses residents
    diplomats observers investigators prosecutors police military army ministry spokesman
    sources
    """
    )
)
PRONOUNS = frozenset({"he", "she"})
_LOWER_CONNECTORS = frozenset({"al", "bin", "de", "van", "von", "der", "da", "di", "du", "la"})
# Places and calendar words are capitalised but never hold a position.
PLACE_WORDS = frozenset(
    wordlist(
        """
    province region city county river island peninsula sea ocean mountains valley district
    square street airport palace bridge strait gulf desert border
    """
    )
)
CALENDAR = frozenset([*MONTHS, *WEEKDAYS])
_NOT_NAMES = frozenset({"ok", "tv", "am", "pm", "i", "a"})
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’\-]|\.(?=\w\.))*\.?", re.UNICODE)
# What may end the text before a sentence's (or a clause's) first word, white space aside.
_OPENERS = frozenset('.!?:;"“”‘([…')
_DASHES = frozenset("-–—")


class Entity(Strict):
    canonical: str
    kind: EntityKind
    affiliation: str | None = None  # the country a person speaks for, when a title says so
    surfaces: list[str] = Field(default_factory=list)


class Mention(Strict):
    start: int
    end: int
    surface: str  # exact text span, title included
    entity: str  # canonical name
    kind: EntityKind


def _is_cap(tok: str) -> bool:
    if tok[:3].lower() in ("al-", "el-") and len(tok) > 3:
        cap = tok[3].isupper()
    else:
        cap = tok[0].isupper()
    # Model numbers ("F-16") are not names; checked last, most tokens are lower case.
    return cap and not any(ch.isdigit() for ch in tok)


def _sentence_start(text: str, at: int) -> bool:
    """Whether the word at ``text[at]`` opens a sentence or clause: only white space before
    it, or white space after a full stop, colon, quote, bracket or ellipsis, or after a dash
    with white space before it. Looks back from ``at`` only, so a passage's words cost time
    in proportion to its length, not its square."""
    i = at
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i == 0:
        return True
    last = text[i - 1]
    return last in _OPENERS or (last in _DASHES and i > 1 and text[i - 2].isspace())


def _possessive(tok: str) -> str:
    return re.sub(r"['’]s$", "", tok)


class EntityIndex:
    """Canonical entities of one event and a mention finder over any text."""

    def __init__(self, known: set[str], with_article: set[str]) -> None:
        self.entities: dict[str, Entity] = {}
        self._aliases: dict[str, str] = {}  # folded surface -> canonical
        self._known_caps = known  # folded tokens seen capitalised mid-sentence
        self._with_article = with_article  # folded names seen after "the"
        # Capitalised runs depend only on the text once the two sets above are known: the
        # same passages are scanned while building and again for their mentions.
        self._run_cache: dict[str, list[tuple[int, int, str | None, str]]] = {}

    # ---- building -------------------------------------------------------------------------
    @classmethod
    def build(cls, passages: Iterable[Passage]) -> EntityIndex:
        # Title Case lines (headlines) capitalise every word: they teach nothing about names.
        texts = [p.text for p in passages if not _title_case(p.text)]
        known: set[str] = set()
        with_article: set[str] = set()
        for text in texts:
            toks = list(_TOKEN.finditer(text))
            for prev, tok in itertools.pairwise(toks):
                if _is_cap(tok.group()) and not _sentence_start(text, tok.start()):
                    known.add(fold(_possessive(tok.group())))
                if prev.group().lower() == "the" and _is_cap(tok.group()):
                    with_article.add(fold(_possessive(tok.group())))
        index = cls(known, with_article)
        persons: Counter[str] = Counter()  # full multi-token names, as written
        affil: dict[str, Counter[str]] = defaultdict(Counter)
        others: Counter[str] = Counter()
        for text in texts:
            for _s, _e, title_country, name in index._runs(text):
                if index._classify(name) == "person":
                    persons[name] += 1
                    if title_country:
                        affil[name][title_country] += 1
                else:
                    others[name] += 1
        index._merge(persons, affil, others)
        return index

    def _merge(
        self, persons: Counter[str], affil: dict[str, Counter[str]], others: Counter[str]
    ) -> None:
        # Group full names by folded surname, then join first names that are spelling variants.
        # Groups are looked up by surname (a list per surname, in creation order), so the
        # merge costs one pass over the names, not one per pair of names.
        groups: list[list[str]] = []
        by_surname: dict[str, list[list[str]]] = defaultdict(list)
        for name in sorted(persons, key=lambda n: (-persons[n], n)):
            first = fold(name.split()[0])
            same = by_surname[_surname(name)]
            for group in same:
                if fuzz.ratio(fold(group[0].split()[0]), first) >= 75:
                    group.append(name)
                    break
            else:
                same.append([name])
                groups.append(same[-1])
        for group in groups:
            # Most frequent full form, ties to the longer (more complete) then alphabetical.
            counts: Counter[str] = Counter()
            for n in group:
                counts[n] += persons[n]
            canon = sorted(group, key=lambda n: (-persons[n], -len(n), n))[0]
            countries: Counter[str] = Counter()
            for n in group:
                countries.update(affil.get(n, Counter()))
            aff = sorted(countries, key=lambda c: (-countries[c], c))[0] if countries else None
            self.entities[canon] = Entity(canonical=canon, kind="person", affiliation=aff)
            for n in group:
                self._alias(n, canon)
            # A bare surname goes to the most frequent person bearing it (groups are sorted).
            self._aliases.setdefault(_surname(canon), canon)
        for name in sorted(others, key=lambda n: (-len(n.split()), n)):
            key = fold(name)
            if key in self._aliases or COUNTRIES.lookup(key) is not None:
                continue
            kind = self._classify(name)
            if kind == "single" and not (name.isupper() or key in self._known_caps):
                continue
            canon = "the " + name if key in self._with_article and not name.isupper() else name
            ent_kind: EntityKind = (
                "group" if kind == "single" and not name.isupper() else ("organisation")
            )
            self.entities.setdefault(canon, Entity(canonical=canon, kind=ent_kind))
            self._alias(name, canon)
        for country in COUNTRIES:
            self.entities.setdefault(country.name, Entity(canonical=country.name, kind="country"))

    def _alias(self, surface: str, canon: str) -> None:
        self._aliases.setdefault(fold(surface), canon)
        ent = self.entities.get(canon)
        if ent is not None and surface not in ent.surfaces:
            ent.surfaces.append(surface)

    # ---- scanning -------------------------------------------------------------------------
    def _runs(self, text: str) -> list[tuple[int, int, str | None, str]]:
        """Capitalised runs as (start, end, title country, bare name); titles stripped."""
        if text not in self._run_cache:
            self._run_cache[text] = self._scan(text)
        return self._run_cache[text]

    def _scan(self, text: str) -> list[tuple[int, int, str | None, str]]:
        out: list[tuple[int, int, str | None, str]] = []
        toks = list(_TOKEN.finditer(text))
        i = 0
        while i < len(toks):
            if not _is_cap(toks[i].group()):
                i += 1
                continue
            j = i + 1
            while j < len(toks):
                prev, nxt = toks[j - 1].group(), toks[j].group()
                gap = text[toks[j - 1].end() : toks[j].start()]
                # A sentence-final full stop ends the run; "U.S." or "Mr." does not.
                if gap != " " or (prev.endswith(".") and len(prev.rstrip(".")) > 3):
                    break
                if _is_cap(nxt) or (
                    nxt.lower() in _LOWER_CONNECTORS
                    and j + 1 < len(toks)
                    and _is_cap(toks[j + 1].group())
                ):
                    j += 1
                    continue
                break
            start = _sentence_start(text, toks[i].start())
            hit = self._strip(text, toks[i:j], start)
            if hit:
                out.append(hit)
            i = j
        return out

    def _strip(
        self, text: str, run: list[re.Match[str]], sentence_start: bool
    ) -> tuple[int, int, str | None, str] | None:
        country: str | None = None
        k = 0
        while k < len(run):
            raw = run[k].group().rstrip(".")
            word = fold(_possessive(raw))
            c = COUNTRIES.lookup(word, demonym_ok=True)
            if (
                c is not None
                and k + 1 < len(run)
                and (
                    raw != _possessive(raw)
                    or COUNTRIES.is_demonym(word)
                    or fold(run[k + 1].group()) in TITLES
                )
            ):
                country = c.name
                k += 1
                continue
            if word in TITLES or (
                k == 0 and sentence_start and word not in self._known_caps and c is None
            ):
                k += 1
                continue
            break
        rest = [t for t in run[k:]]
        while rest and (fold(rest[-1].group()) in TITLES):
            rest.pop()
        if not rest:
            return None
        name = _possessive(text[rest[0].start() : rest[-1].end()].rstrip("."))
        words = [fold(w) for w in name.split()]
        if len(words) == 1 and (
            words[0] in CALENDAR
            or words[0] in _NOT_NAMES
            or words[0] in STOPWORDS
            or len(words[0]) < 2
            or COUNTRIES.is_demonym(words[0])
            or re.search(r"-[a-z]+$", name)
        ):
            return None
        if any(w in PLACE_WORDS or w in CALENDAR for w in words):
            return None
        if k > 0 and country and self._classify(name) == "organisation":
            # "Turkish Armed Forces": the demonym is part of an organisation's name.
            first = next(t for t in run if fold(t.group()) not in ("the",))
            name = text[first.start() : rest[-1].end()]
            return first.start(), rest[-1].end(), None, name
        return rest[0].start(), rest[0].start() + len(name), country, name

    def _classify(self, name: str) -> str:
        words = [fold(t) for t in name.split()]
        if COUNTRIES.lookup(fold(name)) is not None:
            return "country"
        if any(t in ORG_WORDS for t in words) or name.isupper():
            return "organisation"
        if fold(name) in self._with_article or words[0] in self._with_article:
            return "organisation" if len(words) > 1 else "single"
        if 2 <= len(words) <= 4:
            return "person"
        return "single" if len(words) == 1 else "organisation"

    def resolve(self, surface: str) -> str | None:
        """Canonical name for a surface form (title-less or not), or None."""
        key = fold(_possessive(surface.strip())).rstrip(".")
        if key in self._aliases:
            return self._aliases[key]
        country = COUNTRIES.lookup(key)
        if country is not None:
            return country.name
        coll = _collective_re().fullmatch(surface.strip())
        if coll is not None:
            hit = COUNTRIES.lookup(fold(coll.group("dem")), demonym_ok=True)
            return hit.name if hit else None
        parts = key.split()
        if len(parts) > 1 and _surname(key) in self._aliases:
            return self._aliases[_surname(key)]
        return None

    def mentions(self, text: str) -> list[Mention]:
        """Every entity mention in ``text`` with exact spans (titles included in the span)."""
        found: list[Mention] = []
        for m in _collective_re().finditer(text):
            c = COUNTRIES.lookup(fold(m.group("dem")), demonym_ok=True)
            if c is not None:
                found.append(
                    Mention(
                        start=m.start(),
                        end=m.end(),
                        surface=m.group(),
                        entity=c.name,
                        kind="country",
                    )
                )
        for start, end, _country, name in self._runs(text):
            if any(f.start <= start < f.end for f in found):
                continue
            canon = self.resolve(name)
            spans = [(start, end, canon)]
            if canon is None:
                # An unknown run ("France Join Together") may still hold known single names.
                spans = []
                for t in _TOKEN.finditer(name):
                    c1 = self.resolve(t.group())
                    if c1 is not None:
                        spans.append((start + t.start(), start + t.end(), c1))
            for s0, e0, c2 in spans:
                if c2 is None:
                    continue
                ent = self.entities.get(c2)
                kind: EntityKind = ent.kind if ent else "country"
                found.append(Mention(start=s0, end=e0, surface=text[s0:e0], entity=c2, kind=kind))
        return sorted(found, key=lambda m: m.start)

    def side(self, canonical: str) -> str:
        """The party a holder speaks for: a person's country when known, else themselves."""
        ent = self.entities.get(canonical)
        return ent.affiliation if ent and ent.affiliation else canonical

    def kind(self, canonical: str) -> EntityKind | None:
        ent = self.entities.get(canonical)
        return ent.kind if ent else None

    def canonical_names(self) -> list[str]:
        """Person and organisation names to keep to (for prompts): most specific first."""
        return sorted(
            (e.canonical for e in self.entities.values() if e.kind in ("person", "organisation")),
            key=lambda n: (-len(n.split()), n),
        )


def _title_case(text: str) -> bool:
    toks = [t for t in _TOKEN.findall(text) if len(t) > 3]
    return len(toks) >= 3 and sum(_is_cap(t) for t in toks) / len(toks) >= 0.85


def _surname(name: str) -> str:
    last = fold(name.split()[-1]) if name.split() else ""
    return re.sub(r"^(al|el)-", "", last)


_COLLECTIVE_CACHE: list[re.Pattern[str]] = []


def _collective_re() -> re.Pattern[str]:
    # "(the) <Demonym> government/officials/..." speaks for the country.
    if not _COLLECTIVE_CACHE:
        dems = "|".join(sorted(COUNTRIES.demonyms(), key=len, reverse=True))
        nouns = "|".join(sorted(COLLECTIVES | {"armed forces", "foreign ministry"}))
        _COLLECTIVE_CACHE.append(
            re.compile(rf"\b(?:[Tt]he\s+)?(?P<dem>{dems})\s+(?:{nouns})\b", re.UNICODE)
        )
    return _COLLECTIVE_CACHE[0]
