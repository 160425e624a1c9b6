"""Ingest: a manuscript file or folder -> Book(title, author, chapters[Chapter(title, paragraphs)]).

Reads `.txt` (chapter headings detected, or a user's pattern), `.md` (headings are chapters,
YAML front matter gives the book's metadata), `.epub` (spine order, TOC titles, HTML through a
real parser) and a folder of chapter files. Input is untrusted: every refusal is a
ManuscriptError naming the file and the problem, raised before anything is built.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml
from prefect import task
from prefect.cache_policies import NO_CACHE

from .errors import ManuscriptError

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
MAX_TEXT_BYTES = 20 * 2**20  # a long novel is ~2 MB of text
MAX_LINE_CHARS = 100_000  # a paragraph on one line is fine; a megabyte is not prose
MAX_EPUB_BYTES = 100 * 2**20
MAX_EPUB_UNPACKED = 500 * 2**20
MAX_EPUB_MEMBERS = 10_000
MAX_EPUB_RATIO = 100  # uncompressed / compressed for one member over 1 MiB; text is ~3-10x
HEADING_MAX_CHARS = 80


@dataclass
class Chapter:
    """A chapter: its heading and its paragraphs of plain text (markup already removed)."""

    title: str
    paragraphs: list[str]


@dataclass
class Book:
    """A manuscript as data: metadata and chapters, in reading order."""

    title: str
    author: str
    chapters: list[Chapter]
    narrator: str | None = None
    language: str = "en"
    voice: str | None = None
    cover: Path | None = None
    source: Path | None = field(default=None, compare=False)


def fail(path: Path, problem: str) -> ManuscriptError:
    return ManuscriptError(f"{path}: {problem}")


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


def join_lines(block: str) -> str:
    return re.sub(r"\s+", " ", block).strip()


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


# --- EPUB --------------------------------------------------------------------------------------

BLOCK_TAGS = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th"]
NOTE_TYPES = re.compile(r"\b(?:footnote|endnote|rearnote|note)s?\b")


def check_epub_archive(path: Path) -> None:
    """Refuse what is not a sane EPUB before a parser sees it: not a zip, bombs, hostile names."""
    if not zipfile.is_zipfile(path):
        raise fail(path, "is not an EPUB (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as err:
        raise fail(path, f"is not a readable EPUB ({err})") from None
    if len(members) > MAX_EPUB_MEMBERS:
        raise fail(path, f"holds {len(members):,} files (limit {MAX_EPUB_MEMBERS:,}); refusing it")
    for member in members:
        name = member.filename
        parts = PurePosixPath(name).parts
        if name.startswith("/") or "\\" in name or ".." in parts or re.match(r"[A-Za-z]:", name) or any(
            ord(c) < 32 for c in name
        ):
            raise fail(path, f"contains a hostile file name {name!r} (absolute, or reaching outside the book)")
        if member.file_size > 2**20 and member.file_size > MAX_EPUB_RATIO * max(member.compress_size, 1):
            raise fail(path, f"looks like a zip bomb ({name!r} unpacks {member.file_size // max(member.compress_size, 1)}x)")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_EPUB_UNPACKED:
        raise fail(path, f"unpacks to {unpacked / 2**20:,.0f} MiB (limit {MAX_EPUB_UNPACKED // 2**20} MiB)")
    if "META-INF/container.xml" not in {m.filename for m in members}:
        raise fail(path, "is not an EPUB (no META-INF/container.xml)")


def toc_titles(toc) -> dict[str, str]:
    """Flatten ebooklib's nested TOC into {document href without fragment: first title}."""
    titles: dict[str, str] = {}
    for entry in toc:
        node, children = entry if isinstance(entry, tuple) else (entry, [])
        href = getattr(node, "href", None)
        if href and node.title:
            titles.setdefault(href.split("#")[0], node.title.strip())
        for href_, title in toc_titles(children).items():
            titles.setdefault(href_, title)
    return titles


def html_blocks(content: bytes) -> list[tuple[str, str]]:
    """XHTML -> [(tag, text)] of its leaf blocks; images, scripts, footnote refs and notes removed."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(content, "html.parser")
    body = soup.body or soup
    for tag in body.find_all(["img", "svg", "figure", "script", "style", "nav", "aside", "math", "audio", "video"]):
        tag.decompose()
    for br in body.find_all("br"):
        br.replace_with(" ")
    for tag in body.find_all(True):
        if tag.decomposed:
            continue
        kind = f"{tag.get('epub:type', '')} {tag.get('role', '')}"
        if NOTE_TYPES.search(kind) or "noteref" in kind:
            tag.decompose()
        elif tag.name == "sup" and (tag.find("a") or re.fullmatch(r"\W*\d+\W*", tag.get_text())):
            tag.decompose()  # an unmarked footnote reference: <sup><a href="#n1">1</a></sup>
    blocks = []
    for tag in body.find_all(BLOCK_TAGS):
        if tag.find(BLOCK_TAGS) is None:
            text = join_lines(tag.get_text())
            if text:
                blocks.append((tag.name, text))
    return blocks


def read_epub(path: Path, default_title: str) -> Book:
    """EPUB: chapters in spine order, titled from the TOC (else their first heading)."""
    import ebooklib
    from ebooklib import epub

    check_epub_archive(path)
    try:
        document = epub.read_epub(str(path), options={"ignore_ncx": False})
    except Exception as err:  # noqa: BLE001 - a third-party parser on untrusted bytes: any failure is the file's
        raise fail(path, f"is not a readable EPUB ({type(err).__name__}: {err})") from None
    titles = toc_titles(document.toc)
    chapters = []
    for idref, _linear in document.spine:
        item = document.get_item_with_id(idref)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT or isinstance(item, epub.EpubNav):
            continue
        blocks = html_blocks(item.get_content())
        if not blocks:
            continue  # cover pages, image-only pages
        name = item.get_name()
        toc_title = titles.get(name) or titles.get(posixpath.basename(name))
        first_tag, first_text = blocks[0]
        title = toc_title or (first_text if first_tag[0] == "h" else f"Section {len(chapters) + 1}")
        if first_tag[0] == "h" and (title.lower() in first_text.lower() or first_text.lower() in title.lower()):
            blocks = blocks[1:]  # the heading is the title, spoken once
        chapters.append(Chapter(title, [text for _, text in blocks]))

    def meta(name: str) -> str | None:
        values = document.get_metadata("DC", name)
        return str(values[0][0]).strip() if values and values[0][0] else None

    language = (meta("language") or "en").split("-")[0].lower()
    return Book(meta("title") or default_title, meta("creator") or "Unknown", chapters, language=language, source=path)


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
