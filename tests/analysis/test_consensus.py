from __future__ import annotations

import random

import pytest

from summarize.analysis.consensus import ConsensusSettings, Neighbours, select
from summarize.ingest.document import Article, Event, Passage
from summarize.text.tfidf import TfIdf, cosine


def _event(texts: dict[str, list[str]]) -> tuple[Event, list[Passage]]:
    articles = [Article(id=a, path=f"{a}.txt") for a in texts]
    passages = [
        Passage(id=f"{a}.p{i}.s1", article=a, paragraph=i, sentence=1, text=t)
        for a, ts in texts.items()
        for i, t in enumerate(ts, 1)
    ]
    return Event(id="e", articles=articles), passages


SHARED = (
    "The two presidents agreed in Moscow on Thursday to coordinate air strikes against the group."
)


def test_fact_reported_by_every_outlet_is_selected_and_cites_each_outlet() -> None:
    _, passages = _event(
        {
            "A1": [SHARED, "A local bakery reopened after the long winter holiday season ended."],
            "A2": [
                "In Moscow on Thursday the two presidents agreed to coordinate air strikes against the group.",
                "The weather in the capital was unusually warm for late November this year.",
            ],
            "A3": [
                "Both presidents agreed on Thursday in Moscow to coordinate their air strikes on the group.",
                "Stock markets in Asia closed higher on Friday after a volatile trading week.",
            ],
        }
    )
    clusters = select(passages, ConsensusSettings(max_sentences=1))
    assert len(clusters) == 1
    c = clusters[0]
    assert c.outlets == 3
    assert {p.article for p in c.passages} == {"A1", "A2", "A3"}


def test_mmr_does_not_select_the_same_fact_twice() -> None:
    _, passages = _event(
        {
            "A1": [SHARED],
            "A2": [
                "The two presidents agreed in Moscow on Thursday to coordinate air strikes against the group."
            ],
            "A3": [
                "Officials said the talks would continue next week in Paris with foreign ministers present."
            ],
        }
    )
    clusters = select(passages, ConsensusSettings(max_sentences=3))
    leads = [c.lead.text for c in clusters]
    assert sum("coordinate air strikes" in t for t in leads) == 1


def test_dangling_and_fragment_sentences_are_not_selected() -> None:
    _, passages = _event(
        {
            "A1": [
                "He said the two presidents agreed in Moscow to coordinate air strikes against the group.",
                '"We agreed in Moscow to coordinate air strikes against the group, the president said.',
            ],
            "A2": [
                "He said the two presidents agreed in Moscow to coordinate air strikes against the group."
            ],
        }
    )
    assert select(passages, ConsensusSettings()) == []


def test_empty_input() -> None:
    _, passages = _event({})
    assert select(passages, ConsensusSettings()) == []


def test_deterministic() -> None:
    _, passages = _event(
        {
            "A1": [
                SHARED,
                "Officials said the talks would continue next week in Paris with ministers.",
            ],
            "A2": [
                "The two presidents agreed in Moscow on Thursday to coordinate air strikes on the group.",
                "Officials said talks would continue next week in Paris with foreign ministers.",
            ],
        }
    )
    a = select(passages, ConsensusSettings())
    b = select(list(reversed(passages)), ConsensusSettings())
    assert [c.lead.id for c in a] == [c.lead.id for c in b]


def test_the_lede_is_the_fact_most_outlets_carry_then_story_order() -> None:
    background = (
        "Islamic State fighters claimed the attacks in Paris that killed many people there."
    )
    _, passages = _event(
        {
            "A1": [background, SHARED],
            "A2": [
                "Islamic State fighters said they carried out the attacks in Paris that killed many.",
                "In Moscow on Thursday the two presidents agreed to coordinate air strikes against the group.",
            ],
            "A3": [
                "Both presidents agreed on Thursday in Moscow to coordinate their air strikes on the group.",
            ],
        }
    )
    clusters = select(passages, ConsensusSettings(max_sentences=2))
    assert clusters[0].outlets == 3 and "presidents" in clusters[0].lead.text  # the news
    assert "Paris" in clusters[1].lead.text  # the rest keeps story order
    story = select(passages, ConsensusSettings(max_sentences=2, lede_first=False))
    assert "Paris" in story[0].lead.text  # without the rule, the earliest fact leads


def test_the_lede_is_the_opening_sentence_closest_to_the_headlines() -> None:
    """The news as the outlets' headlines state it leads, though a side detail (here one
    every outlet repeats) is carried more widely; without headlines, or with headlines that
    are dates and site names, the most widely carried fact leads."""
    detail = "Only one senator, a Republican from Missouri, voted against the measure in the end."
    _, passages = _event(
        {
            "A1": [
                "The Senate passed a bill on Thursday to combat hate crimes against Asian Americans.",
                detail,
            ],
            "A2": [
                detail.replace("in the end", "on Thursday"),
                "Senators approved the hate crimes bill by a wide bipartisan margin this week.",
            ],
            "A3": [
                detail.replace("Only one", "A single"),
                "The vote came after two weeks of talks.",
            ],
        }
    )
    headlines = [
        "Senate passes bill on hate crimes against Asian Americans",
        "Senate approves Asian American hate crimes bill",
    ]
    settings = ConsensusSettings(max_sentences=3)
    clusters = select(passages, settings, headlines)
    assert clusters[0].lead.id == "A1.p1.s1"
    assert clusters[0].outlets < max(c.outlets for c in clusters)  # not the widest-carried
    for titles in ([], ["Thursday, 24 June 2021", "www.example.com"]):
        fallback = select(passages, settings, titles)
        assert "senator" in fallback[0].lead.text and fallback[0].outlets == 3


def _zipf_vectors(n: int, seed: int) -> list[dict[str, float]]:
    """TF-IDF vectors of random texts over a Zipf-like vocabulary: a few words in most texts,
    many in few, as in news."""
    rng = random.Random(seed)
    vocab = [f"term{i}" for i in range(300)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    docs = [" ".join(rng.choices(vocab, weights, k=rng.randint(3, 30))) for _ in range(n)]
    tfidf = TfIdf(docs)
    return [tfidf.vector(d) for d in docs]


@pytest.mark.parametrize("threshold", [0.0, 0.1, 0.32, 0.6, 0.95])
def test_neighbours_miss_no_pair_at_or_above_the_threshold(threshold: float) -> None:
    vectors = _zipf_vectors(300, seed=7)
    neighbours = Neighbours(vectors, threshold)
    for i, v in enumerate(vectors):
        found = set(neighbours.of(i))
        close = {j for j, w in enumerate(vectors) if (s := cosine(v, w)) >= threshold and s > 0}
        assert close <= found, (i, sorted(close - found))


def test_neighbours_leave_most_pairs_unvisited() -> None:
    vectors = _zipf_vectors(300, seed=11)
    neighbours = Neighbours(vectors, ConsensusSettings().match_threshold)
    visited = sum(len(neighbours.of(i)) for i in range(len(vectors)))
    assert visited < 0.2 * len(vectors) ** 2


def test_length_follows_the_number_of_articles_within_the_budget() -> None:
    s = ConsensusSettings()
    assert [s.budget(n) for n in (1, 3, 5, 20)] == [5, 7, 9, 10]
    assert ConsensusSettings(max_sentences=4).budget(20) == 4
    assert ConsensusSettings(base_sentences=0, min_sentences=3).budget(1) == 3
