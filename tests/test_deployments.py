"""prefect.yaml's deployments: the parameters they give are ones their flows take, and leave the book its voice."""

import importlib
import inspect
from pathlib import Path

import pytest
import yaml

DEPLOYMENTS = yaml.safe_load((Path(__file__).parents[1] / "prefect.yaml").read_text())["deployments"]


def flow_of(entrypoint: str):
    module, name = entrypoint.split(":")
    return getattr(importlib.import_module(module.removesuffix(".py").replace("/", ".")), name)


@pytest.mark.parametrize("deployment", DEPLOYMENTS, ids=[d["name"] for d in DEPLOYMENTS])
def test_every_parameter_a_deployment_gives_is_one_its_flow_takes(deployment):
    taken = inspect.signature(flow_of(deployment["entrypoint"]).fn).parameters
    assert set(deployment.get("parameters", {})) <= set(taken)


def test_the_book_deployment_leaves_the_narrators_voice_to_the_manuscript():
    """A deployment default is passed on every run: a voice there would override a manuscript's `voice:`."""
    book = next(d for d in DEPLOYMENTS if d["name"] == "render-book")
    assert not {"voice", "voices"} & set(book["parameters"])
