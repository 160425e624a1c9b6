"""Delivery checks: each encoded file a platform receives, measured (tasks.master.measure) against the
platform's rules; a report that names every file out of spec and the rule it breaks.

ACX's numbers are from its Audio Submission Requirements (acx.com help, as quoted by Audacity's forum and
audio-dubcheck.com's spec page): every file −23…−18 dB RMS, peaks ≤ −3 dB, noise floor ≤ −60 dB RMS,
0.5–1 s of room tone at the head and 1–5 s at the tail, ≤ 120 min, MP3 ≥ 192 kbps CBR at 44.1 kHz, all
files mono or all stereo (mono recommended; our masters are mono, so a stereo file is a wrong file),
and a retail sample of 1–5 min.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from pydantic import BaseModel

from tasks.core import BarkbookError

from .audio import DELIVERY_RATE
from .measure import FileMeasure, measure_file

Range = tuple[float, float]
AUDIO_KINDS = ("chapter", "book", "opening-credits", "closing-credits", "retail-sample")  # manifest kinds checked


@dataclass(frozen=True)
class DeliveryRules:
    """What a platform accepts per file; None: that platform does not ask."""

    name: str
    rms_dbfs: Range | None = None
    peak_dbfs: float | None = None  # sample peak, at most
    true_peak_dbtp: float | None = None  # true peak (×4 oversampled), at most
    noise_floor_dbfs: float | None = None  # RMS of the room tone in the pauses, at most
    head_s: Range | None = None  # room tone before the first word
    tail_s: Range | None = None  # and after the last
    max_seconds: float | None = None  # per file
    sample_seconds: Range | None = None  # the retail sample's length
    sample_rate: int | None = None
    channels: int | None = None
    formats: tuple[str, ...] | None = None  # codecs as measured: "mp3", "aac", "flac", "wav"
    mp3_min_kbps: float | None = None
    mp3_cbr: bool = False  # MP3s must be constant bitrate

    def __post_init__(self):
        for name in ("rms_dbfs", "head_s", "tail_s", "sample_seconds"):
            allowed = getattr(self, name)
            if allowed is not None and not allowed[0] <= allowed[1]:
                raise BarkbookError(f"delivery rules {self.name}: {name} {allowed} is not a (low, high) range")

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


ACX = DeliveryRules(
    name="ACX", rms_dbfs=(-23.0, -18.0), peak_dbfs=-3.0, noise_floor_dbfs=-60.0, head_s=(0.5, 1.0),
    tail_s=(1.0, 5.0), max_seconds=120 * 60, sample_seconds=(60.0, 300.0), sample_rate=DELIVERY_RATE, channels=1,
    formats=("mp3",), mp3_min_kbps=192, mp3_cbr=True,
)
# no platform's spec: the −1 dBTP ceiling streaming services and EBU R128 use, so decoding never clips
GENERIC = DeliveryRules(name="generic", true_peak_dbtp=-1.0)
NONE = DeliveryRules(name="none")  # measured and reported, nothing enforced


@dataclass(frozen=True)
class FileCheck:
    """One file's measure and what it breaks (nothing: it passed); measure None when it could not be read."""

    path: Path
    kind: str
    measure: FileMeasure | None
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems

    def as_dict(self, root: Path | None = None) -> dict:
        name = self.path.relative_to(root) if root is not None and self.path.is_relative_to(root) else self.path
        return {"file": str(name), "kind": self.kind, "passed": self.passed, "problems": list(self.problems),
                "measure": self.measure.as_dict() if self.measure else None}


@dataclass(frozen=True)
class DeliveryReport:
    """Every delivered file checked against one platform's rules."""

    rules: DeliveryRules
    files: list[FileCheck]

    @property
    def failed(self) -> list[FileCheck]:
        return [f for f in self.files if not f.passed]

    def as_dict(self, root: Path | None = None) -> dict:
        """For manifest.json's `checks`: the rules, whether all passed, and each file (paths under `root`)."""
        return {"rules": self.rules.as_dict(), "passed": not self.failed,
                "files": [f.as_dict(root) for f in self.files]}

    def lines(self) -> list[str]:
        """One line per file out of spec, naming the file and every rule it breaks."""
        return [f"{f.path.name} ({f.kind}): {'; '.join(f.problems)}" for f in self.failed]

    def verdicts(self, root: Path | None = None) -> DeliveryVerdicts:
        """What is kept of the report (in the book's record and manifest.json): paths under `root`."""
        return DeliveryVerdicts.model_validate(self.as_dict(root) | {"out_of_spec": self.lines()})


class FileVerdict(BaseModel):
    """One delivered file's check as kept: its path (under the output folder), kind, problems and measures."""

    file: str
    kind: str
    passed: bool
    problems: list[str]
    measure: dict | None


