"""A PDF's text lines (where each stands and how big its type is) -> the blocks of a book.

- running headers and footers and page numbers: a line at the top or bottom of a page whose text (digits
  aside) stands at the same height on many pages, or a lone number there, is left out (counted);
- two-column pages are read column by column;
- lines join into paragraphs: a new one after a wider gap than the lines', at a first-line indent, or after
  a line that ends a sentence short of the margin; a word hyphenated at a line's end is joined (the hyphen
  kept where the book writes that word with one elsewhere); short lines keep their ends (verse);
- headings: lines in type larger than the text's, ranked by size (or by the outline, where the PDF has one);
- footnotes: small lines at a page's foot that open with a label, each made one '[Footnote 1: …]' block.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .book import Skipped, skip

RUNNING_SHARE = 0.3  # a line at the top or bottom of this share of the pages (and of 3 at least) is a running head
EDGE_LINES = 2  # lines at each page edge looked at for running heads
EDGE_SLACK = 4.0  # points: a running head stands at the same height on every page
PAGE_NUMBER = re.compile(r"(?i)(?!.*\.\s*$)\W*(?:page\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:/|of)\s*\d{1,4})?\W*")
HEADING_SIZE = 1.15  # type this much larger than the text's is a heading
MAX_HEADING_LINES = 3
PAGE_END_SLACK_EMS = 2.6  # a page ending this far above its usual foot has space after it (a widow's line is less)
PARAGRAPH_GAP_EMS = 0.4  # a gap this much wider than the usual one between lines starts a paragraph
INDENT_EMS = 0.8
SHORT_LINE_EMS = 2.5  # a line ending this many ems short of the column's right edge ended its paragraph
SENTENCE_END = re.compile(r"[.!?:;…\"'”’»)\]]$")
HYPHENS = ("-", "\u00ad", "\x02", "\u2010")


@dataclass
class Line:
    """One line of a page's text: its box (PDF points, y upward) and its type size."""

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    rank: int = 0  # a heading's rank (1 = highest), 0 for text
    edge: float = 0.0  # where its column's full lines end (0: the book's usual)
    margin: float = 0.0  # where its column's lines start (0: the book's usual)
    note: bool = False  # a footnote (its text in the form '[Footnote 1: …]'), never joined to its neighbours
    linked: bool = False  # a link within the document covers it (a contents list's entry)
    heading: int = 0  # the outline entry that made it a heading: lines of different entries never join
    labelled: bool = False  # opens with a note's label that was set small beside it (a footnote's first line)


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


def loose(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.lower()).split())


def edge_key(line: Line) -> tuple[str, int]:
    """What a running head keeps from page to page: its words (numbers aside) and its height on the page; a page
    number, only its height (arabic or roman)."""
    words = "#" if PAGE_NUMBER.fullmatch(line.text) else re.sub(r"\d+", "#", loose(line.text))
    return words, round(line.top / EDGE_SLACK)


def drop_running_lines(pages: list[Page], body_size: float, skipped: list[Skipped]) -> None:
    """Running heads, feet and page numbers out of each page (the same text, digits aside, or a number alone, at
    the same height at an edge of many pages), counted in `skipped`. A number alone at the edge of a few pages
    is a chapter's number ('V' over a letter) that fell at a page's top or foot."""
    edges = [edge_lines(page) for page in pages]
    counts = Counter(key for lines in edges for key in {edge_key(line) for line in lines})
    least = max(3, RUNNING_SHARE * len(pages))
    for page, lines in zip(pages, edges):
        for line in lines:
            if line.size > body_size * HEADING_SIZE:
                continue  # a heading at a page's edge ('I.' over a chapter on the next page) is no running head
            if counts[edge_key(line)] >= least:  # 'IV.' is no page number
                page.lines.remove(line)
                skip(skipped, "page headers and numbers", "page edges", line.text, marked=True)


def edge_lines(page: Page) -> list[Line]:
    """The lines nearest the top and the bottom of a page (in the margins of most books)."""
    ordered = sorted(page.lines, key=lambda line: -line.top)
    top, bottom = ordered[:EDGE_LINES], ordered[-EDGE_LINES:] if len(ordered) > EDGE_LINES else []
    return list({id(line): line for line in top + bottom}.values())


NOTE_LABEL = re.compile(r"^\[?(\d{1,3}|[*†‡§]+)\]?[.)]?\s+(?=\S)")
NOTE_SIZE = 0.92  # footnotes are set smaller than the text


NOTE_MARK = re.compile(r"\[?(\d{1,3}|[*†‡§]+)\]?[.)]?")


