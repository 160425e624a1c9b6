"""EPUB -> Book: spine order, TOC titles, HTML through a real parser; the archive checked before parsing."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path, PurePosixPath

from .book import Book, Chapter, fail, join_lines

MAX_EPUB_BYTES = 100 * 2**20
MAX_EPUB_UNPACKED = 500 * 2**20
MAX_EPUB_MEMBERS = 10_000
MAX_EPUB_RATIO = 100  # uncompressed / compressed for one member over 1 MiB; text is ~3-10x


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


