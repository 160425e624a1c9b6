"""Tags and cover art in every delivered file, written and read with mutagen: ID3 (MP3, WAV), MP4 atoms (M4B)
and Vorbis comments with a picture block (FLAC).

There is no standard tag for synthetic narration: the narrator credit names it ("AI Voice (Bark small,
v2/en_speaker_6)", the Audio Publishers Association's wording) and a custom `AI_NARRATION` field carries it
in each format (ID3 TXXX, an iTunes freeform atom, a Vorbis comment).
"""

from __future__ import annotations

from pathlib import Path

import mutagen
from mutagen.flac import FLAC, Picture
from mutagen.id3 import APIC, ID3, TXXX, Frames
from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm
from mutagen.wave import WAVE

AI_FIELD = "AI_NARRATION"
FREEFORM = f"----:com.apple.iTunes:{AI_FIELD}"
# our tag name -> (MP4 atom, ID3 frame, Vorbis comment)
TAG_FIELDS = {"title": ("\xa9nam", "TIT2", "TITLE"), "album": ("\xa9alb", "TALB", "ALBUM"),
              "artist": ("\xa9ART", "TPE1", "ARTIST"), "album_artist": ("aART", "TPE2", "ALBUMARTIST"),
              "narrator": ("\xa9wrt", "TCOM", "NARRATOR"), "genre": ("\xa9gen", "TCON", "GENRE"),
              "track": ("trkn", "TRCK", "TRACKNUMBER"), "ai_narration": (FREEFORM, f"TXXX:{AI_FIELD}", AI_FIELD)}
FRONT_COVER = 3  # the picture type "Cover (front)" in ID3 and FLAC


def write_tags(path: Path, fmt: str, tags: dict[str, str], cover: Path | None = None) -> None:
    """Replace the file's tags by `tags` (our names, see TAG_FIELDS) and embed `cover` (a JPEG) when given."""
    art = Path(cover).read_bytes() if cover else None
    if fmt == "m4b":
        write_mp4(Path(path), tags, art)
    elif fmt == "flac":
        write_flac(Path(path), tags, art)
    else:  # mp3, wav: ID3
        write_id3(Path(path), fmt, tags, art)


def write_id3(path: Path, fmt: str, tags: dict[str, str], art: bytes | None) -> None:
    """MP3: an ID3v2.3 tag at the file's head; WAV: the same frames in its `id3 ` chunk."""
    file = WAVE(path) if fmt == "wav" else None
    if file is not None:
        file.delete()
        file.add_tags()
    id3 = ID3() if file is None else file.tags
    for name, value in tags.items():
        frame = TAG_FIELDS[name][1]
        if frame.startswith("TXXX:"):
            id3.add(TXXX(encoding=3, desc=frame[5:], text=[value]))
        else:
            id3.add(Frames[frame](encoding=3, text=[value]))
    if art:
        id3.add(APIC(encoding=3, mime="image/jpeg", type=FRONT_COVER, desc="Cover", data=art))
    if file is None:
        id3.save(path, v2_version=3)
    else:
        file.save(v2_version=3)


def write_mp4(path: Path, tags: dict[str, str], art: bytes | None) -> None:
    file = MP4(path)
    for name, value in tags.items():
        atom = TAG_FIELDS[name][0]
        if atom == "trkn":
            file.tags[atom] = [(int(value), 0)]
        elif atom.startswith("----"):
            file.tags[atom] = [MP4FreeForm(value.encode())]
        else:
            file.tags[atom] = [value]
    if art:
        file.tags["covr"] = [MP4Cover(art, imageformat=MP4Cover.FORMAT_JPEG)]
    file.save()


def write_flac(path: Path, tags: dict[str, str], art: bytes | None) -> None:
    file = FLAC(path)
    file.delete()
    for name, value in tags.items():
        file[TAG_FIELDS[name][2]] = value
    file.clear_pictures()
    if art:
        picture = Picture()
        picture.type, picture.mime, picture.desc, picture.data = FRONT_COVER, "image/jpeg", "Cover", art
        file.add_picture(picture)
    file.save()


def read_tags(path: Path) -> dict:
    """Tags of an MP3/WAV (ID3), M4B (MP4 atoms) or FLAC (Vorbis) under our names, plus `cover`: the
    embedded front cover's bytes, or None."""
    file = mutagen.File(path)
    if file is None or file.tags is None:
        return {"cover": None}
    column = 0 if isinstance(file, MP4) else 2 if isinstance(file, FLAC) else 1
    found = {}
    for name, keys in TAG_FIELDS.items():
        value = file.tags.get(keys[column])
        if value:
            first = value[0] if isinstance(value, list) else value.text[0]
            if isinstance(first, bytes):  # an MP4 freeform atom
                first = first.decode()
            found[name] = str(first[0] if isinstance(first, tuple) else first)  # MP4 trkn: (track, total)
    found["cover"] = embedded_cover(file, column)
    return found


def embedded_cover(file, column: int) -> bytes | None:
    if column == 0:
        covers = file.tags.get("covr") or []
    elif column == 2:
        covers = [p.data for p in file.pictures if p.type == FRONT_COVER]
    else:
        covers = [f.data for f in file.tags.getall("APIC")]
    return bytes(covers[0]) if covers else None
