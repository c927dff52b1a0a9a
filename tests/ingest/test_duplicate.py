"""Near-duplicate detection across the articles of one event."""

from __future__ import annotations

from pathlib import Path

from summarize.ingest.cleaner import clean
from summarize.ingest.document import Article, Event
from summarize.ingest.duplicate import mark_duplicates
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
