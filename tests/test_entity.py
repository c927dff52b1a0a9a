"""Entity index: neutral canonical names across outlets. Also home of the seed-event builder
the attribution and conflict tests share (until the ingest stages land)."""

from __future__ import annotations

import functools
from pathlib import Path

from summarize.document import Article, Event, Passage
from summarize.entity import EntityIndex
from summarize.segmenter import segment

SEED = Path(__file__).resolve().parent.parent / "examples" / "hollande-putin-2015"
OUTLETS = ["The Jerusalem Post", "The Jerusalem Post", "France 24", "Israel365 News", "TRT World"]
# Page furniture in the seed files, skipped by hand here (the cleaner's job in the pipeline).
_BOILER = (
    "Dear Reader",
    "As you can imagine",
    "As one of our",
    "For $5",
    "•",
    "Help us grow",
    "Thank you",
    "Ronit",
    "Yaakov",
    "UPGRADE",
    "Be the first",
    "Related Content",
    "Saudi Arabia",
    "August 22",
    "Skip to main",
    "This page is not",
    "The page no longer",
    "Share this",
    "Donate",
    "Default Donation",
    "Personal Info",
    "Credit Card",
    "This is a",
    "Donation Total",
    "Prophecy",
    "Sign up",
    "November 2",
    "1 minute",
    "3 min",
    "Photo by",
    "TRTWorld and",
    "Diplomatic marathon",
    "Yuri Kadobnov",
    "Russia's President Vladimir Putin (R)",
    "(photo credit",
)


def _paragraphs(text: str) -> list[str]:
    out = []
    for para in text.split("\n"):
        para = " ".join(para.split())
        if para and not para.startswith(_BOILER):
            out.append(para)
    return out


def passages_for(article: Article) -> list[Passage]:
    # The real segmenter, on an event of this one article.
    return segment(Event(id="one", articles=[article]))


def make_event(
    texts: list[str], outlets: list[str | None] | None = None, event_id: str = "test"
) -> tuple[Event, list[Passage]]:
    """Articles from plain texts (paragraphs split on newlines; first line is the title)."""
    arts = []
    for i, text in enumerate(texts, 1):
        paras = _paragraphs(text)
        arts.append(
            Article(
                id=f"A{i}",
                path=f"<test>:{i}",
                title=paras[0] if paras else None,
                outlet=(outlets[i - 1] if outlets else None),
                paragraphs=paras,
                raw_paragraphs=paras,
            )
        )
    event = Event(id=event_id, articles=arts)
    return event, [p for a in arts for p in passages_for(a)]


@functools.cache
def seed() -> tuple[Event, list[Passage]]:
    files = sorted(SEED.glob("*.txt"))
    event, passages = make_event(
        [f.read_text(encoding="utf-8") for f in files], list(OUTLETS), "hollande-putin-2015"
    )
    # 001 is the same wire story as 000 without the page furniture.
    event.articles[1].duplicate_of = "A1"
    return event, passages


def test_canonical_names_fold_titles_and_diacritics() -> None:
    event, passages = make_event(
        [
            "Title\nFrench President François Hollande met officials on Monday.\n"
            "Hollande said the talks went well.",
            "Title\nFrancois Hollande arrived in the capital. Russian President Vladimir Putin "
            "greeted him.\nPutin said the meeting was useful.",
        ]
    )
    idx = EntityIndex.build(passages, event.articles)
    assert idx.resolve("Hollande") == idx.resolve("François Hollande")
    assert idx.resolve("Francois Hollande") == idx.resolve("Hollande")
    assert idx.resolve("Putin") == "Vladimir Putin"
    assert idx.side("Vladimir Putin") == "Russia"
    assert idx.resolve("Moscow") == "Russia" and idx.resolve("the Kremlin") == "Russia"
    mentions = idx.mentions("French President François Hollande met officials.")
    assert [m.entity for m in mentions] == [idx.resolve("Hollande")]


def test_seed_entities_merge_spellings() -> None:
    event, passages = seed()
    idx = EntityIndex.build(passages, event.articles)
    persons = [e.canonical for e in idx.entities.values() if e.kind == "person"]
    # Misspelled and al-/no-al- variants are one person each.
    assert len([n for n in persons if n.endswith("Putin")]) == 1
    assert len([n for n in persons if n.endswith("Assad")]) == 1
    assert len([n for n in persons if n.endswith("Obama")]) == 1
    assert idx.resolve("Turkish authorities") == "Turkey"
    assert "Islamic State" in idx.canonical_names()


def test_empty() -> None:
    idx = EntityIndex.build([], [])
    assert idx.mentions("") == []
    assert idx.resolve("Nobody") is None
