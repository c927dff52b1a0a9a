"""Whole-event checks after loading, each only a warning: articles with nothing but web
boilerplate, a single article, articles that do not look English, and articles that share
almost no vocabulary with the others (a mixed-event folder)."""

from __future__ import annotations

import re
from pathlib import Path

from summarize.ingest.cleaner import kept_by_patterns
from summarize.ingest.document import Article, Event
from summarize.text.lexicon import STOPWORDS
from summarize.text.tfidf import TfIdf, cosine
from summarize.text.words import content_words, fold

NOT_ENGLISH_STOP_SHARE = 0.15  # English prose: ~40% of words are stop words; French ~5%
MIN_WORDS_FOR_CHECKS = 30  # shorter articles are too small to judge language or topic
# Two articles "share vocabulary" at TF-IDF cosine >= this. Calibrated on ECB+ (16 events)
# and the reference event: every article has a partner >= 0.098 in its own event, while 74%
# of articles from an unrelated event stay below 0.06 against all of another event's.
SAME_EVENT_COSINE = 0.06
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_LATIN_BEYOND_ASCII = re.compile(r"[\u0080-\u024f]")  # Latin-1 and Latin Extended-A/B
_BEYOND_LATIN = re.compile(r"[^\x00-\u024f]")


def check_event(
    event: Event, warnings: list[str], where: str, *, batch: bool = False
) -> Event | None:
    """Whole-event checks after loading (their warnings are appended to ``warnings`` and to the
    event's own); ``None`` when no article has any text left once web boilerplate is set
    aside. Everything else is only a warning: the event is still summarised. A ``.jsonl``
    cluster (``batch``) is a curated dataset: only the boilerplate check applies."""
    found: list[str] = []
    checked = _check_articles(event, found, where, full=not batch)
    warnings.extend(found)
    if checked is None:
        return None
    return event.model_copy(update={"warnings": [*event.warnings, *found]})


def _check_articles(event: Event, warnings: list[str], label: str, *, full: bool) -> Event | None:
    kept = [kept_by_patterns(a) for a in event.articles]
    for art, paras in zip(event.articles, kept, strict=True):
        if not paras:
            warnings.append(
                f"{_name(art)}: nothing to summarise, all {len(art.raw_paragraphs)} paragraphs "
                "are web boilerplate, repeats or empty"
            )
    live = [(a, " ".join(p)) for a, p in zip(event.articles, kept, strict=True) if p]
    if not live:
        warnings.append(f"{label}: no article text left once web boilerplate is set aside")
        return None
    if not full:
        return event
    if len(event.articles) == 1:
        warnings.append(
            f"{label}: only one article: the summary rests on one source and cannot show "
            "disagreements between outlets"
        )
    for script, effect in (
        (False, "few summary sentences and disagreements"),
        (True, "no summary sentences (their words are not in Latin letters)"),
    ):
        foreign = [a for a, text in live if _language(text) == ("script" if script else "words")]
        if foreign:
            names = ", ".join(_name(a) for a in foreign[:3]) + (", …" if len(foreign) > 3 else "")
            warnings.append(
                f"{label}: {_count(len(foreign), 'article')} ({names}) not in English: the "
                f"sentence splitter and the analysis rules are English-only, so they yield {effect}"
            )
    groups = _vocabulary_groups(live)
    if len(groups) > 1:
        shown_groups = "; ".join(
            "{" + ", ".join(g[:6]) + (", …" if len(g) > 6 else "") + "}" for g in groups[:4]
        )
        warnings.append(
            f"{label}: the articles fall into {len(groups)} groups that share almost no "
            f"vocabulary ({shown_groups}): is this one event? They are summarised as one"
        )
    return event


def _name(article: Article) -> str:
    return f"{article.id} ({Path(article.path.split('#', 1)[-1]).name or article.path})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _language(text: str) -> str | None:
    """``"script"``: mostly letters outside the Latin alphabet (the word tokens every stage
    uses see nothing); ``"words"``: Latin letters but too few English function words;
    ``None``: English, or too short to tell."""
    if not text.isascii():  # ASCII letters are all Latin
        # Letters counted by range, so only the (few) non-ASCII characters are looked at
        # one by one.
        latin = len(_ASCII_LETTER.findall(text))
        latin += sum(c.isalpha() for c in _LATIN_BEYOND_ASCII.findall(text))
        other = sum(c.isalpha() for c in _BEYOND_LATIN.findall(text))
        if latin + other >= MIN_WORDS_FOR_CHECKS and latin < 0.5 * (latin + other):
            return "script"
    tokens = re.findall(r"[^\W\d_]+", fold(text))
    if len(tokens) < MIN_WORDS_FOR_CHECKS:
        return None
    english = sum(t in STOPWORDS for t in tokens) >= NOT_ENGLISH_STOP_SHARE * len(tokens)
    return None if english else "words"


def _vocabulary_groups(live: list[tuple[Article, str]]) -> list[list[str]]:
    """Article ids grouped by shared vocabulary (single link at ``SAME_EVENT_COSINE``); only
    articles long enough to judge take part. Usually one comparison per article."""
    sized = [(a, t) for a, t in live if len(content_words(t)) >= MIN_WORDS_FOR_CHECKS]
    if len(sized) < 2:
        return []
    tfidf = TfIdf([t for _, t in sized])
    vectors = [tfidf.vector(t) for _, t in sized]
    groups: list[list[int]] = []
    for i, vec in enumerate(vectors):
        linked = [g for g in groups if any(cosine(vec, vectors[j]) >= SAME_EVENT_COSINE for j in g)]
        merged = [j for g in linked for j in g] + [i]
        groups = [g for g in groups if g not in linked] + [sorted(merged)]
    groups.sort(key=lambda g: (-len(g), g[0]))
    return [[sized[j][0].id for j in g] for g in groups]
