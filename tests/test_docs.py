"""The documentation: the site builds with `mkdocs build --strict`, every relative link lands on a file, the
README stays a front door that carries CI's two commands, and the pages repeat the README's commands as written."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = REPO / "docs"
README_MAX_LINES = 170
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def mkdocs_or_skip() -> None:
    """mkdocs is in the test extra; missing, the test skips here and fails under CI."""
    if importlib.util.find_spec("mkdocs") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mkdocs must be installed under CI: it is in the test extra (pip install -e '.[test]')")
        pytest.skip("mkdocs is not installed (pip install -e '.[docs]')")


def nav_pages(nav: list) -> list[str]:
    """Every page file the nav names, in order."""
    pages = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages += nav_pages(value) if isinstance(value, list) else [value]
    return pages


def fenced_after(text: str, marker: str) -> str:
    """The first line of the fenced block right after `marker` (as .ci/run reads it)."""
    match = re.search(re.escape(marker) + r"\n```[a-z]*\n(.*)\n", text)
    assert match, f"no fenced block directly after {marker}"
    return match.group(1)


def first_bash_block(text: str, heading: str) -> str:
    section = text.split(heading, 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def test_the_site_builds_strict_with_every_page_of_its_nav(tmp_path):
    mkdocs_or_skip()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(REPO / "mkdocs.yml"),
                           "--site-dir", str(tmp_path / "site")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    pages = nav_pages(yaml.safe_load((REPO / "mkdocs.yml").read_text())["nav"])
    assert {p.name for p in DOCS.glob("*.md")} == set(pages)
    for page in pages:
        assert (tmp_path / "site" / page.replace(".md", ".html")).is_file(), page


def relative_links(page: Path) -> list[str]:
    """The link and image targets of a Markdown page outside code, less web addresses and in-page anchors."""
    text = CODE_SPAN.sub("", FENCE.sub("", page.read_text()))
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:|#", target)]


@pytest.mark.parametrize("page", [README, *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_every_relative_link_points_at_a_file_that_exists(page):
    missing = [t for t in relative_links(page) if not (page.parent / t.split("#")[0]).exists()]
    assert not missing, f"{page.name} links to files that are not there: {missing}"


def test_the_readme_is_a_front_door_that_carries_the_ci_commands():
    text = README.read_text()
    assert len(text.splitlines()) <= README_MAX_LINES, "the README is a front door: the rest goes to docs/"
    assert fenced_after(text, "<!-- ci:install -->").startswith("pip install -e '.[test]'")
    assert fenced_after(text, "<!-- ci:test -->").startswith("python -m pytest")


def test_the_site_home_gives_the_readme_set_up_and_sample_commands():
    readme, home = README.read_text(), (DOCS / "index.md").read_text()
    for command in (fenced_after(readme, "<!-- ci:install -->"), fenced_after(readme, "<!-- ci:test -->"),
                    "barkbook render manuscripts/aesop-fables.md --model random-tiny --out out/"):
        assert command in readme and command in home, command


def test_operations_gives_the_readme_service_recipe_as_written():
    assert (first_bash_block(README.read_text(), "## Run as a service")
            == first_bash_block((DOCS / "operations.md").read_text(), "## Run as a service"))


def test_the_committed_plots_are_what_the_plot_script_draws(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    import plot_benchmarks

    assert plot_benchmarks.main([str(tmp_path)]) == 0
    for drawn in sorted(tmp_path.glob("*.svg")):
        assert drawn.read_text() == (DOCS / "images" / drawn.name).read_text(), drawn.name
