"""Plans for tests: a book planned as the render-book flow plans it (model pinned, voices checked and a
generated one locked in `output_dir`), without a flow."""

from __future__ import annotations

from pathlib import Path

from tasks.plan import CreditWording, Packaging, RenderSettings, pin_model, plan_book, voice_map
from tasks.render import resolve_voices


def plan_of(book, segments, settings: RenderSettings, formats=("wav",), voice: str | None = None,
            voices: dict[str, str] | None = None, credits: CreditWording | None = CreditWording(),
            output_dir: Path = Path("out"), decisions=None, **packaging):
    settings = pin_model(settings)
    voices = resolve_voices(voice_map(book, voice, voices), output_dir, settings)
    return plan_book.fn(book, segments, settings, voices, Packaging(formats=list(formats), **packaging), credits=credits,
                        decisions=decisions)
