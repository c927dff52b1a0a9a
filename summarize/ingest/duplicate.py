"""Near-duplicate articles: the same (wire) story reprinted, with or without page furniture.

Evidence is word 5-gram shingle containment of the *later* article in an earlier one: "does
the later copy add anything?". Containment rather than Jaccard so that a copy stripped of
furniture, or a trimmed reprint, still counts; asymmetric so that a later, longer article
that merely quotes an earlier one is *not* marked (it adds content). Events hold tens of
articles at most, so exact sets are cheap and no MinHash dependency is needed; an inverted
index from shingle to article keeps a batch of hundreds of articles from comparing every pair.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from summarize.ingest.document import Article, Event
from summarize.text.words import tokens

SHINGLE = 5
CONTAINMENT = 0.8  # share of the later article's shingles found in the earlier one
MIN_SHINGLES = 12  # below this a match is too likely to be a shared quote or boilerplate


def shingles(text: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    words = tokens(text)
    return {tuple(words[i : i + size]) for i in range(max(len(words) - size + 1, 0))}


def containment(later: set[tuple[str, ...]], earlier: set[tuple[str, ...]]) -> float:
    return len(later & earlier) / len(later) if later else 0.0


def _text(article: Article) -> str:
    # Cleaned paragraphs when cleaning ran, so furniture does not dilute the match.
    return "\n".join(article.paragraphs or article.raw_paragraphs)


def mark_duplicates(event: Event) -> Event:
    """Return a copy where each later near-copy has ``duplicate_of`` = the earliest original.

    Both articles stay in the event (the duplicate is still displayed); downstream stages
    count an article with ``duplicate_of`` set only once, through its original.
    """
    sets = [shingles(_text(a)) for a in event.articles]
    # Shingle -> the originals (articles not marked as copies) holding it, in article order:
    # an article is compared only with the originals it shares shingles with, so the cost
    # follows the shared text, not the number of pairs of articles.
    holders: dict[tuple[str, ...], list[int]] = defaultdict(list)
    marked: list[Article] = []
    for j, article in enumerate(event.articles):
        match: tuple[str, float] | None = None
        if len(sets[j]) >= MIN_SHINGLES:
            shared: Counter[int] = Counter()
            for shingle in sets[j]:
                shared.update(holders.get(shingle, ()))
            for i in sorted(shared):  # the earliest original wins
                score = shared[i] / len(sets[j])  # = containment(sets[j], sets[i])
                if score >= CONTAINMENT:
                    match = (event.articles[i].id, score)
                    break
        if match is None:
            for shingle in sets[j]:
                holders[shingle].append(j)
        extra = {k: v for k, v in article.extra.items() if k != "duplicate_containment"}
        if match:
            extra["duplicate_containment"] = f"{match[1]:.2f}"
        marked.append(
            article.model_copy(update={"duplicate_of": match[0] if match else None, "extra": extra})
        )
    return event.model_copy(update={"articles": marked})
