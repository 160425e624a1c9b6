"""An EPUB's package: the archive checked (bombs, hostile names, DRM), then its OPF read tolerantly.

Everything here is about the container and the package document (manifest, spine, guide,
metadata); the table of contents is in epub_toc, the XHTML in epub_html. A damaged package is
read from what is there, with a warning: no spine -> table-of-contents order, no container.xml
entry -> the first .opf in the archive.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from lxml import etree

from tasks.manuscript.book import fail, isbn_of, join_lines

MAX_EPUB_BYTES = 100 * 2**20
MAX_EPUB_UNPACKED = 500 * 2**20
MAX_EPUB_MEMBERS = 10_000
MAX_EPUB_RATIO = 100  # uncompressed / compressed for one member over 1 MiB; text is ~3-10x

XHTML_TYPES = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}
FONT_SUFFIXES = (".otf", ".ttf", ".woff", ".woff2", ".eot")
# Credit roles (MARC relators) worth naming in the credits; transcribers, producers, designers are not.
CREDIT_ROLES = {"trl": "translator", "ill": "illustrator", "edt": "editor", "aui": "introduction",
                "win": "introduction", "aft": "afterword", "com": "compiler", "ann": "annotator"}
DC = "{http://purl.org/dc/elements/1.1/}"
XML_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class Package:
    """What the OPF says: documents in reading order, where the TOC is, and the book's metadata."""

    archive: zipfile.ZipFile
    opf: str  # archive path of the package document
    spine: list[tuple[str, bool]]  # (archive path, linear) in reading order
    documents: list[str]  # every XHTML document in the manifest, manifest order
    nav: str | None = None  # EPUB 3 navigation document
    ncx: str | None = None  # EPUB 2 NCX
    guide: list[tuple[str, str]] = field(default_factory=list)  # (type, archive path[#fragment])
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    language: str | None = None
    cover_image: bytes | None = None  # the image the OPF names as its cover
    isbn: str | None = None
    warnings: list[str] = field(default_factory=list)

    def read(self, name: str) -> bytes | None:
        return read_member(self.archive, name)


def read_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """A member's bytes (its name matched case-insensitively as a last resort: sloppy hrefs);
    None when it is missing, damaged or packed in a way zipfile cannot unpack."""
    if name not in archive.NameToInfo:
        name = next((n for n in archive.namelist() if n.lower() == name.lower()), name)
    try:
        return archive.read(name)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, EOFError, NotImplementedError, zlib.error):
        return None


def resolve(base: str, href: str) -> tuple[str, str]:
    """An href relative to the archive file `base` -> (archive path, fragment)."""
    path, _, fragment = href.strip().partition("#")
    if not path:
        return base, unquote(fragment)
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(path))), unquote(fragment)


def parse_xml(content: bytes | None):
    """Bytes -> root element, or None: recovering parser, no entities resolved, no network."""
    if not content:
        return None
    try:
        return etree.fromstring(content, XML_PARSER)
    except etree.XMLSyntaxError:
        return None


def local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


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


def check_not_encrypted(path: Path, archive: zipfile.ZipFile) -> None:
    """DRM encrypts the content documents; font obfuscation (fonts only) is not DRM and is ignored."""
    if "META-INF/encryption.xml" not in archive.namelist():
        return
    root = parse_xml(read_member(archive, "META-INF/encryption.xml"))
    uris = [ref.get("URI", "") for ref in root.iter("{*}CipherReference")] if root is not None else []
    if any(uri and not unquote(uri).lower().endswith(FONT_SUFFIXES) for uri in uris):
        raise fail(path, "is encrypted (DRM): its text cannot be read; use a DRM-free copy of the book")


def find_opf(path: Path, archive: zipfile.ZipFile) -> tuple[str, list[str]]:
    """The package document's archive path (container.xml's rootfile, else the first .opf)."""
    root = parse_xml(read_member(archive, "META-INF/container.xml"))
    names = set(archive.namelist())
    if root is not None:
        for rootfile in root.iter("{*}rootfile"):
            name = unquote(rootfile.get("full-path", ""))
            if name in names:
                return name, []
    found = sorted(n for n in names if n.lower().endswith(".opf"))
    if not found:
        raise fail(path, "is not a readable EPUB (container.xml names no package document, and there is no .opf)")
    return found[0], [f"{path.name}: META-INF/container.xml is broken; read the package {found[0]}"]


