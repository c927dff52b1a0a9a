"""Near-duplicate detection across the articles of one event."""

from __future__ import annotations

import random
from pathlib import Path

from summarize.ingest.cleaner import clean
from summarize.ingest.document import Article, Event
from summarize.ingest.duplicate import (
    CONTAINMENT,
    MIN_SHINGLES,
    containment,
    mark_duplicates,
    shingles,
)
from summarize.ingest.loader import load

STORY = (
    "The city council approved a new budget on Monday after a long debate about road repairs, "
    "school funding and the cost of the planned bridge over the river, which engineers said "
    "would take three years to build and employ several hundred workers from the region."
)
OTHER = (
    "A separate report published on Tuesday said that tourism in the region grew by a fifth, "
    "driven by visitors from abroad who stayed longer and spent more in local shops and hotels."
)


def _event(*texts: str) -> Event:
    arts = [
        Article(id=f"A{i}", path=f"{i}.txt", raw_paragraphs=t.split("\n\n"))
        for i, t in enumerate(texts, start=1)
    ]
    return Event(id="e", articles=arts)


def test_seed_copy_is_marked(seed_event_dir: Path, seed_gold: dict[str, object]) -> None:
    event = clean(load(seed_event_dir).events[0])
    by_name = {Path(a.path).name: a for a in event.articles}
    docs = seed_gold["documents"]
    assert isinstance(docs, dict)
    for name, info in docs.items():
        original = info.get("near_duplicate_of")
        expected = by_name[original].id if original else None
        assert by_name[name].duplicate_of == expected, name


def test_later_copy_points_at_earliest_original() -> None:
    event = mark_duplicates(_event(STORY, OTHER, "Breaking news\n\n" + STORY, STORY))
    assert [a.duplicate_of for a in event.articles] == [None, None, "A1", "A1"]
    assert event.articles[2].extra["duplicate_containment"] >= "0.80"


def test_later_superset_is_not_a_duplicate() -> None:
    # The later article quotes the whole earlier story but adds as much again: it adds content.
    event = mark_duplicates(_event(STORY, STORY + "\n\n" + OTHER + " " + OTHER.upper()))
    assert [a.duplicate_of for a in event.articles] == [None, None]


def test_short_texts_are_never_duplicates() -> None:
    event = mark_duplicates(_event("Officials said no.", "Officials said no."))
    assert all(a.duplicate_of is None for a in event.articles)


def test_rerun_clears_stale_marks() -> None:
    event = mark_duplicates(_event(STORY, STORY))
    changed = event.model_copy(
        update={
            "articles": [
                event.articles[0],
                event.articles[1].model_copy(update={"raw_paragraphs": [OTHER]}),
            ]
        }
    )
    again = mark_duplicates(changed)
    assert again.articles[1].duplicate_of is None
    assert "duplicate_containment" not in again.articles[1].extra


def test_marks_match_the_pairwise_definition_on_random_reprints() -> None:
    # Articles made of shared sentences, reprinted whole, trimmed or padded: the indexed
    # search must mark exactly what comparing each article with every earlier original does.
    rng = random.Random(3)
    pool = [f"{STORY} {i} {OTHER} {i * 7}" for i in range(12)]
    texts: list[str] = []
    for _ in range(40):
        if texts and rng.random() < 0.5:
            base = rng.choice(texts).split("\n\n")
            keep = base[: max(1, len(base) - rng.randint(0, 1))]
            extra = [rng.choice(pool)] if rng.random() < 0.3 else []
            texts.append("\n\n".join(keep + extra))
        else:
            texts.append("\n\n".join(rng.sample(pool, rng.randint(1, 3))))
    event = mark_duplicates(_event(*texts))
    sets = [shingles(t.replace("\n\n", "\n")) for t in texts]
    expected: list[str | None] = []
    for j in range(len(texts)):
        found = None
        if len(sets[j]) >= MIN_SHINGLES:
            for i in range(j):
                if expected[i] is None and containment(sets[j], sets[i]) >= CONTAINMENT:
                    found = f"A{i + 1}"
                    break
        expected.append(found)
    assert [a.duplicate_of for a in event.articles] == expected
    assert any(expected) and not all(expected)
