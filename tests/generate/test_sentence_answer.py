"""A sentence answer read from plain text (the stepwise writer's fact sentences and the
repair): what a small model wraps around its sentence is removed, its words are not."""

from __future__ import annotations

import pytest

from summarize.generate.caller import MAX_SENTENCE_CHARS, sentence_answer

IDS = ("A1.p1.s1", "A2.p3.s2")


@pytest.mark.parametrize(
    ("answer", "sentence"),
    [
        ("Putin met Hollande in Moscow.", "Putin met Hollande in Moscow."),
        ("  Putin met Hollande in Moscow.\n", "Putin met Hollande in Moscow."),
        ('"Putin met Hollande in Moscow."', "Putin met Hollande in Moscow."),
        ("“Putin met Hollande in Moscow.”", "Putin met Hollande in Moscow."),
        ("Sentence: Putin met Hollande in Moscow.", "Putin met Hollande in Moscow."),
        ("Here is the sentence:\nPutin met Hollande in Moscow.", "Putin met Hollande in Moscow."),
        ("Putin met Hollande in Moscow. [A1.p1.s1]", "Putin met Hollande in Moscow."),
        ("Putin met Hollande (A1.p1.s1, A2.p3.s2) in Moscow.", "Putin met Hollande in Moscow."),
        ("Putin met Hollande.\nCitations: A1.p1.s1", "Putin met Hollande."),
        # A quotation that opens the sentence is the sentence's own: kept.
        ("“We are ready,” Putin said.", "“We are ready,” Putin said."),
        ('Putin said "we are ready" to cooperate.', 'Putin said "we are ready" to cooperate.'),
        ('{"sentence": "Putin met Hollande.", "citations": []}', "Putin met Hollande."),
    ],
)
def test_the_sentence_is_read_from_what_wraps_it(answer: str, sentence: str) -> None:
    value, why = sentence_answer(answer, IDS)
    assert value is not None, why
    assert value.sentence == sentence


def test_a_json_answer_keeps_the_shown_ids_it_cites() -> None:
    value, _ = sentence_answer(
        '{"sentence": "Putin met Hollande.", "citations": ["A2.p3.s2"]}', IDS
    )
    assert value is not None and value.citations == ["A2.p3.s2"]
    plain, _ = sentence_answer("Putin met Hollande. [A2.p3.s2]", IDS)
    assert plain is not None and plain.citations == []  # it rests on every passage shown


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        ("", "no sentence"),
        ("  \n\n ", "no sentence"),
        ('""', "no sentence"),
        ("{not json", "without a sentence"),
        ('{"conflict": false}', "without a sentence"),
        ('{"sentence": "Putin met Hollande.", "citations": ["A9.p9.s9"]}', "A9.p9.s9"),
        ("x" * (MAX_SENTENCE_CHARS + 1), "over"),
    ],
)
def test_what_is_no_usable_sentence_says_why(answer: str, why: str) -> None:
    value, reason = sentence_answer(answer, IDS)
    assert value is None
    assert why in reason
