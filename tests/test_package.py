"""The publishable package, piece by piece: credits, cover, AI-voice tags, the retail sample, the presets'
naming, splitting and layout. Files are read back with mutagen, Pillow and ffmpeg, not with our readers."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile
from mutagen.flac import FLAC
from mutagen.id3 import ID3
from mutagen.mp4 import MP4
from mutagen.wave import WAVE
from PIL import Image

from tasks.package.assemble import FFMPEG, export_chapter
from tasks.master.audio import to_segment
from tasks.master.checks import ACX
from tasks.manuscript.book import Book, Chapter
from tasks.package.cover import MIN_SIDE, SIDE, prepare_cover
from tasks.plan.credits import CLOSING, OPENING, CreditWording, credit_texts
from tasks.manuscript.epub.reader import read_epub
from tasks.core.errors import BarkbookError
from tasks.manuscript.ingest import read_manuscript
from tasks.text.lexicon import NO_LEXICON
from tasks.package.packaging import BookPackage, Packaged, file_stems, load_package, package_root, save_package, split_spans
import planning
from tasks.plan import BookPlan, RenderSettings
from tasks.package.sample import sample_audio
from tasks.text.segment import segment_book
from tasks.package.targets import TARGETS, target_named
from tests.test_epub import make_epub

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"
LABEL = "AI Voice (Bark small, v2/en_speaker_6)"
TAGS = {"title": "The Fox", "album": "Fables", "artist": "Aesop", "album_artist": "Aesop", "narrator": LABEL,
        "genre": "Audiobook", "track": "2", "ai_narration": LABEL}


def book(**fields) -> Book:
    return Book(fields.pop("title", "Fables"), fields.pop("author", "Aesop"), [Chapter("One", ["A fox."])], **fields)


def image_bytes(width: int, height: int, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def tone(seconds: float, rate: int = 44_100):
    t = np.arange(int(seconds * rate)) / rate
    return to_segment(0.1 * np.sin(2 * np.pi * 220 * t), rate)


# --- credits ---------------------------------------------------------------------------------------


def test_credits_name_title_author_translator_and_the_ai_narrator():
    texts = credit_texts(book(contributors=["George Fyler Townsend (translator)", "A. Rackham (illustrator)"]))
    assert texts[OPENING] == "Fables, written by Aesop, translated by George Fyler Townsend, narrated by an AI voice."
    assert texts[CLOSING].endswith("narrated by an AI voice. The End.") and "Rackham" not in texts[CLOSING]


def test_credit_wording_is_a_template():
    wording = CreditWording(opening="{title} by {author}. Read by {narrator}.", narrator="Bark")
    assert credit_texts(book(), wording)[OPENING] == "Fables by Aesop. Read by Bark."


def test_a_credit_template_with_an_unknown_field_is_refused_naming_it():
    with pytest.raises(BarkbookError, match=r"unknown field \{publisher\}"):
        CreditWording(closing="{title} from {publisher}")


def test_credits_are_planned_as_the_first_and_last_chapters_in_the_narrators_voice(tmp_path):
    manuscript = read_manuscript(SAMPLE)
    plan = planning.plan_of(manuscript, segment_book(manuscript, lexicon=NO_LEXICON),
                   RenderSettings(model="random-tiny", batch_size=8), ["mp3"])
    kinds = [(c.index, c.kind, c.slug) for c in plan.chapters]
    assert kinds[0] == (0, OPENING, "00-opening-credits") and kinds[-1] == (4, CLOSING, "04-closing-credits")
    assert [k for _, k, _ in kinds[1:-1]] == ["chapter"] * 3
    opening = plan.chapters[0]
    assert opening.text.startswith("Three Fables of Aesop, written by Aesop, translated by George Fyler Townsend")
    assert {s.voice for s in opening.segments} == {manuscript.voice}
    assert plan.narrator == "AI Voice (Bark random-tiny, v2/en_speaker_6)"


# --- cover -----------------------------------------------------------------------------------------


def test_without_a_cover_one_is_drawn_square_at_the_default_size(tmp_path):
    cover = prepare_cover(book(), None, tmp_path / "cover.jpg")
    image = Image.open(cover.path)
    assert (cover.source, image.format, image.size) == ("drawn", "JPEG", (SIDE, SIDE))
    assert len(image.resize((64, 64)).getcolors(4096)) > 2  # there is lettering on the ground


def test_a_small_or_oblong_cover_is_padded_and_resized_with_warnings(tmp_path):
    given = tmp_path / "art.png"
    given.write_bytes(image_bytes(800, 600))
    cover = prepare_cover(book(), given, tmp_path / "cover.jpg")
    assert Image.open(cover.path).size == (SIDE, SIDE)
    assert any("not square" in w for w in cover.warnings) and any("under 2400" in w for w in cover.warnings)


def test_a_large_square_cover_is_kept_at_its_size_without_warning(tmp_path):
    given = tmp_path / "art.jpg"
    given.write_bytes(image_bytes(MIN_SIDE + 100, MIN_SIDE + 100, "JPEG"))
    cover = prepare_cover(book(), given, tmp_path / "cover.jpg")
    assert Image.open(cover.path).size == (MIN_SIDE + 100,) * 2 and cover.warnings == ()


def test_the_given_cover_wins_over_the_manuscripts(tmp_path):
    own, given = tmp_path / "own.png", tmp_path / "given.png"
    own.write_bytes(image_bytes(10, 10))
    given.write_bytes(image_bytes(20, 10))
    assert prepare_cover(book(cover=own), given, tmp_path / "c.jpg").source == str(given)
    assert prepare_cover(book(cover=own), None, tmp_path / "c.jpg").source == str(own)


@pytest.mark.parametrize("epub_version", ["3", "2"])
def test_an_epubs_cover_image_is_read_from_its_package(tmp_path, epub_version):
    art = image_bytes(30, 30)
    if epub_version == "3":
        item, meta = '<item id="cov" href="c.png" media-type="image/png" properties="cover-image"/>', ""
    else:
        item, meta = '<item id="cov" href="c.png" media-type="image/png"/>', '<meta name="cover" content="cov"/>'
    metadata = ('<dc:identifier id="uid">urn:isbn:978-0-14-044926-6</dc:identifier><dc:title>T</dc:title>'
                '<dc:creator>A</dc:creator>' + meta)
    path = make_epub(tmp_path / "b.epub", {"a.xhtml": "<body><h1>One</h1><p>Some words to read here.</p></body>"},
                     metadata=metadata, extra={"OEBPS/c.png": art}, more_items=(item,))
    read = read_epub(path, "T")
    assert (read.cover_image, read.isbn) == (art, "9780140449266")
    assert "its cover image" in prepare_cover(read, None, tmp_path / "cover.jpg").source


def test_a_cover_that_is_not_an_image_is_one_error_naming_the_file(tmp_path):
    bad = tmp_path / "cover.png"
    bad.write_text("not an image")
    with pytest.raises(BarkbookError, match=r"cover\.png: is not a cover image"):
        prepare_cover(book(), bad, tmp_path / "out.jpg")
    assert not (tmp_path / "out.jpg").exists()


# --- tags and embedded cover, read back with mutagen and Pillow --------------------------------------


@pytest.fixture(scope="module")
def cover_jpg(tmp_path_factory):
    return prepare_cover(book(), None, tmp_path_factory.mktemp("art") / "cover.jpg").path


def test_mp3_carries_the_ai_narrator_in_tcom_and_txxx_and_the_cover_in_apic(tmp_path, cover_jpg):
    path = export_chapter(tone(1.0), tmp_path / "01.mp3", "mp3", TAGS, cover_jpg)
    id3 = ID3(path)
    assert str(id3["TCOM"]) == LABEL and id3.getall("TXXX:AI_NARRATION")[0].text == [LABEL]
    assert (str(id3["TIT2"]), str(id3["TRCK"])) == ("The Fox", "2")
    apic = id3.getall("APIC")[0]
    assert apic.type == 3 and Image.open(io.BytesIO(apic.data)).size == (SIDE, SIDE)
    info = subprocess.run([FFMPEG, "-hide_banner", "-i", str(path)], capture_output=True, text=True).stderr
    assert re.search(r"composer\s*: AI Voice \(Bark small", info) and re.search(r"192 kb/s", info)


def test_flac_carries_vorbis_narrator_and_ai_narration_and_a_front_cover(tmp_path, cover_jpg):
    flac = FLAC(export_chapter(tone(1.0), tmp_path / "01.flac", "flac", TAGS, cover_jpg))
    assert flac["NARRATOR"] == [LABEL] and flac["AI_NARRATION"] == [LABEL] and flac["TITLE"] == ["The Fox"]
    assert [p.type for p in flac.pictures] == [3]
    assert Image.open(io.BytesIO(flac.pictures[0].data)).size == (SIDE, SIDE)


def test_wav_carries_id3_tags(tmp_path):
    wav = WAVE(export_chapter(tone(1.0), tmp_path / "01.wav", "wav", TAGS))
    assert str(wav.tags["TCOM"]) == LABEL
    assert soundfile.info(tmp_path / "01.wav").duration == pytest.approx(1.0, abs=0.01)  # still plain PCM


def test_m4b_carries_wrt_the_freeform_ai_atom_and_covr(tmp_path, cover_jpg):
    from tasks.package.assemble import build_m4b

    path = build_m4b([("One", tone(1.0))], tmp_path / "b.m4b", title="Fables", author="Aesop", narrator=LABEL,
                     cover=cover_jpg, tags={"ai_narration": LABEL})
    mp4 = MP4(path)
    assert mp4.tags["\xa9wrt"] == [LABEL]
    assert bytes(mp4.tags["----:com.apple.iTunes:AI_NARRATION"][0]) == LABEL.encode()
    assert Image.open(io.BytesIO(bytes(mp4.tags["covr"][0]))).size == (SIDE, SIDE)


# --- retail sample ---------------------------------------------------------------------------------


def chapter_file(path: Path, bursts: list[float], pause: float = 0.6, rate: int = 8000) -> tuple[Path, list[float]]:
    """A chapter of tone bursts (seconds each) with pauses between and a 2 s silent tail, as mastering leaves
    one: its file and its cut points (mid-pause)."""
    pieces, cuts, t = [], [], 0.0
    for i, seconds in enumerate(bursts):
        pieces.append(0.3 * np.sin(2 * np.pi * 220 * np.arange(int(seconds * rate)) / rate))
        t += seconds
        last = i == len(bursts) - 1
        pieces.append(np.zeros(int((2.0 if last else pause) * rate)))
        if not last:
            cuts.append(t + pause / 2)
        t += pause
    soundfile.write(path, np.concatenate(pieces), rate, subtype="PCM_16")
    return path, cuts


def test_the_sample_ends_at_the_last_sentence_end_that_leaves_room_for_its_tail(tmp_path):
    first = chapter_file(tmp_path / "1.wav", [25.0] * 10)  # 257.4 s; cuts at 25.3, 50.9, 76.5 s …
    audio = sample_audio([first], minutes=1.0)
    assert len(audio) / 1000 == pytest.approx(first[1][1] + 2.0, abs=0.01)  # 50.9 s, then 2 s of room tone


def test_a_sample_with_no_pause_before_the_limit_is_cut_there_and_faded(tmp_path):
    first = chapter_file(tmp_path / "1.wav", [100.0])
    audio = sample_audio([first], minutes=1.0)
    samples = np.array(audio.get_array_of_samples(), dtype=float)
    cut = int(58.0 * 8000)  # the limit less the 2 s tail
    assert len(samples) == pytest.approx(cut + 2 * 8000, abs=2)
    faded, before = np.abs(samples[cut - 40:cut]).max(), np.abs(samples[cut - 8000:cut - 2000]).max()
    assert faded < before / 5 and np.abs(samples[cut:]).max() == 0  # faded out, then the (silent) room tone


def test_a_sample_runs_on_into_the_next_chapter_when_the_first_is_short(tmp_path):
    chapters = [chapter_file(tmp_path / "1.wav", [10.0]), chapter_file(tmp_path / "2.wav", [20.0] * 5)]
    seconds = len(sample_audio(chapters, minutes=1.0)) / 1000
    assert seconds == pytest.approx(12.0 + chapters[1][1][1] + 2.0, abs=0.01)  # chapter 1 whole, 40.9 s, tail


def test_a_book_shorter_than_the_sample_is_the_whole_sample(tmp_path):
    chapters = [chapter_file(tmp_path / "1.wav", [10.0, 5.0]), chapter_file(tmp_path / "2.wav", [8.0])]
    total = sum(soundfile.info(p).duration for p, _ in chapters)
    assert len(sample_audio(chapters, minutes=3.0)) / 1000 == pytest.approx(total, abs=0.01)


# --- presets ---------------------------------------------------------------------------------------


def test_a_chapter_over_the_limit_is_split_at_its_last_pause_before_each_limit():
    cuts = [1000.0 * k for k in range(1, 16)]  # a pause every 1000 s of a 4.4 h chapter
    spans = split_spans(16_000.0, cuts, 7200.0)
    assert spans == [(0.0, 7000.0), (7000.0, 14000.0), (14000.0, 16000.0)]
    assert split_spans(100.0, cuts, 7200.0) == [(0.0, 100.0)] and split_spans(100.0, [], None) == [(0.0, 100.0)]


def test_a_split_prefers_the_last_paragraph_end_in_the_second_half_of_each_stretch():
    sentences = [500.0 * k for k in range(1, 32)]  # a sentence ends every 500 s
    paragraphs = [2500.0, 6000.0, 9500.0, 10_000.0]  # ...and some of them end paragraphs
    spans = split_spans(16_000.0, sentences, 7200.0, paragraphs)
    assert spans == [(0.0, 6000.0), (6000.0, 10_000.0), (10_000.0, 16_000.0)]
    # a paragraph end early in the stretch would make a short file: the last sentence end wins
    assert split_spans(9000.0, sentences, 7200.0, [1000.0]) == [(0.0, 7000.0), (7000.0, 9000.0)]


def test_a_chapter_without_a_pause_is_split_at_the_limit_itself():
    assert split_spans(9000.0, [], 7200.0) == [(0.0, 7200.0), (7200.0, 9000.0)]


def plan_of(isbn=None, target="generic") -> BookPlan:
    return BookPlan(title="Fables: Book / One", author="Aesop", narrator=LABEL, cover=None, chapters=[],
                    formats=["mp3"], target=target, isbn=isbn)


def test_google_play_names_files_by_isbn_and_number_of_all(tmp_path):
    class Chapter:
        slug = "01-one"

    pieces = [(Chapter, 1, 2), (Chapter, 2, 2), (Chapter, 1, 1)]
    assert file_stems(plan_of("9780140449266"), TARGETS["google-play"], pieces) == [
        "9780140449266_1of3", "9780140449266_2of3", "9780140449266_3of3"]
    assert file_stems(plan_of(None), TARGETS["google-play"], pieces) == ["01-one-part1", "01-one-part2", "01-one"]


def test_audiobookshelf_lays_the_package_in_author_and_title_folders(tmp_path):
    assert package_root(plan_of(), TARGETS["audiobookshelf"], tmp_path) == tmp_path / "Aesop" / "Fables  Book   One"
    assert package_root(plan_of(), TARGETS["acx"], tmp_path) == tmp_path


def test_acx_limits_files_to_two_hours_and_warns_about_ai_narration():
    acx = target_named("acx")
    assert acx.max_file_seconds == 7200 and acx.formats == ("mp3",) and "authorization" in acx.warning
    assert (acx.rules.mp3_min_kbps, acx.rules.mp3_cbr, acx.rules.rms_dbfs) == (192, True, (-23.0, -18.0))
    assert target_named("generic").formats == ("wav",) and target_named("generic").warning is None


def test_an_unknown_target_names_the_choices():
    with pytest.raises(BarkbookError, match="unknown target 'kobo'; choose from generic, acx"):
        target_named("kobo")


def test_an_isbn_is_read_with_or_without_hyphens_and_a_wrong_one_is_refused(tmp_path):
    manuscript = tmp_path / "book.md"
    manuscript.write_text("---\ntitle: T\nisbn: 978-0-14-044926-6\n---\n# One\n\nSome words.\n")
    assert read_manuscript(manuscript).isbn == "9780140449266"
    manuscript.write_text("---\ntitle: T\nisbn: 12345\n---\n# One\n\nSome words.\n")
    with pytest.raises(BarkbookError, match=r"book\.md: the isbn '12345' in its front matter is not an ISBN"):
        read_manuscript(manuscript)


# --- the book's package record ---------------------------------------------------------------------


def test_a_saved_package_reads_back_typed_while_its_files_are_intact(tmp_path):
    book = tmp_path / "book.m4b"
    book.write_bytes(b"m4b")
    made = BookPackage(files=[Packaged(str(book), "book"), Packaged(str(book), "opening-credits", "Read by")],
                       checks={"rules": ACX, "files": [], "passed": True})
    save_package(tmp_path, "k1", made)
    again = load_package(tmp_path, "k1")
    assert again == made and isinstance(again.files[1], Packaged) and again.files[1].text == "Read by"
    assert load_package(tmp_path, "k2") is None
    book.write_bytes(b"re-encoded")
    assert load_package(tmp_path, "k1") is None
