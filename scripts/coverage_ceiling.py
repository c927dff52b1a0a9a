"""How far key-fact coverage and lede_hit can go for a summary made of source sentences:
for every annotated event of a suite, whether some single source sentence supports the
gold's main news (F1: the ceiling of ``lede_hit`` for any first sentence taken from the
sources) and each key fact (what an extractive summary of unlimited length could cover
sentence by sentence), by the same judge ``summarize eval`` scores with.

    python scripts/coverage_ceiling.py [--suite dev-gold] [--model] [--cache-dir DIR]

Signals-only judge by default, every passage (seconds); ``--model`` asks the embedded model
too (a p(Yes) per fact and passage: give ``--top 8`` to judge only the BM25-best; minutes).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summarize.eval.gold import load_gold_file
from summarize.eval.suite import checkout_root, load_suite, resolve
from summarize.ingest.loader import load
from summarize.pipeline import prepare
from summarize.text.bm25 import retrieve
from summarize.verify.judges.choice import offline_judge


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--suite", default="dev-gold")
    p.add_argument("--model", action="store_true", help="the offline judge with the model")
    p.add_argument("--cache-dir", type=Path, default=None)
    p.add_argument(
        "--top", type=int, default=0, help="passages judged per fact, BM25-best (0: all)"
    )
    args = p.parse_args()
    root = checkout_root()
    suite = load_suite(args.suite, root)
    judge = offline_judge(use_model=args.model, cache_dir=args.cache_dir)
    events = ledes = facts = covered = 0
    for source in suite.sources:
        path = resolve(source.path, root)
        gold_path = resolve(source.gold, root) if source.gold else None
        if path is None or gold_path is None:
            continue
        gold = load_gold_file(gold_path)
        for event in load(path).events:
            g = gold.get(event.id) if isinstance(gold, dict) else gold
            if g is None or not g.key_facts:
                continue
            _, passages = prepare(event)
            texts = [q.text for q in passages]
            hits = []
            for fact in g.key_facts:
                k = args.top or len(texts)
                best = [texts[i] for i, _ in retrieve(fact.fact, texts, k=k)]
                hits.append(any(judge.judge(fact.fact, [t]).label for t in best))
            events += 1
            ledes += hits[0]
            facts += len(hits)
            covered += sum(hits)
            print(f"{event.id}: F1 {'yes' if hits[0] else 'no'}, key facts {sum(hits)}/{len(hits)}")
    print(f"judge: {judge.name}")
    print(f"lede_hit ceiling (some source sentence supports F1): {ledes}/{events}")
    print(f"key facts some single source sentence supports: {covered}/{facts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
