"""Rejected judge experiments, reproducible: candidate model signals on the SummEdits DEV split
only (never test), with each signal's AUC against the human labels. docs/EVALUATION.md quotes
the numbers.

    python -m llama_cpp.server --model ~/.cache/summarize/models/<gguf> --logits_all True \
        --n_ctx 4096 --port 8765 &
    python scripts/judge_experiments.py --api-base http://127.0.0.1:8765/v1

Signals per item (minimum over claim sentences unless noted):
- ``p_yes_v1``: the shipped entailment prompt (v1), 5 retrieved sentences (the judge's feature);
- ``p_yes_changed_word``: the "look for a changed word" prompt (tried as v2);
- ``p_yes_inverted``: "does the claim contain a detail that contradicts…?" (Yes = unfaithful,
  reported as is: AUC below 0.5 means the model answers Yes to faithful claims);
- ``p_yes_article``: v1 on the whole article instead of retrieved sentences;
- ``tok_*``: per-word log-probabilities of the claim after 8 retrieved sentences, computed
  in-process (llama-cpp-python's server shifts echoed prompt log-probs by one token): the
  minimum, the mean, and the minimum PMI against the claim with no evidence.

Model answers are cached (``--chat-cache``, ``--token-cache``), so a second run costs seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from summarize.eval.items import read_items  # noqa: E402
from summarize.eval.meta import SPLITS  # noqa: E402
from summarize.models.cache import CachingClient  # noqa: E402
from summarize.models.chat import ChatClient, ChatRequest, Message  # noqa: E402
from summarize.text.bm25 import retrieve  # noqa: E402
from summarize.text.sentences import split_text  # noqa: E402
from summarize.verify.judges.features import ask_yes_no, claim_sentences, p_yes  # noqa: E402

CHANGED_WORD = (
    "You compare a sentence with a source text. Look for any word in the sentence that changes "
    "the meaning of the source: a different name, place, number, object, action or a reversed "
    "statement. Answer with one word: Yes or No.",
    "Source:\n{evidence}\n\nSentence: {claim}\n\nDoes the sentence say exactly what the source "
    "says, with nothing changed or added? Answer Yes or No.",
)
INVERTED = (
    "You are a careful fact checker. You decide whether a claim is fully supported by the "
    "evidence text. A claim is supported only if every fact in it (names, numbers, dates, who "
    "did what, negations) is stated in or directly follows from the evidence. Answer with one "
    "word: Yes or No.",
    "Evidence:\n{evidence}\n\nClaim: {claim}\n\nDoes the claim contain any detail that "
    "contradicts or is missing from the evidence? Answer Yes or No.",
)

VARIANTS = {"p_yes_changed_word": CHANGED_WORD, "p_yes_inverted": INVERTED}


def logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def variant_logit(client: ChatClient, prompt: tuple[str, str], evidence: str, claim: str) -> float:
    system, user = prompt
    request = ChatRequest(
        messages=[
            Message(role="system", content=system),
            Message(role="user", content=user.format(evidence=evidence, claim=claim)),
        ],
        prompt_name="exp",
        temperature=0.0,
        max_tokens=1,
        top_logprobs=10,
    )
    return logit(ask_yes_no(client, request)[0])


class TokenScorer:
    """Per-token log-probabilities of a text after a prefix, in-process (``logits_all``)."""

    def __init__(self, model_path: Path, cache: Path) -> None:
        from llama_cpp import Llama

        self.llm = Llama(
            str(model_path), n_ctx=2048, logits_all=True, n_threads=2, n_batch=512, verbose=False
        )
        self.cache = cache
        cache.mkdir(parents=True, exist_ok=True)

    def words(self, prefix: str, text: str) -> list[tuple[str, float]]:
        """(word, summed log-prob of its tokens) for ``text`` after ``prefix``."""
        prompt = prefix + text
        path = self.cache / hashlib.sha256(prompt.encode()).hexdigest()
        if path.exists():
            scored = json.loads(path.read_text())
        else:
            import numpy as np

            tokens = self.llm.tokenize(prompt.encode(), add_bos=False, special=True)
            self.llm.reset()
            self.llm.eval(tokens)
            logits = np.asarray(self.llm.scores[: len(tokens)], dtype=np.float64)
            top = logits.max(axis=1, keepdims=True)
            lse = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
            pieces = [self.llm.detokenize([t]).decode("utf-8", "replace") for t in tokens]
            offsets = [0, *itertools.accumulate(len(p) for p in pieces)][:-1]
            lps = [None] + [
                float(logits[i - 1, tokens[i]] - lse[i - 1]) for i in range(1, len(tokens))
            ]
            scored = {"tokens": pieces, "lp": lps, "off": offsets}
            path.write_text(json.dumps(scored))
        out: list[list[Any]] = []
        for piece, lp, off in zip(scored["tokens"], scored["lp"], scored["off"], strict=True):
            if lp is None or not len(prefix) <= off < len(prompt):
                continue
            if not out or piece.startswith((" ", "\n")):
                out.append([piece, lp])
            else:
                out[-1][0] += piece
                out[-1][1] += lp
        return [(w, lp) for w, lp in out]


def auc(values: list[float], labels: list[int]) -> float:
    pos = [v for v, y in zip(values, labels, strict=True) if y]
    neg = [v for v, y in zip(values, labels, strict=True) if not y]
    wins = sum((a > b) + 0.5 * (a == b) for a in pos for b in neg)
    return wins / (len(pos) * len(neg))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--api-base", required=True, help="the embedded model's logits_all server")
    cache = Path.home() / ".cache" / "summarize"
    ap.add_argument("--chat-cache", type=Path, default=cache / "exp-chat")
    ap.add_argument("--token-cache", type=Path, default=cache / "exp-echo")
    ap.add_argument("--out", type=Path, help="write the per-item signals as JSONL")
    args = ap.parse_args()

    from summarize.models.litellm_client import LiteLLMClient
    from summarize.models.local.provision import ensure_model

    client = CachingClient(
        LiteLLMClient("openai/local", api_base=args.api_base, json_mode="json_object"),
        args.chat_cache,
    )
    scorer = TokenScorer(ensure_model(), args.token_cache)
    dev_ids = set(json.loads(SPLITS.read_text())["datasets"]["summedits_news"]["dev"])
    items, _ = read_items(REPO / "evals" / "data" / "summedits_news.jsonl")
    # Grouped by article so the server's prefix cache helps the whole-article question.
    dev = sorted((it for it in items if it.id in dev_ids), key=lambda it: str(it.meta))
    rows = []
    for n, it in enumerate(dev, 1):
        sources = split_text("\n".join(it.sources))
        per: dict[str, list[float]] = {}
        for sentence in claim_sentences(it.text):
            window = [sources[i] for i in sorted(i for i, _ in retrieve(sentence, sources))]
            five = "\n".join(window)
            p, _ = p_yes(client, sentence, window)
            per.setdefault("p_yes_v1", []).append(logit(p))
            for name, prompt in VARIANTS.items():
                per.setdefault(name, []).append(variant_logit(client, prompt, five, sentence))
            top8 = sorted(i for i, _ in retrieve(sentence, sources, 8))
            eight = " ".join(sources[i] for i in top8)
            with_ev = scorer.words(f"Article: {eight}\n\nSummary of the article: ", sentence)
            without = scorer.words("Summary of a news article: ", sentence)
            if len(with_ev) == len(without):
                per.setdefault("tok_min", []).append(min(lp for _, lp in with_ev))
                per.setdefault("tok_mean", []).append(sum(lp for _, lp in with_ev) / len(with_ev))
                per.setdefault("tok_pmi_min", []).append(
                    min(a - b for (_, a), (_, b) in zip(with_ev, without, strict=True))
                )
        row: dict[str, float] = {name: min(values) for name, values in per.items()}
        p_article, _ = p_yes(client, it.text, ["\n".join(it.sources)])
        row["p_yes_article"] = logit(p_article)
        rows.append({"id": it.id, "label": int(it.label or 0), **row})
        print(f"{n}/{len(dev)} {it.id}", file=sys.stderr, flush=True)
    if args.out:
        args.out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    labels = [r["label"] for r in rows]
    print(f"SummEdits news dev: {len(rows)} items, {sum(labels)} faithful")
    for name in sorted({k for r in rows for k in r} - {"id", "label"}):
        have = [r for r in rows if name in r]
        print(f"{name:20s} AUC {auc([r[name] for r in have], [r['label'] for r in have]):.3f}")


if __name__ == "__main__":
    main()
