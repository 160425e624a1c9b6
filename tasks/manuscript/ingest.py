"""Ingest: a manuscript file or folder -> Book(title, author, chapters[Chapter(title, paragraphs)]).

Reads `.txt` (Project Gutenberg's wrapper removed by tasks/manuscript/gutenberg.py, chapters found by
tasks/manuscript/structure/engine.py, or by a user's pattern), `.md` (headings are chapters, YAML front matter
gives the book's metadata), `.epub` (tasks/manuscript/epub/reader.py), `.html`/`.htm`/`.xhtml` (tasks/manuscript/html_book.py),
the word processors' `.docx` (word.py), `.odt` (odt.py) and `.rtf` (rtf.py), `.pdf` with a text layer (pdf.py),
and a folder of chapter files (or holding one HTML book), in any common encoding (tasks/manuscript/encoding.py).
A file's type comes from its bytes (tasks/manuscript/filetype.py): HTML saved as .txt is read as HTML, a .docx
named .txt as a .docx, an image named .txt is refused as binary, an old Word .doc is refused saying what to do. Input is untrusted: every refusal is a ManuscriptError naming the
file and the problem, raised before anything is built.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from prefect import task
from prefect.cache_policies import NO_CACHE

from .book import NOTES_POLICIES, STAGE_DIRECTIONS, Book, Chapter, fail, isbn_of, join_lines
from .encoding import decode_text
from tasks.manuscript.epub.reader import MAX_EPUB_BYTES, read_epub
from .filetype import describe, sniff_file
from .gutenberg import book_language
from .html_book import read_html
from .odt import read_odt
from .pdf import read_pdf
from .plain_text import read_plain_text
from .rtf import read_rtf
from .word import read_docx
from tasks.manuscript.structure.engine import split_blocks

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
DOCUMENT_READERS = {"docx": read_docx, "odt": read_odt, "rtf": read_rtf, "pdf": read_pdf}  # type -> reader
DOCUMENT_SUFFIXES = {".docx": "docx", ".docm": "docx", ".odt": "odt", ".rtf": "rtf", ".pdf": "pdf"}
# every manuscript file barkbook reads, by name: the CLI's help, the scanner and folder books take it from here
MANUSCRIPT_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".epub", *DOCUMENT_SUFFIXES)  # and folders of chapter files
REFUSED_KINDS = {  # types that are manuscripts in another form: what to do with each
    "word97": "is a Word 97-2003 document (.doc): save it as .docx (Word: File > Save As > Word Document)",
    "encrypted-office": "is a password-protected Office document: save a copy without the password",
}
MAX_TEXT_BYTES = 20 * 2**20  # a long novel is ~2 MB of text
MAX_LINE_CHARS = 100_000  # a paragraph on one line is fine; a megabyte is not prose


# --- plain text ---------------------------------------------------------------------------------


def chapters_from_blocks(blocks: list[tuple[bool, str]], default_title: str) -> list[Chapter]:
    """(is_heading, text) blocks -> chapters; text before the first heading opens with the book's title."""
    chapters: list[Chapter] = []
    for heading, text in blocks:
        if heading:
            chapters.append(Chapter(join_lines(text), []))
        elif not chapters:
            chapters.append(Chapter(default_title, [join_lines(text)]))
        else:
            chapters[-1].paragraphs.append(join_lines(text))
    return chapters


# --- Markdown ----------------------------------------------------------------------------------

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
METADATA_KEYS = ("title", "author", "narrator", "language", "voice", "cover", "translator", "editor", "isbn")


def split_front_matter(path: Path, text: str) -> tuple[dict, list[dict], str]:
    """YAML front matter (safe_load) -> (metadata, pronunciation entries, the rest); unknown keys are ignored."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, [], text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as err:
        raise fail(path, f"the YAML front matter does not parse ({str(err).splitlines()[0]})") from None
    if not isinstance(meta, dict):
        raise fail(path, "the YAML front matter is not a mapping of keys to values")
    fields = {k: str(v) for k, v in meta.items() if k in METADATA_KEYS and v is not None}
    return fields, pronunciation_entries(path, meta.get("pronunciations")), text[match.end():]


def pronunciation_entries(path: Path, value) -> list[dict]:
    """`pronunciations:` as written: a list of entries, or a mapping written -> spoken (read by tasks/text/lexicon.py)."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [{"written": str(k), "spoken": str(v)} for k, v in value.items()]
    if isinstance(value, list) and all(isinstance(entry, dict) for entry in value):
        return value
    raise fail(path, "the front matter's pronunciations is neither a list of entries nor a mapping of word to spoken form")


