"""`barkbook qc`: speech QC for any audio — the words, the voice and the silences of each take."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from flows.console import fail
from flows.options import FLAG, QC_ENGINES, choice


def qc(
    audio: Optional[Path] = typer.Argument(None, metavar="AUDIO", help="An audio file (WAV, FLAC, OGG, MP3); with --text. Not with --manifest."),
    text: Optional[str] = typer.Option(None, "--text", metavar="TEXT", help="What the audio should say (with AUDIO)."),
    reference: Optional[str] = typer.Option(
        None, "--reference", metavar="FILE|VOICE", help="A recording of the voice, or a Bark voice (preset or .npz; needs --model)."),
    model: Optional[str] = typer.Option(None, "--model", metavar="MODEL", help="Bark model whose codec decodes a voice reference."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", metavar="FILE.json", help='JSON list of {"audio", "text", "reference"?} (instead of AUDIO --text).'),
    engine: str = choice("sphinx", QC_ENGINES, "What hears the words: sphinx (bundled, offline) or whisper (faster-whisper).", "--engine"),
    as_json: bool = typer.Option(False, "--json", **FLAG, help="Print a JSON list, one object per input."),
) -> None:
    """Check what takes say and who says it: AUDIO --text TEXT, or --manifest FILE.json. Exit 0 whether they pass
    or not; 2 for bad input."""
    from flows.qc_takes import Take, check_takes, read_manifest, reference_source, verdict
    from tasks.core import BarkbookError

    try:
        if manifest is not None and (audio is not None or text is not None):
            raise BarkbookError("give either AUDIO --text or --manifest, not both")
        if manifest is not None:
            takes = read_manifest(manifest)
        elif audio is not None and text is not None:
            takes = [Take(audio, text, reference_source(reference, Path.cwd()))]
        else:
            raise BarkbookError("give AUDIO and --text \"what it says\", or --manifest FILE.json")
        rows = check_takes(takes, engine, model)
    except BarkbookError as err:
        fail(str(err))
    typer.echo(json.dumps(rows, indent=1) if as_json else "\n".join(verdict(r) for r in rows))