def attach_note_labels(page: Page, text_size: float) -> None:
    """A note's label set small on a line of its own beside the note's text (LibreOffice's PDF of a Word footnote)
    opens that text ('1 A note…'), never a page number; the text's line is marked as a note's first."""
    labels = [ln for ln in page.lines if ln.size < NOTE_SIZE * text_size and NOTE_MARK.fullmatch(ln.text.strip())]
    for label in labels:
        beside = [ln for ln in page.lines if ln is not label and not ln.labelled and ln.size > label.size
                  and 0 <= ln.x0 - label.x1 < 2 * ln.size and abs(ln.top - label.top) < 0.6 * ln.size]
        if beside:
            line = min(beside, key=lambda ln: ln.x0)
            line.text, line.labelled = f"{label.text.strip()} {line.text.strip()}", True
            page.lines.remove(label)


def in_note(line: Line, text_size: float, indents: set[int]) -> bool:
    """A line of a page's foot that is a note's: set small, or opening with a small label, or going on at the
    indent of a labelled note's text."""
    return line.size < NOTE_SIZE * text_size or line.labelled or round(line.x0) in indents


def mark_notes(page: Page, text_size: float) -> None:
    """The small lines at the foot of a page that open with a label ('1 ', '* ') are its footnotes: each becomes
    one '[Footnote 1: …]' line, the form the notes policy reads."""
    ordered = sorted(page.lines, key=lambda line: -line.top)
    indents = {round(line.x0) for line in ordered if line.labelled}
    foot = len(ordered)
    while foot > 0 and in_note(ordered[foot - 1], text_size, indents):
        foot -= 1
    small = ordered[foot:]
    if not small or foot == 0 or not NOTE_LABEL.match(small[0].text):
        return
    notes: list[list[Line]] = []
    for line in small:
        if NOTE_LABEL.match(line.text) or not notes:
            notes.append([line])
        else:
            notes[-1].append(line)
    for lines in notes:
        label = NOTE_LABEL.match(lines[0].text)
        text = " ".join([lines[0].text[label.end():], *(line.text for line in lines[1:])])
        first = lines[0]
        page.lines[page.lines.index(first)] = Line(first.page, first.x0, first.x1, first.top, lines[-1].bottom,
                                                   first.size, f"[Footnote {label.group(1)}: {text}]", note=True)
        for line in lines[1:]:
            page.lines.remove(line)


def in_reading_order(page: Page) -> list[Line]:
    """A page's lines in reading order: a two-column page's left column, then its right."""
    middle = page.width / 2
    left = [ln for ln in page.lines if ln.x1 <= middle + 2]
    right = [ln for ln in page.lines if ln.x0 >= middle - 2]
    if min(len(left), len(right)) < 4 or len(left) + len(right) < 0.7 * len(page.lines):
        return page.lines  # one column: the content stream's own order, measured by the book's usual
    columns = {id(ln) for ln in left + right}
    spanning = [ln for ln in page.lines if id(ln) not in columns]
    column_top = max(ln.top for ln in left + right)
    above = [ln for ln in spanning if ln.bottom >= column_top]
    below = [ln for ln in spanning if ln.bottom < column_top]
    measure_column(left)
    measure_column(right)
    by_height = lambda lines: sorted(lines, key=lambda ln: -ln.top)  # noqa: E731
    return by_height(above) + by_height(left) + by_height(right) + by_height(below)


DROP_CAP = re.compile(r"^[\"'“‘«]?[^\W\d_]$")  # a paragraph's first letter set large, over two or more lines
DROP_CAP_SIZE = 2.0  # times the text's size


def mend_drop_caps(lines: list[Line], text_size: float) -> list[Line]:
    """Lines with each drop cap joined to the line beside it ('M' + 'y father's' -> "My father's", 'I' + 'was'
    -> 'I was': a word of the book joins, else a space), so it is neither a heading nor a paragraph of its own."""
    caps = [ln for ln in lines if ln.size >= DROP_CAP_SIZE * text_size and DROP_CAP.match(ln.text.strip())]
    if not caps:
        return lines
    words = hyphenated_words(lines)
    pages = {cap.page for cap in caps}
    on_page: dict[int, list[Line]] = {}
    for line in lines:
        if line.page in pages:
            on_page.setdefault(line.page, []).append(line)
    dropped: set[int] = set()
    for cap in caps:
        beside = [ln for ln in on_page[cap.page] if ln is not cap and id(ln) not in dropped
                  and ln.x0 >= cap.x1 - 2 and cap.bottom <= (ln.top + ln.bottom) / 2 <= cap.top]
        if not beside:
            continue
        line = max(beside, key=lambda ln: ln.top)
        head = re.match(r"\w*", line.text.strip()).group(0)
        joins = bool(head) and words[(cap.text.strip()[-1] + head).lower()] > 0
        line.text = cap.text.strip() + ("" if joins else " ") + line.text.strip()
        dropped.add(id(cap))
    return [line for line in lines if id(line) not in dropped]


