"""The layers' import rules (docs/architecture.md), read from the sources with `ast`: nothing is imported.

bark_model is a plain PyTorch library (never Prefect, tasks or flows); tasks build on bark_model and
Prefect but never on flows; flows may use everything in the product; no product code imports the
benchmarks or the tests. Imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOT_PRODUCT = {"benchmarks", "tests"}
FORBIDDEN = {  # layer -> top-level packages its modules must not import
    "bark_model": {"prefect", "tasks", "flows"} | NOT_PRODUCT,
    "tasks": {"flows"} | NOT_PRODUCT,
    "flows": NOT_PRODUCT,
}


def module_parts(path: Path) -> list[str]:
    """tasks/text/normalize/numbers.py -> [tasks, normalize, numbers]; a package's __init__ is the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_packages(source: str, parts: list[str], is_package: bool = False) -> set[str]:
    """Top-level packages that the module `parts` imports anywhere in `source` (relative imports resolved)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                found.add(node.module.split(".")[0])
            else:  # `from . import x` in a module means its package; in a package's __init__, itself
                base = parts if is_package else parts[:-1]
                found.add(base[: len(base) - node.level + 1][0])
    return found


def layer_modules(layer: str) -> list[Path]:
    return sorted(p for p in (ROOT / layer).rglob("*.py") if "__pycache__" not in p.parts)


def imports_of(path: Path) -> set[str]:
    return imported_packages(path.read_text(encoding="utf-8"), module_parts(path), path.name == "__init__.py")


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_what_it_may(layer):
    wrong = {f"{p.relative_to(ROOT)} imports {name}" for p in layer_modules(layer)
             for name in imports_of(p) & FORBIDDEN[layer]}
    assert not wrong, "\n".join(sorted(wrong))


@pytest.mark.parametrize("upper, lower", [("tasks", "bark_model"), ("tasks", "prefect"), ("flows", "tasks")])
def test_layers_are_read_where_they_build_on_each_other(upper, lower):
    """The reader sees real imports: each layer's use of the one below is found (the rule is not vacuous)."""
    assert any(lower in imports_of(p) for p in layer_modules(upper))


def test_relative_and_function_level_imports_are_resolved():
    source = "from .engine import X\nfrom .. import tasks_util\ndef f():\n    import prefect\n"
    assert imported_packages(source, ["bark_model", "sub", "mod"]) == {"bark_model", "prefect"}
    assert imported_packages("from . import gpt\n", ["bark_model"], is_package=True) == {"bark_model"}