def read_package(path: Path, archive: zipfile.ZipFile) -> Package:
    """Manifest, spine, TOC locations, guide and metadata of the book's OPF."""
    opf, warnings = find_opf(path, archive)
    root = parse_xml(read_member(archive, opf))
    if root is None:
        raise fail(path, f"is not a readable EPUB (its package document {opf} is not XML)")
    items = {item.get("id"): item for item in root.iter("{*}item") if item.get("href")}
    href = {key: resolve(opf, item.get("href"))[0] for key, item in items.items()}
    documents = [href[k] for k, item in items.items() if item.get("media-type") in XHTML_TYPES]
    nav = next((href[k] for k, i in items.items() if "nav" in (i.get("properties") or "").split()), None)
    spine_el = next(root.iter("{*}spine"), None)
    toc_id = spine_el.get("toc") if spine_el is not None else None
    ncx = href.get(toc_id) or next((href[k] for k, i in items.items()
                                    if i.get("media-type") == "application/x-dtbncx+xml"), None)
    spine = [(href[ref.get("idref")], ref.get("linear", "yes") != "no")
             for ref in (spine_el.iter("{*}itemref") if spine_el is not None else [])
             if ref.get("idref") in href and href[ref.get("idref")] in documents]
    guide = [(ref.get("type", "").lower(), "#".join(resolve(opf, ref.get("href"))).rstrip("#"))
             for ref in root.iter("{*}reference") if ref.get("href")]
    package = Package(archive, opf, spine, documents, nav, ncx, guide, warnings=warnings)
    read_metadata(root, package)
    package.cover_image = read_cover(root, items, href, package)
    return package


def read_cover(root, items: dict, href: dict, package: Package) -> bytes | None:
    """The cover image: the manifest item with `properties="cover-image"` (EPUB 3), else the item that
    EPUB 2's `<meta name="cover" content="ID">` names."""
    cover = next((k for k, i in items.items() if "cover-image" in (i.get("properties") or "").split()), None)
    if cover is None:
        cover = next((m.get("content") for m in root.iter("{*}meta") if m.get("name") == "cover"), None)
    if cover not in items or not (items[cover].get("media-type") or "").startswith("image/"):
        return None
    return package.read(href[cover])


def read_metadata(root, package: Package) -> None:
    """Title (the main one), authors and credited contributors, with EPUB 3 `refines` roles."""
    refines: dict[str, dict[str, list[str]]] = {}
    for meta in root.iter("{*}meta"):
        target, prop = (meta.get("refines") or "").lstrip("#"), meta.get("property")
        if target and prop:
            refines.setdefault(target, {}).setdefault(prop, []).append(join_lines(meta.text or ""))
    titles = [el for el in root.iter(DC + "title") if join_lines(el.text or "")]
    main = [el for el in titles if "main" in refines.get(el.get("id"), {}).get("title-type", [])]
    package.title = join_lines((main or titles)[0].text) if titles else None
    package.isbn = next((isbn for el in root.iter(DC + "identifier") if (isbn := isbn_of(el.text or ""))), None)
    package.language = next((join_lines(el.text or "") for el in root.iter(DC + "language")), "") or None
    credits = []
    for el in root.iter(DC + "creator", DC + "contributor"):
        name = join_lines(el.text or "")
        roles = refines.get(el.get("id"), {}).get("role") or [v for k, v in el.attrib.items() if local(k) == "role"]
        if name and ("aut" in roles or (not roles and local(el.tag) == "creator")):
            package.authors.append(name)
        credits += [(name, CREDIT_ROLES[r]) for r in roles if name and r in CREDIT_ROLES]
    roles_of: dict[str, list[str]] = {}
    for name, role in dict.fromkeys(credits):
        roles_of.setdefault(name, []).append(role)
    package.contributors = [f"{name} ({', '.join(roles)})" for name, roles in roles_of.items()
                            if name not in package.authors]
