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


# --- the pipeline's stages and the import graph ----------------------------------------------------------

STAGES = ["core", "manuscript", "text", "qc", "plan", "render", "master", "package", "deliver"]  # data flows this way
HEAVY_OPTIONAL = {  # the only imports allowed inside functions: costly to load, and not every run needs them
    "tasks.qc.speech", "faster_whisper", "pocketsphinx", "silero_vad", "resemblyzer", "webrtcvad",
}
CLI_MODULES = {"flows/cli.py", "flows/render_command.py", "flows/segment_command.py", "flows/qc_command.py",
               "flows/listing.py", "flows/deployment_command.py", "flows/local_server.py", "flows/review_command.py",
               "bark_model/cli.py"}
# ^ a command loads the pipeline only once its arguments are checked: `--help` and refusals answer at once


def product_modules() -> dict[str, Path]:
    return {".".join(module_parts(p)): p for layer in FORBIDDEN for p in layer_modules(layer)}


def import_targets(node: ast.AST, parts: list[str], is_package: bool, modules: set[str]) -> list[str]:
    """The product modules one import statement names (`from pkg import mod` names the module)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = parts if is_package else parts[:-1]
        module = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else [])) \
            if node.level else node.module
        names = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in modules else module for alias in node.names]
    found = []
    for name in names:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        found += [name] if name else []
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the product modules it imports (at any depth of its source, TYPE_CHECKING blocks included)."""
    modules = product_modules()
    graph = {}
    for name, path in modules.items():
        parts, is_package = module_parts(path), path.name == "__init__.py"
        graph[name] = {target for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                       if isinstance(node, ast.Import | ast.ImportFrom)
                       for target in import_targets(node, parts, is_package, set(modules)) if target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_anywhere_in_the_product():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "tasks" and len(parts) > 1 and parts[1] in STAGES else None


def test_tasks_is_its_stages_and_nothing_else():
    found = {p.name for p in (ROOT / "tasks").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert found == set(STAGES) and not [p.name for p in (ROOT / "tasks").glob("*.py") if p.name != "__init__.py"]


def test_a_stage_imports_only_the_stages_before_it():
    wrong = [f"{module} imports {target}" for module, targets in import_graph().items() if stage_of(module)
             for target in targets if stage_of(target)
             and STAGES.index(stage_of(target)) > STAGES.index(stage_of(module))]
    assert not wrong, "\n".join(sorted(wrong))


def test_imports_inside_functions_are_only_of_heavy_optional_libraries():
    late = []
    for name, path in product_modules().items():
        if path.relative_to(ROOT).as_posix() in CLI_MODULES:
            continue
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import) or isinstance(node, ast.ImportFrom) and node.level == 0:
                    module = node.names[0].name if isinstance(node, ast.Import) else node.module
                    if not any(module == heavy or module.startswith(heavy + ".") for heavy in HEAVY_OPTIONAL):
                        late.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {module} in {function.name}")
    assert not late, "\n".join(sorted(late))
