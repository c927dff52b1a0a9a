"""Clean stage: drop web furniture paragraph by paragraph, then mark near-duplicate articles.

``clean(event)`` is the one entry point (it calls ``duplicate.mark_duplicates`` itself). It
always restarts from ``raw_paragraphs``, so it is idempotent, and every raw paragraph ends up
either in ``paragraphs`` or in ``dropped`` with a short reason: nothing is lost silently.
An article whose input names no outlet gets one from what was dropped (``masthead``: a
copyright or "follow us" line, an agency credit), else from its file name, and
``outlet_source`` says which.

Two kinds of evidence:
1. Generic web-furniture patterns (navigation, paywall and donation appeals, sign-ups, social
   prompts, photo credits, reading times, date stamps, "related" blocks). Some patterns open a
   *block*: the lines after them are dropped too while they are off-topic or headline-like
   (the unrelated headlines under "Read more", the bullet list under a donation appeal).
2. Cross-document evidence: the event's topic is the vocabulary that at least two distinct
   (non-duplicate) articles use. A paragraph nobody else echoes and that is off that topic is
   dropped, but only where furniture lives: before an article's first on-topic paragraph or
   inside a furniture block. An off-topic line in the middle of an article's body is kept,
   because short excerpts legitimately carry facts that no other outlet repeats.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from summarize.ingest.document import Article, DroppedParagraph, Event
from summarize.ingest.duplicate import mark_duplicates
from summarize.ingest.masthead import outlet_from_furniture, outlet_from_path
from summarize.ingest.webtext import POSITION_MARKER, SENT_END, furniture
from summarize.text.lexicon import TIME_WORDS
from summarize.text.outlets import host_of
from summarize.text.words import content_words, tokens

TOPIC_SHARE = 0.34  # share of a paragraph's content words that must be event vocabulary
# A letter or digit in any script: text in Cyrillic, Greek, CJK... is not "empty", even though
# the word tokens (Latin letters) of every comparison here find nothing in it.
_ANY_WORD = re.compile(r"[^\W_]")


def clean(event: Event) -> Event:
    """Fill ``paragraphs``/``dropped`` of every article and mark near-duplicates."""
    first: list[list[str | None]] = []
    opens: list[list[bool]] = []
    articles: list[Article] = []
    for art in event.articles:
        labels, blocks, extra = _pattern_pass(art)
        first.append(labels)
        opens.append(blocks)
        kept = [p for p, why in zip(art.raw_paragraphs, labels, strict=True) if why is None]
        articles.append(art.model_copy(update={"paragraphs": kept, "dropped": [], "extra": extra}))
    marked = mark_duplicates(event.model_copy(update={"articles": articles}))
    topic, units = _topic_vocabulary(marked.articles)
    warnings = [w for w in event.warnings if not w.startswith("clean: ")]
    final: list[Article] = []
    for art, labels, blocks in zip(marked.articles, first, opens, strict=True):
        labels = _context_pass(art, labels, blocks, topic, units, marked.articles)
        kept = [p for p, why in zip(art.raw_paragraphs, labels, strict=True) if why is None]
        dropped = [
            DroppedParagraph(text=p, reason=why)
            for p, why in zip(art.raw_paragraphs, labels, strict=True)
            if why is not None
        ]
        if art.raw_paragraphs and not kept:
            warnings.append(f"clean: {art.id}: every paragraph was dropped")
        final.append(
            art.model_copy(update={"paragraphs": kept, "dropped": dropped, **_outlet(art, dropped)})
        )
    return marked.model_copy(update={"articles": final, "warnings": warnings})


def _outlet(art: Article, dropped: list[DroppedParagraph]) -> dict[str, str | None]:
    """The outlet and where its name came from: the input's metadata when it has one (an
    outlet, else the URL's host), else the furniture this article's cleaning dropped, else
    the file name."""
    if art.outlet and art.outlet_source in (None, "metadata"):
        return {"outlet": art.outlet, "outlet_source": "metadata"}
    host = host_of(art.url) if art.url else None
    if host:
        return {"outlet": host, "outlet_source": "metadata"}
    named = outlet_from_furniture(dropped)
    if named:
        return {"outlet": named, "outlet_source": "furniture"}
    return {"outlet": outlet_from_path(art.path), "outlet_source": "filename"}


def kept_by_patterns(article: Article) -> list[str]:
    """The raw paragraphs the per-article rules keep (web furniture, the title line, repeats
    and empty lines set aside), before any cross-document evidence. Empty: the article is
    nothing but boilerplate. The loader uses it to report such articles before the run."""
    labels, _, _ = _pattern_pass(article)
    return [p for p, why in zip(article.raw_paragraphs, labels, strict=True) if why is None]


def _norm(text: str) -> str:
    return " ".join(tokens(text))


def _pattern_pass(art: Article) -> tuple[list[str | None], list[bool], dict[str, str]]:
    """Context-free patterns plus within-article context (title, subtitle, captions)."""
    labels, blocks, extra = _article_pass(
        art.title or "", tuple(art.raw_paragraphs), tuple(sorted(art.extra.items()))
    )
    return list(labels), list(blocks), dict(extra)


# The loader's checks (``kept_by_patterns``) and then the cleaner pass every article: once.
@lru_cache(maxsize=256)
def _article_pass(
    raw_title: str, paras: tuple[str, ...], raw_extra: tuple[tuple[str, str], ...]
) -> tuple[tuple[str | None, ...], tuple[bool, ...], tuple[tuple[str, str], ...]]:
    labels: list[str | None] = [None] * len(paras)
    blocks = [False] * len(paras)
    extra = {k: v for k, v in raw_extra if k != "subtitle"}
    title = _norm(raw_title)
    seen: set[str] = set()
    title_at: int | None = None
    dek_at: int | None = None
    for i, para in enumerate(paras):
        norm = _norm(para)
        hit = furniture(para)
        if title and norm == title and title_at is None:
            labels[i], title_at = "title (kept as the article title)", i
        elif hit:
            labels[i], blocks[i] = hit
        elif not norm and not _ANY_WORD.search(para):
            labels[i] = "empty: no words"
        elif norm and norm in seen:
            labels[i] = "repeated paragraph"
        seen.add(_norm(POSITION_MARKER.sub("", re.sub(r"\([^)]*\)", "", para))))
        seen.add(norm)
    if title_at is not None:
        # A dek (unpunctuated line right under the title) is kept as content, since it can
        # carry facts, but is recorded so renderers can show it as a subtitle.
        nxt = next((j for j in range(title_at + 1, len(paras)) if labels[j] is None), None)
        if nxt is not None and nxt <= title_at + 3:
            dek = paras[nxt]
            if 5 <= len(dek.split()) <= 45 and not dek.rstrip().endswith(SENT_END):
                extra["subtitle"], dek_at = dek, nxt
    for i, para in enumerate(paras):
        if labels[i] is not None or i == dek_at:
            continue
        credit_near = any(
            0 <= j < len(paras) and (labels[j] or "").endswith("photo credit")
            for j in (i - 1, i + 1)
        )
        unpunctuated = not para.rstrip().endswith(SENT_END)
        if credit_near and (unpunctuated or POSITION_MARKER.search(para)):
            labels[i] = "boilerplate: photo caption"
    return tuple(labels), tuple(blocks), tuple(extra.items())


@lru_cache(maxsize=16384)
def _stems(text: str) -> frozenset[str]:
    # Cached: the echo check compares every paragraph with every other article's paragraphs.
    return frozenset(w for w in content_words(text) if len(w) >= 3 and w not in TIME_WORDS)


def _topic_vocabulary(articles: Sequence[Article]) -> tuple[set[str], dict[str, set[str]]]:
    """Stems used by >= 2 distinct stories (a duplicate counts with its original)."""
    units: dict[str, set[str]] = {}
    for art in articles:
        key = art.duplicate_of or art.id
        text = " ".join([art.title or "", *art.paragraphs])
        units.setdefault(key, set()).update(_stems(text))
    counts: dict[str, int] = {}
    for vocab in units.values():
        for stem in vocab:
            counts[stem] = counts.get(stem, 0) + 1
    return {s for s, c in counts.items() if c >= 2}, units


def _on_topic(para: str, unit: str, topic: set[str], articles: Sequence[Article]) -> bool:
    stems = _stems(para)
    if not stems:
        return False
    if len(stems & topic) >= TOPIC_SHARE * len(stems):
        return True
    for other in articles:  # echoed: some other story has a paragraph saying much the same
        if (other.duplicate_of or other.id) == unit:
            continue
        for q in other.paragraphs:
            if len(stems & _stems(q)) >= max(2, 0.5 * len(stems)):
                return True
    return False


def _is_prose(para: str) -> bool:
    return len(para.split()) >= 6 and para.rstrip().endswith(SENT_END)


def _context_pass(
    art: Article,
    labels: list[str | None],
    blocks: list[bool],
    topic: set[str],
    units: dict[str, set[str]],
    articles: Sequence[Article],
) -> list[str | None]:
    """Extend furniture blocks and drop unechoed off-topic lines in the head of the article."""
    out = list(labels)
    cross_doc = len(units) >= 2  # with a single story there is no topic to be off
    unit = art.duplicate_of or art.id
    block: str | None = None
    seen_body = False
    for i, para in enumerate(art.raw_paragraphs):
        if labels[i] is not None:
            if blocks[i]:
                block = labels[i]
            continue
        on_topic = not cross_doc or _on_topic(para, unit, topic, articles)
        headline_like = len(para.split()) <= 20 and not para.rstrip().endswith(SENT_END)
        if block and (not on_topic or headline_like):
            kind = (block or "").removeprefix("boilerplate: ")
            out[i] = (
                f"off-topic: not echoed by any other article (after {kind})"
                if not on_topic
                else f"boilerplate: {kind} (continued)"
            )
            continue
        block = None
        if not seen_body and not on_topic and not _is_prose(para):
            out[i] = "off-topic: not echoed by any other article"
            continue
        seen_body = True
    return out
