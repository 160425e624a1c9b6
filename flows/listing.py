"""`barkbook voices`, `models` and `targets`: the values --voice, --model and --target take, with what is known
about each, as aligned text or `--json`."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Optional

import typer

from bark_model.cache import MODEL_NAMES, model_cache, random_tiny_cached
from bark_model.paths import random_tiny_dir
from bark_model.speaker_library import GENDER_NAMES, LANGUAGES, PresetFacts, preset_facts
from flows.options import FLAG, choice, existing_folder

JSON_HELP = "Print a JSON list."


def columns(rows: list[list[str]]) -> list[str]:
    """Rows as lines of left-aligned columns (the last one unpadded)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join([*(cell.ljust(w) for cell, w in zip(row, widths)), row[-1]]).rstrip() for row in rows]


def print_rows(rows: list[dict], as_json: bool, heading: list[str], cells) -> None:
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif rows:
        typer.echo("\n".join(columns([heading, *(cells(row) for row in rows)])))


def locked_voices(out: Path) -> list[PresetFacts]:
    """The voices a book's output folder has locked (OUT/voices/<speaker>.npz): made once by `--voice generate`."""
    folder = out / "voices"
    return [PresetFacts(str(p), "unknown", "unknown", f"locked for speaker {p.stem}")
            for p in sorted(folder.glob("*.npz"))] if folder.is_dir() else []


def voices(
    language: Optional[str] = choice(None, [*LANGUAGES, "unknown"], "Only the presets of this language.", "--language"),
    gender: Optional[str] = choice(None, GENDER_NAMES, "Only the presets of this gender, as Suno's speaker library lists it.", "--gender"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="FOLDER", parser=existing_folder, help="Also the voices this book folder has locked (OUT/voices/*.npz)."),
    as_json: bool = typer.Option(False, "--json", **FLAG, help=JSON_HELP),
) -> None:
    """List the voice presets --voice takes: language (from the name) and, where Suno published it, gender."""
    facts = preset_facts() + (locked_voices(out) if out else [])
    chosen = [f for f in facts if (language is None or f.language == language) and (gender is None or f.gender == gender)]
    print_rows([dataclasses.asdict(f) for f in chosen], as_json, ["VOICE", "LANGUAGE", "GENDER", "NOTES"],
               lambda f: [f["name"], f["language"], f["gender"], f["notes"]])
    if not as_json:
        typer.echo(f"{len(chosen)} of {len(facts)} voices. Gender and notes: Suno's Bark Speaker Library (v2); "
                   f"v1 presets' are unknown.")


def model_rows() -> list[dict]:
    """Each model --model takes by name: cached or not, bytes here, and where its files are (or come from)."""
    rows = []
    for name in MODEL_NAMES:
        if name == "random-tiny":
            folder = random_tiny_cached()
            size = sum(p.stat().st_size for p in folder.iterdir()) if folder else 0
            rows.append({"name": name, "cached": folder is not None, "bytes": size, "where": str(random_tiny_dir()),
                         "note": "random weights for tests, written on first use (no download); it cannot speak"})
            continue
        cache = model_cache(name)
        rows.append({"name": name, "cached": cache.complete, "bytes": cache.size_bytes,
                     "files": [{"source": f.source, "path": None if f.path is None else str(f.path)} for f in cache.files],
                     "where": ", ".join(sorted({str(f.path.parent) for f in cache.files if f.path})) or "—",
                     "note": "" if cache.complete else f"{len(cache.missing)} of {len(cache.files)} files "
                                                       f"downloaded on first use (needs network)"})
    return rows


def models(as_json: bool = typer.Option(False, "--json", **FLAG, help=JSON_HELP)) -> None:
    """List the models --model takes by name: cached or not, their size here, and where (any folder of a model's
    files works too)."""
    print_rows(model_rows(), as_json, ["MODEL", "CACHED", "SIZE", "WHERE", "NOTE"],
               lambda r: [r["name"], "yes" if r["cached"] else "no", f"{r['bytes'] / 2**20:,.0f} MB",
                          r["where"], r["note"]])


def target_rows() -> list[dict]:
    from tasks.package.targets import TARGETS

    return [{"name": t.name, "formats": list(t.formats), "mp3_bitrate": t.mp3_bitrate, "isbn_names": t.isbn_names,
             "author_title_folders": t.author_title_folders, "metadata_files": t.metadata_files,
             "warning": t.warning, "rules": t.rules.as_dict()} for t in TARGETS.values()]


def rules_text(rules: dict) -> str:
    """The rules a platform checks, as a person reads them ("RMS -23..-18 dBFS, peak ≤ -3 dBFS, …")."""
    shown = {"rms_dbfs": "RMS {} dBFS", "peak_dbfs": "peak ≤ {} dBFS", "true_peak_dbtp": "true peak ≤ {} dBTP",
             "noise_floor_dbfs": "noise floor ≤ {} dBFS", "head_s": "room tone {} s at the head",
             "tail_s": "{} s at the tail", "max_seconds": "files ≤ {} s", "sample_seconds": "sample {} s",
             "sample_rate": "{} Hz", "mp3_min_kbps": "MP3 ≥ {} kbps"}
    parts = [text.format("..".join(f"{v:g}" for v in value) if isinstance(value, (list, tuple)) else f"{value:g}")
             for key, text in shown.items() if (value := rules.get(key)) is not None]
    channels = {None: [], 1: ["mono"], 2: ["stereo"]}.get(rules.get("channels"), [f"{rules.get('channels')} channels"])
    return ", ".join(parts + channels + (["CBR"] if rules.get("mp3_cbr") else [])) or "none"


def targets(as_json: bool = typer.Option(False, "--json", **FLAG, help=JSON_HELP)) -> None:
    """List the platforms --target packages for: default formats, naming, folders and the rules files are
    checked against."""
    rows = target_rows()
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        layout = [x for x, on in (("files named by ISBN", row["isbn_names"]), ("Author/Title/ folders",
                  row["author_title_folders"]), ("metadata.json and reader.txt", row["metadata_files"])) if on]
        typer.echo(f"{row['name']}: {', '.join(row['formats'])} (MP3 at {row['mp3_bitrate']})"
                   + "".join(f"; {x}" for x in layout))
        typer.echo(f"  checks ({row['rules']['name']}): {rules_text(row['rules'])}")
        if row["warning"]:
            typer.echo(f"  warning: {row['warning']}")
