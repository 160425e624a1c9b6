"""Verse in plain text: a block whose lines are all much shorter than the book's prose lines.

Project Gutenberg wraps prose at one width (about 70 characters); a poem's lines stop where the poet
ended them. A stanza is read as one paragraph whose line ends are kept (`line_ends`), so each line
ends with a short pause and the stanza with a paragraph's.
"""

from __future__ import annotations

import statistics

MIN_WRAP = 60  # a book of short lines still wraps its prose wider than this
PROSE_WIDTH = 55  # a book whose longest lines are shorter shows no wrapped prose to tell verse from
VERSE_SHARE = 0.8  # of the wrap width: a block whose lines are shorter is verse
MIN_LINES = 2


def wrap_width(blocks: list[str]) -> int:
    """The book's prose line width: the 90th percentile of its line lengths; 0 where no prose shows one."""
    lengths = sorted(len(line.strip()) for block in blocks for line in block.splitlines() if line.strip())
    width = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    return max(MIN_WRAP, width) if width >= PROSE_WIDTH else 0


def is_verse(block: str, width: int) -> bool:
    """Two or more lines, none running to the prose width, most well short of it; in a book with no
    wrapped prose to compare (a book of poems), three or more lines, or lines that each start a capital."""
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    if len(lines) < MIN_LINES:
        return False
    if not width:
        return len(lines) >= 3 or all(not line[0].isalpha() or line[0].isupper() for line in lines)
    body = [len(line) for line in lines[:-1]]
    return max(map(len, lines)) <= width and statistics.median(body) <= VERSE_SHARE * width


def joined(lines: list[str]) -> tuple[str, tuple[int, ...]]:
    """A stanza's lines as one paragraph, and where each line but the last ends in it."""
    lines = [" ".join(line.split()) for line in lines if line.strip()]
    ends, position = [], 0
    for line in lines[:-1]:
        position += len(line)
        ends.append(position)
        position += 1  # the space that joins it to the next line
    return " ".join(lines), tuple(ends)
