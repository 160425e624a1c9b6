"""Ingest: a manuscript file or folder -> Book(title, author, chapters[Chapter(title, paragraphs)]).

Reads `.txt` (chapter headings detected, or a user's pattern), `.md` (headings are chapters,
YAML front matter gives the book's metadata), `.epub` (tasks/epub.py) and a folder of chapter files. Input is untrusted: every refusal is a
ManuscriptError naming the file and the problem, raised before anything is built.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from prefect import task
from prefect.cache_policies import NO_CACHE

from .book import Book, Chapter, fail, join_lines
from .epub import MAX_EPUB_BYTES, read_epub

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
MAX_TEXT_BYTES = 20 * 2**20  # a long novel is ~2 MB of text
MAX_LINE_CHARS = 100_000  # a paragraph on one line is fine; a megabyte is not prose
HEADING_MAX_CHARS = 80


# --- plain text and its chapter headings ---------------------------------------------------------

NUMBER_WORDS = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|(?:one )?hundred)"
)
ROMAN = r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
SUBTITLE = r"(?:\s*[.:—–-]\s*\S.*|\.)?"
CHAPTER_HEADINGS = [
    re.compile(rf"(?i:chapter|book|part)\s+(?:\d+|{ROMAN}|(?i:{ROMAN})|(?i:{NUMBER_WORDS})){SUBTITLE}"),
    re.compile(rf"(?i:prologue|epilogue|preface|foreword|afterword|introduction|interlude){SUBTITLE}"),
    re.compile(rf"{ROMAN}(?:\.\s+(?![A-Z]\.)\S.*|\.)?"),  # 'I.', 'IV. The Return', 'XII'; not 'C. S. Lewis'
]


def is_chapter_heading(line: str, pattern: re.Pattern | None) -> bool:
    """A one-line paragraph that starts a chapter: the user's pattern, or the built-in English forms."""
    if "\n" in line or len(line) > HEADING_MAX_CHARS:
        return False
    patterns = [pattern] if pattern else CHAPTER_HEADINGS
    return any(p.fullmatch(line.strip()) for p in patterns)


def is_subtitle(block: str) -> bool:
    """A short line after a bare 'CHAPTER I' that names the chapter (no sentence punctuation at its end)."""
    return "\n" not in block and len(block) <= 60 and not re.search(r"[.!?,;\"')\]]$", block)


def is_bare_heading(heading: str) -> bool:
    """'CHAPTER I', 'II.', 'Prologue': a heading with no title of its own."""
    return bool(re.fullmatch(rf"(?:(?i:chapter|book|part)\s+)?(?:\w+|{ROMAN})\.?", heading.strip()))


def split_blocks(text: str) -> list[str]:
    """Blank-line separated blocks, each stripped; lines inside a block are kept."""
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


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


def parse_text(text: str, default_title: str, pattern: re.Pattern | None) -> list[Chapter]:
    """Plain text: blank lines separate paragraphs; detected headings start chapters."""
    blocks: list[tuple[bool, str]] = []
    for block in split_blocks(text):
        previous = blocks[-1] if blocks else None
        if previous and previous[0] and is_bare_heading(previous[1]) and is_subtitle(block):
            blocks[-1] = (True, f"{previous[1]}. {block}")  # 'CHAPTER I' + 'The Fox'
        else:
            blocks.append((is_chapter_heading(block, pattern), block))
    return chapters_from_blocks(blocks, default_title)


# --- Markdown ----------------------------------------------------------------------------------

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
METADATA_KEYS = ("title", "author", "narrator", "language", "voice", "cover")


