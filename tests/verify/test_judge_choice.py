"""Which judge the verifier gets (``--judge``): resolving one starts no model server."""

from __future__ import annotations

import pytest

from summarize.errors import ConfigError
from summarize.models.local.provider import runtime_installed
from summarize.models.provider import ModelOptions
from summarize.verify.judges.choice import verification_judge
from summarize.verify.judges.veto import VetoedJudge


@pytest.mark.parametrize("model", ["extractive", "fake:seed"])
def test_auto_uses_lexical_support_where_there_is_no_model_to_ask(model: str) -> None:
    assert verification_judge(model, ModelOptions()) is None


def test_lexical_is_lexical_whatever_the_model() -> None:
    assert verification_judge("litellm:openai/gpt-4o", ModelOptions(judge="lexical")) is None


def test_auto_judges_a_litellm_model_with_itself_behind_the_vetoes() -> None:
    judge = verification_judge("litellm:openai/test-model", ModelOptions(api_base="http://x/v1"))
    assert isinstance(judge, VetoedJudge)
    assert judge.name == "llm-claim-check:litellm:openai/test-model"
    assert judge.describe()["veto_before_model"] == ["entities_missing", "negation_flip"]


@pytest.mark.skipif(not runtime_installed(), reason="llama-cpp-python is not installed")
def test_auto_judges_the_embedded_model_with_the_calibrated_offline_judge() -> None:
    judge = verification_judge("local", ModelOptions())
    assert isinstance(judge, VetoedJudge) and judge.name == "offline-model"


def test_an_unknown_judge_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        verification_judge("extractive", ModelOptions(judge="nosuch:model"))