def strip_markdown(block: str) -> str:
    """Markdown inline markup to plain text: links keep their words, images and footnote refs go."""
    block = re.sub(r"^```.*?$|^~~~.*?$", "", block, flags=re.M)  # code fences: keep the code as text
    block = re.sub(r"^\s{0,3}(?:>\s?)+", "", block, flags=re.M)  # blockquotes
    block = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", block, flags=re.M)  # list markers
    block = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", block)  # images
    block = re.sub(r"\[\^[^\]]+\]", "", block)  # footnote references
    block = re.sub(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]", lambda m: m.group(1) or m.group(2), block)
    block = re.sub(r"<[^>\n]+>", "", block)  # inline HTML
    block = re.sub(r"(\*\*|__)(.+?)\1|(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\3(?![\w*])",
                   lambda m: m.group(2) or m.group(4), block)
    return block.replace("`", "")


def parse_markdown(text: str, default_title: str, pattern: re.Pattern | None) -> tuple[str | None, list[Chapter]]:
    """Markdown -> (title from a lone top heading, chapters at the shallowest repeated heading level).

    A single top-level heading before any text is the book's title when deeper headings exist;
    headings deeper than the chapter level stay in the text as paragraphs. With `pattern`, a
    heading or line starts a chapter only when its text matches it.
    """
    text = re.sub(r"^(#{1,6}\s.*)$", "\n\\1\n", text, flags=re.M)  # a heading is its own block
    blocks = [b for b in split_blocks(text) if not re.fullmatch(r"\[\^[^\]]+\]:.*", b, re.S)]  # footnote bodies
    blocks = [b for b in blocks if not re.fullmatch(r"(?:[-*_]\s*){3,}", b)]  # rules: a paragraph break anyway
    headings = [(i, len(m.group(1)), m.group(2).strip().rstrip("#").strip())
                for i, b in enumerate(blocks) if (m := re.fullmatch(r"(#{1,6})\s+(.+)", b))]
    levels = sorted({level for _, level, _ in headings})
    book_title = None
    if len(levels) > 1 and sum(level == levels[0] for _, level, _ in headings) == 1 and headings[0][0] == 0:
        book_title, levels = headings[0][2], levels[1:]
        blocks, headings = blocks[1:], [(i - 1, lv, t) for i, lv, t in headings[1:]]
    chapter_at = {i: title for i, level, title in headings if level == (levels[0] if levels else 0)}
    heading_text = {i: title for i, _, title in headings}
    marked = []
    for i, block in enumerate(blocks):
        plain = strip_markdown(heading_text.get(i, block))
        starts = bool("\n" not in plain and pattern.fullmatch(plain.strip())) if pattern else i in chapter_at
        marked.append((starts, plain))
    return book_title, chapters_from_blocks(marked, default_title)


# --- files, folders, dispatch --------------------------------------------------------------------


def read_bytes(path: Path, limit: int, kind: str) -> bytes:
    """A file's bytes within `limit`, or a ManuscriptError saying it is too big or empty."""
    size = path.stat().st_size
    if size > limit:
        raise fail(path, f"is {size / 2**20:,.1f} MiB (limit {limit // 2**20} MiB for {kind})")
    data = path.read_bytes()
    if not data.strip():
        raise fail(path, "is empty")
    return data


def read_text_file(path: Path) -> str:
    """Text in whatever encoding it was written (tasks/manuscript/encoding.py) with sane lines, or a ManuscriptError saying why not."""
    data = read_bytes(path, MAX_TEXT_BYTES, "a text manuscript")
    text = decode_text(path, data)
    if not text.strip():
        raise fail(path, "is empty")
    longest = max(text.split("\n"), key=len)
    if len(longest) > MAX_LINE_CHARS:
        line_number = text.split("\n").index(longest) + 1
        raise fail(path, f"line {line_number} is {len(longest):,} characters long (limit {MAX_LINE_CHARS:,}); is this prose?")
    return text