def body_size(pages: list[Page]) -> float:
    """The type size most of the text is set in (by characters)."""
    sizes = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def rank_by_size(lines: list[Line], text_size: float) -> None:
    """Lines in larger type than the text's are headings, the largest ranked 1."""
    sizes = sorted({round(ln.size) for ln in lines if ln.size >= text_size * HEADING_SIZE and loose(ln.text)},
                   reverse=True)
    ranks = {size: min(k + 1, 6) for k, size in enumerate(sizes)}
    for line in lines:
        if line.rank == 0 and loose(line.text):
            line.rank = ranks.get(round(line.size), 0)


def blocks_of(lines: list[Line], text_size: float) -> list[tuple[int, str, bool]]:
    """Lines in reading order -> (rank, text, linked) blocks: headings (rank > 0, their lines joined) and
    paragraphs (lines kept as '\\n' where they end short: verse); `linked`: every line is a link in the book."""
    gap = usual_gap(lines)
    right_edge = text_right_edge(lines)
    book = (text_left_margin(lines), right_edge)
    words = hyphenated_words(lines)
    spaced = below_page_top(lines, text_size)
    blocks: list[tuple[int, list[Line]]] = []
    for line in lines:
        last = blocks[-1] if blocks else None
        if last and id(line) not in spaced and continues(last, line, gap, book, text_size):
            last[1].append(line)
        else:
            blocks.append((line.rank, [line]))
    return [(rank, joined(group, right_edge, words), all(ln.linked for ln in group)) for rank, group in blocks]


def below_page_top(lines: list[Line], text_size: float) -> set[int]:
    """The first lines of pages (ids) with a space before them: the page starts lower than the pages' text usually
    does (a blank line, a chapter's sink), or the page before ended well above its usual foot (more than a widow's
    line short: blank lines, a page break). They open a block, as a wider gap does between lines of a page; a
    paragraph going on from the page before starts at the usual top."""
    turns = [(previous, line) for previous, line in zip([None, *lines], lines) if previous is None or previous.page != line.page]
    if not turns:
        return set()
    top = Counter(round(line.top) for _, line in turns).most_common(1)[0][0]
    foot = Counter(round(previous.bottom) for previous, _ in turns if previous is not None).most_common(1)
    spaced = set()
    for previous, line in turns:
        lower = line.top < top - PARAGRAPH_GAP_EMS * max(line.size, text_size)
        short = previous is not None and foot and previous.bottom > foot[0][0] + PAGE_END_SLACK_EMS * text_size
        if lower or short:
            spaced.add(id(line))
    return spaced


MIN_COLUMN_LINES = 6  # fewer lines than this (a chapter's last page) are measured by the book's usual


def measure_column(lines: list[Line]) -> None:
    """Each line of a column learns where its column's lines start and end."""
    if len(lines) < MIN_COLUMN_LINES:
        return
    edge, margin = text_right_edge(lines), text_left_margin(lines)
    for line in lines:
        line.edge, line.margin = edge, margin


def text_left_margin(lines: list[Line]) -> float:
    starts = sorted(ln.x0 for ln in lines if ln.rank == 0)
    return starts[int(0.1 * (len(starts) - 1))] if starts else 0.0


def text_right_edge(lines: list[Line]) -> float:
    """Where the text's full lines end: the 90th percentile of the text lines' right ends (justified or ragged)."""
    ends = sorted(ln.x1 for ln in lines if ln.rank == 0)
    return ends[int(0.9 * (len(ends) - 1))] if ends else 0.0


