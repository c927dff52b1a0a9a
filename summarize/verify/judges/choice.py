"""Which judge a command uses: ``offline`` (the offline judge, in model mode when the embedded
model can run, else signals only) or any model-backed model string (the LLM judge). Clients
come from the one registry, like the generation backends' clients."""

from __future__ import annotations

import logging
from pathlib import Path

from summarize.errors import AdapterError, ModelProvisionError
from summarize.generate.registry import EXTRACTIVE, LOCAL, client_for
from summarize.models.cache import AnswerPack, CachingClient
from summarize.models.chat import ChatClient
from summarize.models.local.provider import runtime_installed
from summarize.models.prompt import load_prompt
from summarize.models.provider import ModelOptions
from summarize.verify.judges.claim_check import LLMJudge
from summarize.verify.judges.offline import Calibration, OfflineJudge, load_calibration
from summarize.verify.judges.verdict import Judge
from summarize.verify.judges.veto import VetoedJudge

log = logging.getLogger(__name__)

OFFLINE = "offline"
# Judge prompts are short (retrieved evidence + one claim sentence): a small context suffices.
JUDGE_CONTEXT_TOKENS = 4096


def judge_for(
    spec: str,
    *,
    use_model: bool = True,
    cache_dir: Path | None = None,
    api_base: str | None = None,
    answers: AnswerPack | None = None,
) -> Judge:
    """``offline`` = ``offline_judge``; any other model string = an ``LLMJudge`` over it.
    ``answers``: a pack of recorded answers looked up before asking the model."""
    if spec == OFFLINE:
        return offline_judge(use_model=use_model, cache_dir=cache_dir, answers=answers)
    client = client_for(spec, ModelOptions(api_base=api_base, cache_dir=cache_dir))
    return LLMJudge(CachingClient(client, pack=answers) if answers is not None else client)


def offline_judge(
    use_model: bool = True,
    cache_dir: Path | None = None,
    *,
    calibration: Calibration | None = None,
    seed: int = 0,
    answers: AnswerPack | None = None,
) -> OfflineJudge:
    """The default offline judge: model mode (the embedded model on a server that returns
    log-probabilities, answers cached under ``cache_dir`` when given, looked up in
    ``answers`` first) when ``use_model``, the runtime and the packaged model are available
    and the calibration has a model mode fitted with the current entailment prompt;
    otherwise the signals-only judge (with a warning saying why, unless ``use_model`` is
    False)."""
    cal = calibration or load_calibration()
    client = _model_client(cal, cache_dir) if use_model else None
    if client is not None and answers is not None:
        client = CachingClient(client, pack=answers)
    return OfflineJudge(client, calibration=cal, seed=seed)


def _model_client(cal: Calibration, cache_dir: Path | None) -> ChatClient | None:
    if "model" not in cal.modes:
        log.warning("judge calibration has no model mode: using the signals-only judge")
        return None
    fitted = cal.fitted_on.get("entailment_prompt_sha256")
    if fitted is not None and fitted != load_prompt("entailment").sha256:
        log.warning(
            "prompts/entailment.prompt changed since the model mode was calibrated "
            "(run scripts/calibrate_judge.py): using the signals-only judge"
        )
        return None
    if not runtime_installed():
        log.warning("llama-cpp-python is not installed: using the signals-only judge")
        return None
    options = ModelOptions(
        logprobs=True, context_tokens=JUDGE_CONTEXT_TOKENS, cache_dir=cache_dir, timeout_s=120.0
    )
    try:
        return client_for(LOCAL, options)
    except (ModelProvisionError, AdapterError, OSError) as e:
        log.warning("embedded model unavailable (%s): using the signals-only judge", e)
        return None


LEXICAL = "lexical"
AUTO = "auto"


def verification_judge(model: str, options: ModelOptions) -> Judge | None:
    """The judge the verifier keeps sentences and claims by (``options.judge``), behind the
    exact-signal vetoes; None means lexical support (the no-model fallback).

    ``auto``: the backend's own model where it has one: the packaged embedded model judges
    as the calibrated offline judge (its p(Yes) with the exact signals, docs/EVALUATION.md),
    any other model string as the claim-check judge over the same model and options;
    ``extractive`` and the scripted ``fake:`` backends use lexical support. ``lexical``,
    ``offline`` or a model string choose explicitly. The judge's answers share the run's
    cache folder, so a re-run asks nothing again."""
    spec = options.judge
    prefix, _, rest = model.partition(":")
    if spec == AUTO:
        if prefix in (EXTRACTIVE, "fake"):
            return None
        spec = OFFLINE if (prefix == LOCAL and not rest) else model
    if spec == LEXICAL:
        return None
    if spec == OFFLINE:
        offline = offline_judge(cache_dir=options.cache_dir)
        if offline.client is None:  # the warning said why: the signals alone judge worse
            return None
        return VetoedJudge(offline)
    judge_options = options.model_copy(update={"judge": LEXICAL})
    return VetoedJudge(LLMJudge(client_for(spec, judge_options)))
