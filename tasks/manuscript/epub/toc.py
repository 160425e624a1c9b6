"""An EPUB's table of contents, flattened: the EPUB 3 nav (`epub:type="toc"`) or the EPUB 2 NCX.

Each entry keeps the titles of the entries it is nested in (Part/Volume -> Chapter), so a chapter
can be named "Volume Two, Chapter Three" and its part's heading read once.
"""

from __future__ import annotations

from dataclasses import dataclass

from tasks.manuscript.book import join_lines
from .package import Package, local, parse_xml, resolve


@dataclass(frozen=True)
class TocEntry:
    """One TOC link: where it points (archive path, fragment), its title and its parents' titles;
    `labels` are the parents that are bare labels without a link (an anthology's author names)."""

    title: str
    path: str
    fragment: str
    parents: tuple[str, ...] = ()
    has_children: bool = False
    labels: tuple[str, ...] = ()
    announced: bool = True  # False: its title names the chapter but is not read (an opening epigraph)
    hidden: bool = False  # listed in a nav list marked hidden (finer navigation than the shown levels)


EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def types_of(el) -> set[str]:
    """An element's semantics: epub:type tokens (prefixes dropped) and ARIA roles without `doc-`."""
    tokens = f"{el.get(EPUB_TYPE) or el.get('epub:type') or ''} {el.get('role') or ''}".split()
    return {t.split(":")[-1].removeprefix("doc-") for t in tokens}


def read_toc(package: Package) -> list[TocEntry]:
    """The nav's toc if it has entries, else the NCX's navMap (an EPUB 2 book, or a broken nav)."""
    entries = nav_entries(package, "toc")
    return entries or ncx_entries(package)


def read_landmarks(package: Package) -> list[tuple[set[str], str, str]]:
    """(types, path, fragment) from the nav's landmarks and the OPF's guide."""
    marks = [(types_of(a), a_path, fragment) for a, a_path, fragment in nav_links(package, "landmarks")]
    for kind, target in package.guide:
        path, _, fragment = target.partition("#")
        marks.append(({kind.replace("title-page", "titlepage").replace("text", "bodymatter")}, path, fragment))
    return marks


def nav_element(package: Package, kind: str):
    root = parse_xml(package.read(package.nav)) if package.nav else None
    if root is None:
        return None
    return next((nav for nav in root.iter("{*}nav") if kind in types_of(nav) or nav.get("id") == kind), None)


def nav_links(package: Package, kind: str):
    nav = nav_element(package, kind)
    for a in nav.iter("{*}a") if nav is not None else []:
        if a.get("href"):
            yield (a, *resolve(package.nav, a.get("href")))


def nav_entries(package: Package, kind: str) -> list[TocEntry]:
    nav = nav_element(package, kind)
    top = next(nav.iter("{*}ol"), None) if nav is not None else None
    return list(walk_nav_list(package.nav, top, (), (), False)) if top is not None else []


def walk_nav_list(base: str, ol, parents: tuple[str, ...], labels: tuple[str, ...], hidden: bool):
    """<ol><li><a href>Title</a><ol>…</ol></li></ol> -> entries; a <span> label groups entries
    without a link; entries of a hidden list are marked so (finer navigation, or a long list folded)."""
    hidden = hidden or ol.get("hidden") is not None
    for li in ol:
        if local(li.tag) != "li":
            continue
        label = next((c for c in li if local(c.tag) in ("a", "span")), None)
        child = next((c for c in li if local(c.tag) == "ol"), None)
        title = join_lines("".join(label.itertext())) if label is not None else ""
        linked = label is not None and bool(label.get("href"))
        if linked:
            path, fragment = resolve(base, label.get("href"))
            yield TocEntry(title, path, fragment, parents, child is not None, labels, hidden=hidden)
        if child is not None:
            inner = (parents + (title,), labels if linked else labels + (title,)) if title else (parents, labels)
            yield from walk_nav_list(base, child, *inner, hidden)


def ncx_entries(package: Package) -> list[TocEntry]:
    root = parse_xml(package.read(package.ncx)) if package.ncx else None
    nav_map = next(root.iter("{*}navMap"), None) if root is not None else None
    return list(walk_nav_points(package.ncx, nav_map, ())) if nav_map is not None else []


def walk_nav_points(base: str, parent, parents: tuple[str, ...]):
    for point in parent:
        if local(point.tag) != "navPoint":
            continue
        label = next(point.iter("{*}text"), None)
        title = join_lines("".join(label.itertext())) if label is not None else ""
        content = next((c for c in point if local(c.tag) == "content"), None)
        children = [c for c in point if local(c.tag) == "navPoint"]
        if content is not None and content.get("src"):
            yield TocEntry(title, *resolve(base, content.get("src")), parents, bool(children))
        yield from walk_nav_points(base, point, parents + (title,) if title else parents)