def split_front_matter(path: Path, text: str) -> tuple[dict, str]:
    """YAML front matter (safe_load) -> (metadata, the rest); unknown keys are ignored."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as err:
        raise fail(path, f"the YAML front matter does not parse ({str(err).splitlines()[0]})") from None
    if not isinstance(meta, dict):
        raise fail(path, "the YAML front matter is not a mapping of keys to values")
    return {k: str(v) for k, v in meta.items() if k in METADATA_KEYS and v is not None}, text[match.end():]


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
        starts = is_chapter_heading(plain, pattern) if pattern else i in chapter_at
        marked.append((starts, plain))
    return book_title, chapters_from_blocks(marked, default_title)


# --- files, folders, dispatch --------------------------------------------------------------------


def read_text_file(path: Path) -> str:
    """UTF-8 text with sane lines, or a ManuscriptError saying why not."""
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise fail(path, f"is {size / 2**20:,.1f} MiB (limit {MAX_TEXT_BYTES // 2**20} MiB for a text manuscript)")
    data = path.read_bytes()
    if not data.strip():
        raise fail(path, "is empty")
    if b"\x00" in data:
        raise fail(path, "is binary, not text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail(path, f"is not UTF-8 text (undecodable byte 0x{data[err.start]:02x} at offset {err.start})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    longest = max(text.split("\n"), key=len)
    if len(longest) > MAX_LINE_CHARS:
        line_number = text.split("\n").index(longest) + 1
        raise fail(path, f"line {line_number} is {len(longest):,} characters long (limit {MAX_LINE_CHARS:,}); is this prose?")
    return text


def title_from_name(path: Path) -> str:
    """'03-the-fox_and-grapes.md' -> 'The fox and grapes'."""
    words = re.sub(r"^[\d\s._-]+", "", path.stem).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else path.stem


def resolve_cover(path: Path, value: str | None) -> Path | None:
    if not value:
        return None
    cover = (path.parent / value).resolve()
    if not cover.is_file():
        raise fail(path, f"the cover {value!r} named in its front matter does not exist")
    return cover


def read_text_manuscript(path: Path, pattern: re.Pattern | None) -> Book:
    """A .txt or .md file."""
    text = read_text_file(path)
    default_title = title_from_name(path)
    if path.suffix.lower() == ".txt":
        meta, chapters, heading_title = {}, parse_text(text, default_title, pattern), None
    else:
        meta, body = split_front_matter(path, text)
        heading_title, chapters = parse_markdown(body, meta.get("title", default_title), pattern)
    return Book(
        title=meta.get("title") or heading_title or default_title,
        author=meta.get("author", "Unknown"),
        chapters=chapters,
        narrator=meta.get("narrator"),
        language=meta.get("language", "en"),
        voice=meta.get("voice"),
        cover=resolve_cover(path, meta.get("cover")),
        source=path,
    )


def natural_key(path: Path) -> list:
    """'chapter2' before 'chapter10'."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


def read_folder(path: Path, pattern: re.Pattern | None) -> Book:
    """A folder of chapter files in natural name order; the first file's front matter names the book."""
    files = sorted(
        (p for p in path.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and not p.name.startswith(".")),
        key=natural_key,
    )
    if not files:
        raise fail(path, f"is a folder with no chapter files ({', '.join(TEXT_SUFFIXES)})")
    parts = [read_text_manuscript(file, pattern) for file in files]
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
        source=path,
    )


def read_manuscript(path: Path | str, *, chapter_pattern: str | None = None) -> Book:
    """Read a manuscript (.txt, .md, .epub, or a folder of chapter files) into a Book.

    `chapter_pattern` (a regular expression matched against whole one-line paragraphs) overrides
    the built-in chapter detection for text and Markdown. Raises ManuscriptError.
    """
    path = Path(path)
    try:
        pattern = re.compile(chapter_pattern) if chapter_pattern else None
    except re.error as err:
        raise fail(path, f"the chapter pattern {chapter_pattern!r} is not a valid regular expression ({err})") from None
    if not path.exists():
        raise fail(path, "does not exist")
    if path.is_dir():
        book = read_folder(path, pattern)
    elif path.suffix.lower() in TEXT_SUFFIXES:
        book = read_text_manuscript(path, pattern)
    elif path.suffix.lower() == ".epub":
        size = path.stat().st_size
        if size > MAX_EPUB_BYTES:
            raise fail(path, f"is {size / 2**20:,.0f} MiB (limit {MAX_EPUB_BYTES // 2**20} MiB for an EPUB)")
        book = read_epub(path, title_from_name(path))
    else:
        raise fail(path, f"has an unknown manuscript type {path.suffix or '(no extension)'!r}; use .txt, .md, .epub or a folder")
    if not any(chapter.paragraphs for chapter in book.chapters):
        raise fail(path, "has no text to read")
    return book


ingest_manuscript = task(name="ingest", cache_policy=NO_CACHE)(read_manuscript)