def title_from_name(path: Path) -> str:
    """'03-the-fox_and-grapes.md' -> 'The fox and grapes'."""
    words = re.sub(r"^[\d\s._-]+", "", path.stem).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else path.stem


def book_isbn(path: Path, value: str | None) -> str | None:
    """The front matter's `isbn:`, digits only; one that is not an ISBN fails naming the file."""
    if not value:
        return None
    isbn = isbn_of(value)
    if isbn is None:
        raise fail(path, f"the isbn {value!r} in its front matter is not an ISBN-10 or ISBN-13")
    return isbn


def resolve_cover(path: Path, value: str | None) -> Path | None:
    if not value:
        return None
    cover = (path.parent / value).resolve()
    if not cover.is_file():
        raise fail(path, f"the cover {value!r} named in its front matter does not exist")
    return cover


def read_text_manuscript(path: Path, pattern: re.Pattern | None, notes: str = "skip",
                         stage_directions: str = "read") -> Book:
    """A .txt or .md file."""
    text = read_text_file(path)
    if path.suffix.lower() == ".txt":
        return read_plain_text(path, text, title_from_name(path), pattern, notes, stage_directions)
    meta, pronunciations, body = split_front_matter(path, text)
    default_title = title_from_name(path)
    heading_title, chapters = parse_markdown(body, meta.get("title", default_title), pattern)
    warnings: list[str] = []
    return Book(
        title=meta.get("title") or heading_title or default_title,
        author=meta.get("author", "Unknown"),
        chapters=chapters,
        narrator=meta.get("narrator"),
        language=book_language(meta.get("language"), warnings),
        voice=meta.get("voice"),
        cover=resolve_cover(path, meta.get("cover")),
        isbn=book_isbn(path, meta.get("isbn")),
        source=path,
        contributors=[f"{meta[role]} ({role})" for role in ("translator", "editor") if meta.get(role)],
        warnings=warnings,
        pronunciations=pronunciations,
    )


