"""Every summary metric on hand-built documents whose right answer is known."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from summarize.contract import PassageRecord, Position
from summarize.eval.gold import Gold, load_gold, load_gold_file
from summarize.eval.metrics.base import (
    CitationPrecision,
    EvalCase,
    Faithfulness,
    MemoJudge,
    MetricItem,
    MetricResult,
    ReferenceRouge,
    aggregate,
    judge_support,
    lead_text,
    result_from_items,
)
from summarize.eval.metrics.coverage import (
    DisagreementPrecision,
    DisagreementRecall,
    KeyFactCoverage,
)
from summarize.eval.metrics.grounding import (
    DisagreementGrounding,
    heuristic_conflict,
    judge_conflict,
)
from summarize.eval.metrics.leakage import BoilerplateLeakage
from summarize.eval.metrics.neutrality import (
    Attribution,
    LoadedLanguage,
    OrderSensitivity,
    OutletBalance,
)
from summarize.eval.metrics.scorecard import build_metrics, score_case
from summarize.text.holders import holders_match, text_names_holder
from tests.helpers.evalfakes import (
    SubsetJudge,
    article,
    basic_doc,
    dis,
    doc,
    dropped,
    passage,
    position,
    sent,
)


def by_name(results: list[MetricResult]) -> dict[str, MetricResult]:
    return {r.name: r for r in results}


def gold(**kw: object) -> Gold:
    return Gold.model_validate({"event": "ev", **kw})


def test_faithfulness_cited_and_any() -> None:
    r = by_name(Faithfulness(SubsetJudge()).compute(EvalCase(document=basic_doc())))
    assert r["faithfulness_cited"].value == 0.5
    assert r["faithfulness_cited"].n == 2
    assert [i.value for i in r["faithfulness_cited"].items] == [1.0, 0.0]
    assert "treaty" in r["faithfulness_cited"].items[1].explanation
    assert r["faithfulness_any"].value == 0.5


def test_faithfulness_any_source_catches_miscitation() -> None:
    d = doc(
        [article("A1", "X"), article("A2", "Y")],
        [passage("A1.p1.s1", "Rain fell in Paris."), passage("A2.p1.s1", "Snow fell in Oslo.")],
        [sent("Snow fell in Oslo.", "A1.p1.s1")],
    )
    r = by_name(Faithfulness(SubsetJudge()).compute(EvalCase(document=d)))
    assert (r["faithfulness_cited"].value, r["faithfulness_any"].value) == (0.0, 1.0)


def test_an_attribution_the_run_added_is_checked_against_where_its_evidence_comes_from() -> None:
    """ "According to <outlet>, ..." is supported by the cited article's outlet, not by the
    passage's words: the judge reads the rest; an outlet the citations do not come from (nor
    name) fails the sentence without asking the judge."""
    d = doc(
        [article("A1", "https://www.alphanews.com/x"), article("A2", "Beta Times")],
        [passage("A1.p1.s1", "Rain fell in Paris."), passage("A2.p1.s1", "Snow fell in Oslo.")],
        [
            sent("According to Alphanews, rain fell in Paris.", "A1.p1.s1"),
            sent("According to Beta Times, rain fell in Paris.", "A1.p1.s1"),
            sent("According to Alphanews and Beta Times, rain fell in Paris.", "A1.p1.s1"),
            sent("According to Alphanews, Beta Times, hail fell in Paris.", "A1.p1.s1"),
        ],
    )
    judge = SubsetJudge()
    r = by_name(Faithfulness(judge).compute(EvalCase(document=d)))
    cited = r["faithfulness_cited"].items
    assert [i.value for i in cited] == [1.0, 0.0, 0.0, 0.0]
    assert "Beta Times" in cited[1].explanation and "Alphanews" not in cited[1].explanation
    assert cited[3].explanation.startswith("not_mentioned")  # the outlets check out, the hail not
    # Any source: both outlets are the event's, so only the invented hail fails.
    assert [i.value for i in r["faithfulness_any"].items] == [1.0, 1.0, 1.0, 0.0]
    # A sentence citing both outlets may name both; each passage carries the rest alone.
    d.summary = [sent("According to Alphanews and Beta Times, rain fell.", "A1.p1.s1", "A2.p1.s1")]
    pairs = CitationPrecision(judge_support(SubsetJudge())).compute(EvalCase(document=d))[0]
    assert [i.value for i in pairs.items] == [1.0, 0.0]


def test_citation_precision_per_pair_and_injectable() -> None:
    r = CitationPrecision(judge_support(SubsetJudge())).compute(EvalCase(document=basic_doc()))[0]
    assert r.n == 3
    assert r.value == pytest.approx(1 / 3)
    assert [i.key for i in r.items] == ["s1->A1.p1.s1", "s1->A2.p1.s2", "s2->A1.p1.s1"]
    always = CitationPrecision(lambda claim, passage: (True, "yes"))
    assert always.compute(EvalCase(document=basic_doc()))[0].value == 1.0


def test_disagreement_grounding() -> None:
    r = by_name(DisagreementGrounding(SubsetJudge()).compute(EvalCase(document=basic_doc())))
    assert r["quote_verbatim"].value == 0.5  # "12 warnings" is not in the passage
    assert r["quote_verbatim"].items[1].explanation == "quote not found in passage"
    assert r["position_support"].value == 0.5  # "Turkish" is not in Turkey's passage
    assert r["sides_conflict"].value == 1.0
    assert r["disagreement_grounding"].value == 0.0


def test_a_claim_about_an_outlets_words_is_checked_against_those_words() -> None:
    """'The headline says "Safety Net".' is true when the cited headline uses the words; no
    passage states it, so the judge is not asked (it would find nothing that says so)."""
    headline = passage("A1.t", "Pelosi plans vote as Safety Net bill stalls")
    story = passage("A2.p1.s1", "The social spending bill stalled.")

    def side(claim: str, cited: PassageRecord, holder: str) -> Position:
        return position(holder, claim, (cited.id, cited.text[:10]))

    d = doc(
        [article("A1", "Alpha News"), article("A2", "Beta Times")],
        [headline, story],
        disagreements=[
            dis(
                "D1",
                "framing",
                "What the bill is called",
                side('The headline says "Safety Net".', headline, "Alpha News"),
                side('The story says "social spending".', story, "Beta Times"),
            ),
            dis(
                "D2",
                "framing",
                "What the bill is called",
                side('The story says "Safety Net".', headline, "Alpha News"),
                side('The headline says "social spending".', story, "Beta Times"),
            ),
        ],
    )
    judge = SubsetJudge()
    r = by_name(DisagreementGrounding(judge).compute(EvalCase(document=d)))
    assert [(i.key, i.value) for i in r["position_support"].items] == [
        ("D1.1", 1.0),
        ("D1.2", 1.0),
        ("D2.1", 0.0),  # the words are the headline's, not the story's
        ("D2.2", 0.0),
    ]
    assert "the cited headline uses these words" in r["position_support"].items[0].explanation
    assert judge.calls == 0


def test_quote_check_normalises_whitespace_and_quotes() -> None:
    d = basic_doc()
    d.passages[1].text = "Russia said: “the  jet never\nentered Turkish airspace”."
    r = by_name(DisagreementGrounding(SubsetJudge()).compute(EvalCase(document=d)))
    assert r["quote_verbatim"].items[0].value == 1.0


def test_conflict_heuristic_rejects_same_holder_and_same_claim() -> None:
    same_holder = dis(
        "D1",
        "actor_position",
        "jets",
        position("Russia", "The jet never entered airspace.", ("p", "q")),
        position("russia", "Turkey shot the jet.", ("p", "q")),
    )
    same_claim = dis(
        "D2",
        "actor_position",
        "jets",
        position("Russia", "The jet never entered airspace.", ("p", "q")),
        position("Iran", "The jet never entered airspace.", ("p", "q")),
    )
    unrelated = dis(
        "D3",
        "actor_position",
        "jets",
        position("Russia", "Oil prices rose.", ("p", "q")),
        position("Iran", "Football scores fell.", ("p", "q")),
    )
    assert not heuristic_conflict(same_holder)[0]
    assert not heuristic_conflict(same_claim)[0]
    assert not heuristic_conflict(unrelated)[0]
    assert heuristic_conflict(basic_doc().disagreements[0])[0]


def test_judge_conflict_vetoes_sides_that_support_each_other() -> None:
    d = dis(
        "D1",
        "actor_position",
        "meeting",
        position("Russia", "Leaders met in Moscow.", ("p", "q")),
        position("France", "Leaders met in Moscow on Thursday.", ("p", "q")),
    )
    assert heuristic_conflict(d)[0]  # the words differ enough for the heuristic...
    ok, why = judge_conflict(SubsetJudge())(d)
    assert not ok and "supported" in why  # ...but one side entails the other


def test_key_fact_coverage() -> None:
    g = gold(
        key_facts=[
            {"id": "F1", "fact": "Leaders met in Moscow."},
            {"id": "F2", "fact": "Leaders agreed on oil strikes."},
        ]
    )
    r = KeyFactCoverage(SubsetJudge()).compute(EvalCase(document=basic_doc(), gold=g))[0]
    assert r.value == 0.5
    assert [(i.key, i.value) for i in r.items] == [("F1", 1.0), ("F2", 0.0)]
    assert KeyFactCoverage(SubsetJudge()).compute(EvalCase(document=basic_doc())) == []


def _gold_dis(did: str, kind: str, topic: str, a: str, b: str) -> dict[str, object]:
    return {
        "id": did,
        "kind": kind,
        "topic": topic,
        "positions": [{"holder": a, "claim": topic}, {"holder": b, "claim": topic}],
    }


def test_disagreement_recall_reports_which_gold_ids_were_found() -> None:
    g = gold(
        disagreements=[
            _gold_dis(
                "D1",
                "actor_position",
                "Whether the jet entered Turkish airspace",
                "Putin / Russia",
                "Erdogan / Turkey",
            ),
            _gold_dis("D2", "actor_position", "Whether Turkey buys oil", "Russia", "Turkey"),
            _gold_dis("D3", "source_discrepancy", "Casualty count", "Alpha News", "Gamma"),
        ]
    )
    r = DisagreementRecall().compute(EvalCase(document=basic_doc(), gold=g))[0]
    # one found Russia-vs-Turkey dispute counts once, for the gold dispute on its topic
    assert [(i.key, i.value) for i in r.items] == [("D1", 1.0), ("D2", 0.0), ("D3", 0.0)]
    assert r.value == pytest.approx(1 / 3)
    assert r.items[0].data["found"] == "D1"


def test_disagreement_recall_needs_compatible_kind() -> None:
    g = gold(disagreements=[_gold_dis("D1", "source_discrepancy", "jet", "Russia", "Turkey")])
    r = DisagreementRecall().compute(EvalCase(document=basic_doc(), gold=g))[0]
    assert r.value == 0.0


def test_an_outlet_the_input_never_names_is_matched_through_its_article() -> None:
    d = basic_doc()
    d.articles[0] = article("A1", "002_c552f0d34fe51c66", outlet_source="filename")
    d.articles[0].path = "002_c552f0d34fe51c66.txt"
    d.disagreements[0].positions[0].holder = "002_c552f0d34fe51c66"
    d.disagreements[0].positions[1].holder = "Beta Times"
    d.disagreements[0].kind = "source_discrepancy"
    g = gold(
        disagreements=[
            {
                "id": "D1",
                "kind": "source_discrepancy",
                "topic": "Whether the jet entered Turkish airspace",
                "positions": [
                    {"holder": "France 24", "claim": "It never entered.", "docs": ["002"]},
                    {"holder": "Beta Times", "claim": "It violated airspace.", "docs": ["A2"]},
                ],
            }
        ]
    )
    assert DisagreementRecall().compute(EvalCase(document=d, gold=g))[0].value == 1.0
    # A named outlet is matched by name only: the same article under a real name is not.
    d.articles[0] = article("A1", "Alpha News", outlet_source="metadata")
    d.disagreements[0].positions[0].holder = "Alpha News"
    assert DisagreementRecall().compute(EvalCase(document=d, gold=g))[0].value == 0.0


@pytest.mark.parametrize(
    ("gold_holder", "found", "expected"),
    [
        ("Hollande / France", "French President François Hollande", True),
        ("Putin / Russia", "Russian officials", True),
        ("Erdogan / Turkey", "Recep Tayyip Erdoğan", True),
        ("France 24", "France 24 (AFP)", True),
        ("Turkey", "Russia", False),
        ("TRT World", "France 24", False),
        ("The Hollywood Gossip", "Thehollywoodgossip", True),  # a site name run together
        ("Fox News", "NBC", False),
        # A publication word is no surname: two outlets, not one family.
        ("The Epoch Times", "Los Angeles Times; Associated Press", False),
        ("Vladimir Putin", "Putin", True),
    ],
)
def test_holders_match(gold_holder: str, found: str, expected: bool) -> None:
    assert holders_match(gold_holder, found) is expected


def test_text_names_holder() -> None:
    assert text_names_holder("Putin said Assad's fate is for Syrians.", "Putin / Russia")
    assert not text_names_holder("Assad's fate is for Syrians.", "Putin / Russia")
    # A group named by a modifier and a collective noun is named by the modifier...
    west = "Western governments / critics"
    assert text_names_holder("The West has accused Moscow of targeting rebels.", west)
    assert text_names_holder("Western officials accuse Moscow.", west)
    assert not text_names_holder("Moscow is targeting rebels, officials say.", west)
    assert not text_names_holder("Moscow is targeting the Western-backed rebels.", west)
    # ... in a text, not as a holder: two groups of one country stay two holders.
    assert not holders_match("Russian officials", "Russian media")


def test_outlet_balance_tvd_counts_duplicates_once() -> None:
    d = basic_doc()
    r = OutletBalance().compute(EvalCase(document=d))[0]
    assert r.value == pytest.approx(0.1)  # Alpha cited 3/5 vs 1/2 of the input
    assert r.n == 5
    d.articles.append(article("A3", "Alpha News", duplicate_of="A1"))
    d.passages.append(passage("A3.p1.s1", "Leaders met in Moscow on Thursday."))
    d.summary[1].citations = ["A3.p1.s1"]  # a citation of the copy counts for the original
    assert OutletBalance().compute(EvalCase(document=d))[0].value == pytest.approx(0.1)


def test_outlet_balance_degenerate() -> None:
    one = doc([article("A1", "X")], [passage("A1.p1.s1", "a b")], [sent("a b", "A1.p1.s1")])
    r = OutletBalance().compute(EvalCase(document=one))[0]
    assert r.value == 0.0 and "single outlet" in r.notes[0]
    empty = doc([article("A1", "X"), article("A2", "Y")], [])
    assert OutletBalance().compute(EvalCase(document=empty))[0].value is None


def test_attribution() -> None:
    d = basic_doc()
    d.summary = [
        sent("Russia says the jet never entered Turkish airspace.", "A1.p1.s2"),
        sent("The jet never entered Turkish airspace.", "A1.p1.s2"),
        sent("Leaders met in Moscow on Thursday.", "A1.p1.s1"),
    ]
    r = Attribution().compute(EvalCase(document=d))[0]
    assert [(i.key, i.value) for i in r.items] == [("s1~D1.1", 1.0), ("s2~D1.1", 0.0)]
    assert r.value == 0.5
    assert Attribution().compute(EvalCase(document=doc([], [])))[0].value is None


def test_attribution_counts_only_the_words_a_side_does_not_share() -> None:
    """What both sides say (the event) does not make a sentence state one side's claim; a
    side with a figure of its own is stated only with that figure."""
    d = basic_doc()
    d.disagreements = [
        dis(
            "D1",
            "framing",
            "How big the bill is",
            position("Vox", "A narrow hate crimes bill on data collection.", ("A1.p1.s1", "x")),
            position("Daily Caller", "A sweeping hate crimes bill.", ("A2.p1.s1", "y")),
        ),
        dis(
            "D2",
            "source_discrepancy",
            "How many were arrested",
            position("Alpha News", "Agents made 178,000 arrests.", ("A1.p1.s1", "x")),
            position("Beta Times", "Agents made 188,000 arrests.", ("A2.p1.s1", "y")),
        ),
    ]
    d.summary = [
        sent("The Senate passed a hate crimes bill on data collection.", "A1.p1.s1"),
        sent("Agents made arrests all year.", "A1.p1.s1"),
        sent("Agents made 188,000 arrests.", "A2.p1.s1"),
    ]
    r = Attribution().compute(EvalCase(document=d))[0]
    assert [(i.key, i.value) for i in r.items] == [("s1~D1.1", 0.0), ("s3~D2.2", 0.0)]


def test_attribution_names_a_gold_side_through_its_articles_outlets() -> None:
    """A gold holder written as prose ("CBS News and Inquirer (citing TMZ), New York Post")
    is named by a sentence naming one of its articles' outlets as the run shows them, or
    one of the names its prose lists (TMZ)."""
    d = basic_doc()
    d.disagreements = []
    d.articles[1] = article("A2", "nypost.com", path="ecb.jsonl#topic1/1_5ecbplus")
    claim = "She never entered Morningside and was shopping during the hearing."
    g = gold(
        disagreements=[
            {
                "id": "D1",
                "kind": "source_discrepancy",
                "topic": "Whether she entered Morningside",
                "positions": [
                    {
                        "holder": "CBS News (citing TMZ), New York Post",
                        "claim": claim,
                        "docs": ["1_5ecbplus"],
                    },
                    {"holder": "People", "claim": "She left after minutes.", "docs": ["A1"]},
                ],
            }
        ]
    )
    d.summary = [
        sent(f"According to the NY Post, {claim[0].lower()}{claim[1:]}", "A1.p1.s1"),
        sent(f"According to the Daily Planet, {claim[0].lower()}{claim[1:]}", "A1.p1.s1"),
        sent(f"Celebrity website TMZ reported {claim[0].lower()}{claim[1:]}", "A1.p1.s1"),
    ]
    r = Attribution().compute(EvalCase(document=d, gold=g))[0]
    assert [(i.key, i.value) for i in r.items] == [
        ("s1~gold:D1.1", 1.0),
        ("s2~gold:D1.1", 0.0),
        ("s3~gold:D1.1", 1.0),
    ]


def test_loaded_language_allows_the_sources_own_words() -> None:
    d = doc(
        [article("A1", "X")],
        [passage("A1.p1.s1", "Leaders met."), passage("A1.p1.s2", "The talks were a disaster.")],
        [
            sent("Leaders met in a disastrous meeting.", "A1.p1.s1"),
            sent("The talks were a disaster.", "A1.p1.s2"),
        ],
    )
    r = LoadedLanguage(threshold=2.0).compute(EvalCase(document=d))[0]
    assert r.items[0].data["loaded"] == ["disastrous"]
    assert r.items[1].data["loaded"] == []
    assert r.value == pytest.approx(1 / 11)
    assert LoadedLanguage().compute(EvalCase(document=doc([], [])))[0].value is None


def test_order_sensitivity_compares_cited_texts_not_ids() -> None:
    a = basic_doc()
    b = basic_doc()
    for p in b.passages:  # same texts under other ids, as after reordering articles
        p.id = p.id.replace("A1", "A9")
    for s in b.summary:
        s.citations = [c.replace("A1", "A9") for c in s.citations]
    assert OrderSensitivity().compute(EvalCase(document=a, shuffled=b))[0].value == 0.0
    b.summary = b.summary[:1]
    b.summary[0].citations = ["A9.p1.s1"]
    r = OrderSensitivity().compute(EvalCase(document=a, shuffled=b))[0]
    assert r.value == pytest.approx(0.5)  # {s1 A1, weather} vs {s1 A1}
    assert OrderSensitivity().compute(EvalCase(document=a)) == []


def test_leakage_with_gold_and_from_dropped_paragraphs() -> None:
    d = basic_doc()
    d.passages.append(passage("A2.p9.s1", "SHARE   this Article"))
    g = gold(boilerplate_must_not_appear=["Share this article", "Dear Reader"])
    r = BoilerplateLeakage().compute(EvalCase(document=d, gold=g))[0]
    assert (r.value, r.n, r.better, r.reduce) == (1.0, 2, "lower", "sum")
    assert "passage A2.p9.s1" in r.items[0].explanation
    # A headline the gold lists is not leaked cleaned text, unless the output uses it.
    d = basic_doc()
    d.passages.append(passage("A2.t", "Dear Reader: leaders meet"))
    assert BoilerplateLeakage().compute(EvalCase(document=d, gold=g))[0].value == 0.0
    d.summary.append(sent("Dear Reader: leaders meet", "A2.t"))
    assert BoilerplateLeakage().compute(EvalCase(document=d, gold=g))[0].value == 1.0

    d = basic_doc()
    d.articles[0].dropped = [
        dropped("Subscribe to our newsletter for daily updates. Terms apply."),
        dropped("Leaders met in Moscow on Thursday.", reason="duplicate paragraph"),
        dropped("Ad"),
    ]
    assert BoilerplateLeakage().compute(EvalCase(document=d))[0].value == 0.0
    d.summary.append(sent("Subscribe to our newsletter for daily updates.", "A1.p1.s1"))
    r = BoilerplateLeakage().compute(EvalCase(document=d))[0]
    assert r.value == 1.0 and r.n == 1  # the duplicate and the too-short one are not checked


def test_reference_rouge() -> None:
    d = basic_doc()
    same = " ".join(s.text for s in d.summary)
    r = by_name(ReferenceRouge().compute(EvalCase(document=d, reference_summary=same)))
    assert r["rouge1_f"].value == pytest.approx(1.0)
    assert r["rougeL_f"].value == pytest.approx(1.0)
    other = by_name(ReferenceRouge().compute(EvalCase(document=d, reference_summary="Cats sleep.")))
    assert other["rouge1_f"].value == 0.0
    assert ReferenceRouge().compute(EvalCase(document=d)) == []
    empty = by_name(
        ReferenceRouge().compute(EvalCase(document=doc([], []), reference_summary="x y"))
    )
    assert empty["rouge1_f"].value == 0.0


def test_reference_rouge_reports_rouge2_and_the_lead3_centre_baseline() -> None:
    d = basic_doc()
    reference = "Russia said the jet never entered Turkish airspace."
    assert "lead3_rouge1_f" not in by_name(
        ReferenceRouge().compute(EvalCase(document=d, reference_summary=reference))
    )  # no outlet rated centre: no baseline
    d.articles[0].leaning = "Center"
    r = by_name(ReferenceRouge().compute(EvalCase(document=d, reference_summary=reference)))
    assert set(r) == {f"{p}{v}_f" for p in ("", "lead3_") for v in ("rouge1", "rouge2", "rougeL")}
    # The centre outlet's first sentences: A1's two passages, A2's not included.
    assert lead_text(d) == "Leaders met in Moscow on Thursday. " + reference
    assert r["lead3_rouge2_f"].value is not None and r["lead3_rouge2_f"].value > 0.5
    assert r["rouge2_f"].value is not None and r["rouge2_f"].value < r["lead3_rouge2_f"].value


def test_empty_document_is_defined_everywhere() -> None:
    g = gold(
        key_facts=[{"id": "F1", "fact": "Leaders met."}],
        disagreements=[_gold_dis("D1", "actor_position", "t", "A", "B")],
    )
    empty = doc([article("A1", "X")], [passage("A1.p1.s1", "Leaders met.")])
    judge = SubsetJudge()
    r = by_name(score_case(EvalCase(document=empty, gold=g), build_metrics(judge)))
    for undefined in (
        "faithfulness_cited",
        "citation_precision",
        "quote_verbatim",
        "disagreement_grounding",
        "outlet_tvd",
        "attribution",
        "loaded_language",
    ):
        assert r[undefined].value is None and r[undefined].n == 0, undefined
    assert r["key_fact_coverage"].value == 0.0
    assert r["disagreement_recall"].value == 0.0
    assert r["boilerplate_leakage"].value == 0.0
    assert judge.calls == 0  # nothing to judge: no calls on empty text


def test_memo_judge_asks_each_question_once() -> None:
    inner = SubsetJudge()
    memo = MemoJudge(inner)
    memo.judge("a b", ["a b c"])
    memo.judge("a b", ["a b c"])
    assert inner.calls == 1 and memo.name == "subset"


def test_result_and_aggregate_statistics() -> None:
    items = [MetricItem(key=str(i), value=v) for i, v in enumerate([1.0, 0.0, 1.0, None])]
    r = result_from_items("m", items)
    assert r.n == 3 and r.value == pytest.approx(2 / 3)
    assert r.stderr == pytest.approx(math.sqrt((1 / 3) / 3))
    one = result_from_items("m", [MetricItem(key="x", value=0.5)])
    assert one.stderr is None
    agg = aggregate("m", [("e1", r), ("e2", one), ("e3", MetricResult(name="m", value=None, n=0))])
    assert agg.n == 2 and agg.value == pytest.approx((2 / 3 + 0.5) / 2)
    leak = [
        ("e1", MetricResult(name="l", value=2.0, n=3, reduce="sum", better="lower")),
        ("e2", MetricResult(name="l", value=1.0, n=3, reduce="sum", better="lower")),
    ]
    assert aggregate("l", leak).value == 3.0 and aggregate("l", leak).better == "lower"


def test_seed_gold_file_loads(seed_gold: dict[str, object]) -> None:
    from tests.helpers.builders import SEED_GOLD

    g = load_gold(SEED_GOLD)
    assert len(g.disagreements) == len(seed_gold["disagreements"])  # type: ignore[arg-type]
    assert g.key_facts and g.boilerplate_must_not_appear


def test_disagreement_precision_counts_reports_with_no_gold_match() -> None:
    g = gold(
        disagreements=[
            _gold_dis(
                "D1",
                "actor_position",
                "Whether the jet entered Turkish airspace",
                "Russia",
                "Turkey",
            )
        ]
    )
    r = DisagreementPrecision().compute(EvalCase(document=basic_doc(), gold=g))[0]
    assert (r.value, r.n, r.reduce) == (1.0, 1, "pooled")
    assert r.items[0].data["gold"] == "D1"
    # Same holders, another question: a false disagreement, and the item says why.
    other = gold(
        disagreements=[_gold_dis("D7", "actor_position", "Wheat export quotas", "Russia", "Turkey")]
    )
    r = DisagreementPrecision().compute(EvalCase(document=basic_doc(), gold=other))[0]
    assert r.value == 0.0 and "another question" in r.items[0].explanation
    # An exhaustive gold with no disagreement: every report is false.
    r = DisagreementPrecision().compute(EvalCase(document=basic_doc(), gold=gold()))[0]
    assert r.value == 0.0 and "no gold disagreement" in r.items[0].explanation


def test_disagreement_recall_per_kind() -> None:
    g = gold(
        disagreements=[
            _gold_dis(
                "D1",
                "actor_position",
                "Whether the jet entered Turkish airspace",
                "Russia",
                "Turkey",
            ),
            _gold_dis("D2", "framing", "How the outlets present it", "Alpha News", "Beta Times"),
        ]
    )
    results = {
        r.name: r for r in DisagreementRecall().compute(EvalCase(document=basic_doc(), gold=g))
    }
    assert results["disagreement_recall"].value == 0.5
    assert results["disagreement_recall_actor_position"].value == 1.0
    assert results["disagreement_recall_framing"].value == 0.0
    assert "disagreement_recall_source_discrepancy" not in results


def test_pooled_aggregation_counts_every_item_once() -> None:
    def result(value: float, n: int) -> MetricResult:
        return MetricResult(name="p", value=value, n=n, reduce="pooled")

    a = aggregate("p", [("e1", result(1.0, 1)), ("e2", result(0.25, 4)), ("e3", result(0.0, 3))])
    assert a.value == pytest.approx(2 / 8) and a.n == 8  # not the mean of 1, 0.25, 0
    assert a.ci95 is not None and a.ci95[0] <= a.value <= a.ci95[1]
    assert aggregate("p", [("e1", result(0.5, 2))]).ci95 is None  # one event: no interval


def test_cluster_gold_lines_load_per_event(tmp_path: Path) -> None:
    row = {
        "id": "ev-1",
        "key_facts": [{"id": "F1", "fact": "A storm hit.", "articles": ["a1"]}],
        "disagreements": [
            {
                "id": "D1",
                "kind": "source_discrepancy",
                "topic": "deaths",
                "positions": [
                    {
                        "holder": "CNN",
                        "claim": "12 died",
                        "articles": ["a1"],
                        "quote": "12 people died",
                    },
                    {"holder": "Fox", "claim": "14 died", "articles": ["a2"], "quote": "14 died"},
                ],
            }
        ],
        "not_disagreements": ["CNN and Fox both say it rained: agreement."],
        "notes": "",
    }
    path = tmp_path / "g.gold.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    golds = load_gold_file(path)
    assert isinstance(golds, dict) and set(golds) == {"ev-1"}
    g = golds["ev-1"]
    assert g.key_facts[0].docs == ["a1"] and g.disagreements[0].positions[1].quote == "14 died"
    assert g.not_disagreements == ["CNN and Fox both say it rained: agreement."]


def test_dev_gold_file_parses(shared_data: Path) -> None:
    golds = load_gold_file(shared_data / "events" / "dev.gold.jsonl")
    assert isinstance(golds, dict) and len(golds) == 19
    assert sum(len(g.disagreements) for g in golds.values()) == 20