def continues(block: tuple[int, list[Line]], line: Line, gap: float, book: tuple[float, float], size: float) -> bool:
    """Whether `line` goes on the paragraph or heading `block` ends with: not after a wider gap than the
    lines', not at a first-line indent, not after a line that ended a sentence short of the column's end
    (unless it is short too: a run of short lines is verse or a list, one block whose lines are kept)."""
    rank, group = block
    previous = group[-1]
    if rank != line.rank or previous.note or line.note or previous.linked != line.linked:
        return False
    if rank:
        return len(group) < MAX_HEADING_LINES and previous.page == line.page and previous.heading == line.heading and \
            previous.bottom - line.top < 2 * max(line.size, 1)
    if line.linked:
        return True  # a contents list's entries, however spaced, one list (the HTML reader leaves a list out)
    if previous.page == line.page and previous.bottom - line.top > gap + PARAGRAPH_GAP_EMS * size:
        return False
    indent = INDENT_EMS * size
    if line.x0 > (line.margin or book[0]) + indent and line.x0 > previous.x0 + indent:
        return False  # a first line's indent (a quotation's lines all indented go on)
    if is_short(previous, book[1]) and is_short(line, book[1]):
        return True  # a run of short lines: verse, a list (a cast, a contents list) keeps its lines together
    return not (is_short(previous, book[1]) and SENTENCE_END.search(previous.text.rstrip()))


def usual_gap(lines: list[Line]) -> float:
    """The most common space between a text line's bottom and the next one's top on the same page."""
    gaps = Counter(round(a.bottom - b.top, 1) for a, b in zip(lines, lines[1:])
                   if a.page == b.page and not a.rank and not b.rank and a.bottom >= b.top - 1)
    return gaps.most_common(1)[0][0] if gaps else 2.0


def hyphenated_words(lines: list[Line]) -> Counter:
    """The words of the book's lines, hyphenated compounds ('well-known') as written, for mending line ends;
    the halves of a word split at a line's end are not words of their own."""
    words: Counter = Counter()
    split_before = False
    for line in lines:
        text = re.sub(r"\w+\x02\s*\w+", " ", line.text)
        if split_before:
            text = re.sub(r"^\W*\w+", " ", text)
        split_before = text.rstrip().endswith(HYPHENS)
        if split_before:
            text = re.sub(r"\w+\W*$", " ", text)
        words.update(w.lower() for w in re.findall(r"\w+(?:-\w+)*", text))
    return words


def keeps_hyphen(head: str, tail: str, words: Counter) -> bool:
    """A word split at a line's end by a hyphen: joined where the book writes it whole ('some-thing'),
    kept where it writes it with one ('well-known') or where both halves are words of the book ('sky-line')."""
    whole, compound = f"{head}{tail}".lower(), f"{head}-{tail}".lower()
    if words[whole] or words[compound]:
        return words[compound] > words[whole]
    return bool(words[tail.lower()]) and bool(words[head.lower()])


def joined(group: list[Line], right_edge: float, hyphenated: Counter) -> str:
    """A block's lines as its text: a hyphen at a line's end joins the word; a block of short lines (verse)
    or of links (a contents list's entries) keeps its line ends."""
    verse = len(group) > 1 and group[0].rank == 0 and (all(is_short(line, right_edge) for line in group)
                                                        or all(line.linked for line in group))
    text = group[0].text.strip()
    for line in group[1:]:
        nxt = line.text.strip()
        if text.endswith(HYPHENS) and re.search(r"\w$", text[:-1]) and re.match(r"[^\W\d_]", nxt) and nxt[0].islower():
            head, tail = re.search(r"(\w+)$", text[:-1]).group(1), re.match(r"\w+", nxt).group(0)
            in_compound = bool(re.search(r"\w-\w+$", text[:-1]))  # 'sister-in-' + 'law': a compound goes on with one
            keep = text[-1] in "-\x02\u2010" and (in_compound or keeps_hyphen(head, tail, hyphenated))  # pdfium: \x02
            text = text[:-1] + ("-" if keep else "") + nxt
        elif text.endswith(("—", "–", "--")) or nxt.startswith(("—", "–", "--")):
            text += nxt  # a dash at a line's end is set close to its words
        else:
            text += ("\n" if verse else " ") + nxt
    return LINE_END_HYPHEN.sub(lambda m: mended(m, hyphenated), text).replace("\x02", "").replace("\u00ad", "")


LINE_END_HYPHEN = re.compile(r"(\w-)?(\w+)\x02\s*(\w+)")  # pdfium joins a line hyphenated at its end, the hyphen as \x02


def mended(match: re.Match, words: Counter) -> str:
    compound, head, tail = match.group(1) or "", match.group(2), match.group(3)
    keep = bool(compound) or keeps_hyphen(head, tail, words)
    return f"{compound}{head}{'-' if keep else ''}{tail}"


def is_short(line: Line, right_edge: float) -> bool:
    return line.x1 < (line.edge or right_edge) - SHORT_LINE_EMS * max(line.size, 1)