def natural_key(path: Path) -> list:
    """'chapter2' before 'chapter10'."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


def read_folder(path: Path, pattern: re.Pattern | None, notes: str, stage_directions: str = "read") -> Book:
    """A folder of chapter files in natural name order (the first file's front matter names the book),
    or a folder holding one HTML book (with its images)."""
    files = sorted((p for p in path.iterdir() if p.is_file() and p.suffix.lower() in MANUSCRIPT_SUFFIXES
                    and p.suffix.lower() != ".epub" and not p.name.startswith(".")), key=natural_key)
    pages = [p for p in files if p.suffix.lower() in HTML_SUFFIXES]
    if len(pages) == 1 and len(files) == 1:
        return read_file(pages[0], pattern, notes, stage_directions)
    if not files:
        raise fail(path, f"is a folder with no chapter files ({', '.join(s for s in MANUSCRIPT_SUFFIXES if s != '.epub')})")
    parts = [read_file(file, pattern, notes, stage_directions) for file in files]
    chapters = []
    for file, part in zip(files, parts):
        if len(part.chapters) == 1 and part.chapters[0].title in (part.title, title_from_name(file)):
            part.chapters[0].title = title_from_name(file)  # a headingless file is one chapter named by its file
        chapters.extend(part.chapters)
    first = parts[0]
    has_meta = first.title != title_from_name(files[0])
    cover = first.cover or next((p for p in path.iterdir() if p.stem.lower() == "cover" and p.suffix.lower() in (".jpg", ".jpeg", ".png")), None)
    return Book(
        title=first.title if has_meta else title_from_name(path),
        author=first.author,
        chapters=chapters,
        narrator=first.narrator,
        language=first.language,
        voice=first.voice,
        cover=cover,
        isbn=first.isbn,
        source=path,
        contributors=first.contributors,
        skipped=[s for part in parts for s in part.skipped],
        warnings=[w for part in parts for w in part.warnings],
        pronunciations=first.pronunciations,
        doubts=[d for part in parts for d in part.doubts],
    )


def read_file(path: Path, pattern: re.Pattern | None, notes: str, stage_directions: str = "read") -> Book:
    """One manuscript file, read as what its bytes are; its name decides only between text formats."""
    kind = sniff_file(path)
    suffix = path.suffix.lower()
    if kind == "html":
        data = read_bytes(path, MAX_TEXT_BYTES, "an HTML manuscript")
        return read_html(path, data, title_from_name(path), notes=notes, stage_directions=stage_directions)
    if kind == "epub" or (suffix == ".epub" and kind in ("text", "zip")):  # read_epub says what is wrong
        size = path.stat().st_size
        if size > MAX_EPUB_BYTES:
            raise fail(path, f"is {size / 2**20:,.0f} MiB (limit {MAX_EPUB_BYTES // 2**20} MiB for an EPUB)")
        return read_epub(path, title_from_name(path), notes=notes)
    if kind == "zip" and DOCUMENT_SUFFIXES.get(suffix) in ("docx", "odt"):
        kind = DOCUMENT_SUFFIXES[suffix]  # a damaged one: its reader says what is wrong
    if kind in DOCUMENT_READERS:
        return DOCUMENT_READERS[kind](path, title_from_name(path), notes=notes, stage_directions=stage_directions)
    if kind in REFUSED_KINDS:
        raise fail(path, REFUSED_KINDS[kind])
    if kind != "text":
        raise fail(path, f"is binary ({describe(kind)}), not a manuscript barkbook reads; use {readable()}")
    if suffix in DOCUMENT_SUFFIXES:
        raise fail(path, f"is named {suffix} but is plain text, not {describe(DOCUMENT_SUFFIXES[suffix])}; "
                         "is it cut short or renamed?")
    if suffix not in TEXT_SUFFIXES:
        raise fail(path, f"has an unknown manuscript type {suffix or '(no extension)'!r}; use {readable()}")
    return read_text_manuscript(path, pattern, notes, stage_directions)


def readable() -> str:
    """'.txt, .md, .markdown, …, .pdf or a folder': what a refusal offers instead."""
    return ", ".join(MANUSCRIPT_SUFFIXES) + " or a folder"


def read_manuscript(path: Path | str, *, chapter_pattern: str | None = None, notes: str = "skip",
                    stage_directions: str = "read") -> Book:
    """Read a manuscript (.txt, .md, .html, .epub, .docx, .odt, .rtf, .pdf, or a folder of chapter files) into a Book.

    `chapter_pattern` (a regular expression matched against whole one-line paragraphs) overrides
    the built-in chapter detection for text and Markdown. `notes`: "skip" (footnotes and endnotes
    are not read, only counted in `Book.skipped`) or "chapter-end" (a chapter's notes are read after
    its text, as a paragraph "Notes." and then each note). `stage_directions`: "read" (a play's directions
    are read by the narrator) or "skip" (left out, counted). Raises ManuscriptError.
    """
    path = Path(path)
    if notes not in NOTES_POLICIES:
        raise fail(path, f"unknown notes policy {notes!r}; use one of {', '.join(NOTES_POLICIES)}")
    if stage_directions not in STAGE_DIRECTIONS:
        raise fail(path, f"unknown stage directions policy {stage_directions!r}; use one of {', '.join(STAGE_DIRECTIONS)}")
    try:
        pattern = re.compile(chapter_pattern) if chapter_pattern else None
    except re.error as err:
        raise fail(path, f"the chapter pattern {chapter_pattern!r} is not a valid regular expression ({err})") from None
    if not path.exists():
        raise fail(path, "does not exist")
    book = (read_folder(path, pattern, notes, stage_directions) if path.is_dir()
            else read_file(path, pattern, notes, stage_directions))
    if not any(chapter.paragraphs for chapter in book.chapters):
        raise fail(path, "has no text to read")
    return book


ingest_manuscript = task(name="ingest", cache_policy=NO_CACHE)(read_manuscript)