class DeliveryVerdicts(BaseModel):
    """The delivery checks of a package as kept: the rules, each file's verdict, a line per file out of spec."""

    rules: DeliveryRules
    passed: bool
    files: list[FileVerdict]
    out_of_spec: list[str] = []

    def problems_of(self, file: str | Path) -> list[str] | None:
        """The problems of `file` (a path under the output folder), None when it was not checked."""
        return next((f.problems for f in self.files if Path(f.file) == Path(file)), None)

    def summary_line(self) -> str:
        failed = len(self.out_of_spec)
        return (f"{self.rules.name}: all {len(self.files)} audio files pass" if not failed
                else f"{self.rules.name}: {failed} of {len(self.files)} audio files out of spec")


def check_file(path: Path, rules: DeliveryRules, kind: str = "chapter") -> FileCheck:
    """Measure one encoded file and list the rules it breaks; an unreadable file is a problem, not a crash."""
    path = Path(path)
    if kind not in AUDIO_KINDS:
        raise BarkbookError(f"cannot check {path.name}: kind {kind!r} is not one of {AUDIO_KINDS}")
    try:
        measure = measure_file(path)
    except BarkbookError as err:
        return FileCheck(path, kind, None, [str(err)])
    return FileCheck(path, kind, measure, problems(measure, rules, kind))


def check_delivery(files: Iterable[tuple[Path, str]], rules: DeliveryRules) -> DeliveryReport:
    """Each (path, kind) checked against `rules`, in order."""
    return DeliveryReport(rules, [check_file(path, rules, kind) for path, kind in files])


@task(name="check-delivery", cache_policy=NO_CACHE)
def check_delivered_files(files: list[tuple[Path, str]], rules: DeliveryRules) -> DeliveryReport:
    """The delivery checks as a flow step (files are measured from disk, so nothing is cached)."""
    return check_delivery(files, rules)


def problems(measure: FileMeasure, rules: DeliveryRules, kind: str) -> list[str]:
    """Each rule `measure` breaks, as '<what> <measured>, <platform> wants <rule>'."""
    levels, wants = measure.levels, f", {rules.name} wants"
    found = [
        *outside("RMS", levels.rms_dbfs, rules.rms_dbfs, "dB", wants),
        *above("peak", levels.peak_dbfs, rules.peak_dbfs, "dB", wants),
        *above("true peak", levels.true_peak_dbtp, rules.true_peak_dbtp, "dBTP", wants),
        *above("noise floor", levels.noise_floor_dbfs, rules.noise_floor_dbfs, "dB", wants),
        *outside("head room tone", levels.head_s, rules.head_s, "s", wants),
        *outside("tail room tone", levels.tail_s, rules.tail_s, "s", wants),
        *above("length", round(levels.seconds / 60, 1), rules.max_seconds and rules.max_seconds / 60, "min", wants),
    ]
    if kind == "retail-sample":
        found += outside("retail sample length", levels.seconds, rules.sample_seconds, "s", wants)
    if rules.sample_rate is not None and measure.sample_rate != rules.sample_rate:
        found.append(f"sample rate {measure.sample_rate} Hz{wants} {rules.sample_rate} Hz")
    if rules.channels is not None and measure.channels != rules.channels:
        found.append(f"channels {measure.channels}{wants} {rules.channels}")
    if rules.formats is not None and measure.codec not in rules.formats:
        found.append(f"format {measure.codec}{wants} {'/'.join(rules.formats)}")
    if measure.codec == "mp3":
        if rules.mp3_min_kbps is not None and (measure.bitrate_kbps or 0) < rules.mp3_min_kbps:
            found.append(f"bitrate {measure.bitrate_kbps:g} kbps{wants} at least {rules.mp3_min_kbps:g} kbps")
        if rules.mp3_cbr and measure.bitrate_mode != "CBR":
            found.append(f"bitrate mode {measure.bitrate_mode}{wants} constant bitrate (CBR)")
    return found


def outside(what: str, value: float, allowed: Range | None, unit: str, wants: str) -> list[str]:
    """The problem when `value` lies outside `allowed` (no problem when there is no such rule)."""
    if allowed is None or allowed[0] <= value <= allowed[1]:
        return []
    return [f"{what} {value + 0.0:g} {unit}{wants} {allowed[0]:g} to {allowed[1]:g} {unit}"]


def above(what: str, value: float, limit: float | None, unit: str, wants: str) -> list[str]:
    """The problem when `value` is above `limit`."""
    if limit is None or value <= limit:
        return []
    return [f"{what} {value + 0.0:g} {unit}{wants} at most {limit:g} {unit}"]
