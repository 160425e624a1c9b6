"""End to end: the sample book rendered once, then packaged for other platforms from its kept masters."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp4 import MP4
from PIL import Image

from flows.render_book import render_book
from tasks.package.targets import TARGETS
from flows.request import RenderRequest

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"
ISBN = "9780140449266"


@pytest.fixture(scope="module")
def segment_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("segments")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("out")


@pytest.fixture(scope="module")
def generic(prefect_harness, out, segment_cache):
    summary = render_book(RenderRequest(manuscript=SAMPLE, model="random-tiny", formats=["mp3", "flac", "m4b"], output_dir=out,
                          cache_dir=segment_cache)).model_dump(mode="json")
    return summary, json.loads((out / "manifest.json").read_text())


def by_kind(manifest: dict) -> dict[str, list[dict]]:
    kinds: dict[str, list[dict]] = {}
    for entry in manifest["files"]:
        kinds.setdefault(entry["kind"], []).append(entry)
    return kinds


def test_the_manifest_names_every_files_kind_and_the_credits_text(generic, out):
    _, manifest = generic
    kinds = by_kind(manifest)
    assert {k: len(v) for k, v in kinds.items()} == {
        "opening-credits": 2, "chapter": 6, "closing-credits": 2, "book": 2, "retail-sample": 1, "cover": 1,
        "loudness-plot": 5, "report": 5, "review": 1, "subtitles": 10}
    assert kinds["opening-credits"][0]["text"].startswith("Three Fables of Aesop, written by Aesop")
    assert kinds["closing-credits"][0]["text"].endswith("The End.")
    assert manifest["ai_narration"] == "AI Voice (Bark random-tiny, v2/en_speaker_6)"
    for entry in manifest["files"]:
        assert entry["sha256"] == hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest()


def test_the_credits_are_their_own_files_first_and_last(generic, out):
    _, manifest = generic
    mp3s = [e["path"] for e in manifest["files"] if e["format"] == "mp3" and e["kind"] != "retail-sample"]
    assert mp3s[0] == "00-opening-credits.mp3" and mp3s[-1] == "04-closing-credits.mp3" and len(mp3s) == 5
    assert [str(ID3(out / p)["TRCK"]) for p in mp3s] == ["1", "2", "3", "4", "5"]


def test_the_sample_is_at_most_three_minutes_from_the_first_chapter(generic, out):
    _, manifest = generic
    sample = by_kind(manifest)["retail-sample"][0]
    chapters = by_kind(manifest)["chapter"]
    assert 60 <= sample["seconds"] <= 180 and sample["seconds"] > chapters[0]["seconds"]
    assert str(ID3(out / sample["path"])["TCOM"]).startswith("AI Voice (Bark random-tiny")


def test_the_m4b_has_the_credits_as_chapters_and_the_cover_and_ai_tags(generic, out):
    _, manifest = generic
    m4b = MP4(out / next(e["path"] for e in manifest["files"] if e["format"] == "m4b"))
    titles = [c.title for c in m4b.chapters]
    assert titles[0] == "Opening Credits" and titles[-1] == "Closing Credits" and len(titles) == 5
    assert m4b.tags["\xa9wrt"] == [manifest["ai_narration"]]
    assert bytes(m4b.tags["----:com.apple.iTunes:AI_NARRATION"][0]).decode() == manifest["ai_narration"]
    cover = Image.open(io.BytesIO(bytes(m4b.tags["covr"][0])))
    assert cover.size == Image.open(out / "cover.jpg").size == (3000, 3000)


@pytest.fixture(scope="module")
def acx(generic, out, segment_cache):
    return render_book(RenderRequest(manuscript=SAMPLE, model="random-tiny", output_dir=out, cache_dir=segment_cache, target="acx")).model_dump(mode="json")


def test_another_target_re_encodes_from_the_masters_generating_nothing(generic, acx):
    first, _ = generic
    assert (acx["rendered"], acx["cached"]) == (0, first["segments"])
    assert {e["format"] for e in acx["files"] if e["kind"] in ("chapter", "opening-credits")} == {"mp3"}
    assert "00-opening-credits.flac" in acx["removed"] and acx["target"] == "acx"


def test_acx_files_are_192_kbps_cbr_mp3_at_44_1_khz(acx, out):
    from mutagen.mp3 import MP3, BitrateMode

    for entry in acx["files"]:
        if entry["format"] == "mp3":
            info = MP3(out / entry["path"]).info
            assert (info.bitrate, info.bitrate_mode, info.sample_rate) == (192_000, BitrateMode.CBR, 44_100)


def test_google_play_names_files_by_isbn(acx, out, segment_cache):
    summary = render_book(RenderRequest(manuscript=SAMPLE, model="random-tiny", output_dir=out, cache_dir=segment_cache,
                          target="google-play", isbn=ISBN)).model_dump(mode="json")
    names = [e["path"] for e in summary["files"] if e["kind"] in ("chapter", "opening-credits", "closing-credits")]
    assert names == [f"{ISBN}_{n}of5.mp3" for n in range(1, 6)] and summary["rendered"] == 0


def test_audiobookshelf_gets_author_title_folders_with_cover_and_metadata(acx, out, segment_cache):
    summary = render_book(RenderRequest(manuscript=SAMPLE, model="random-tiny", output_dir=out, cache_dir=segment_cache,
                          target="audiobookshelf")).model_dump(mode="json")
    folder = out / "Aesop" / "Three Fables of Aesop"
    paths = {e["path"] for e in summary["files"]}
    assert {"Aesop/Three Fables of Aesop/cover.jpg", "Aesop/Three Fables of Aesop/metadata.json",
            "Aesop/Three Fables of Aesop/reader.txt"} <= paths
    book_formats = {e["format"] for e in summary["files"] if e["kind"] == "book"}
    assert book_formats | {"mp3"} == set(TARGETS["audiobookshelf"].formats)
    metadata = json.loads((folder / "metadata.json").read_text())
    assert metadata["title"] == "Three Fables of Aesop" and metadata["narrators"] == [summary["ai_narration"]]
    assert (folder / "reader.txt").read_text().strip() == summary["ai_narration"]
    assert not list(out.glob("*.mp3"))  # the package moved into its folders; the old files are gone
