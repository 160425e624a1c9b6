"""Footnotes and illustrations in plain text (Project Gutenberg's conventions), kept out of the reading.

PG marks a note as `[Footnote 1: text]` where it falls, or as `[1] text` (or `(*) text`) blocks
under a FOOTNOTES heading or the paragraph, and refers to it with `[1]` (`[A]`, `[*]`, `(*)`, `(+)`). `[Illustration: caption]`
marks a picture. Notes are collected as `Note`s for the notes policy; pictures are only counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.manuscript.book import Skipped, join_lines, skip

LABEL = r"\d{1,3}|[A-Z]|[*†‡§]+"
NOTE_OPEN = re.compile(rf"\[(?:foot-?note|note|sidenote)\s*(?P<label>{LABEL})?\s*[:.]?", re.I)
NOTE_BODY = re.compile(  # '[1] …', '(*) …', '* …' (an asterisked note under its paragraph)
    rf"\[(?P<label>{LABEL})\]\s*(?=\S)|\((?P<mark>\*+|\++)\)\s+(?=\S)|(?P<star>\*+|†|‡)\s+(?=[^\W\d_])")
FIGURE = re.compile(r"\[(?:illustration|picture|image|figure|frontispiece)\b", re.I)
INLINE_FIGURE = re.compile(r"\[(?:illustration|picture|image|figure|frontispiece)\b[^\]]*\]", re.I)
NOTE_REF = re.compile(rf"\[(?:{LABEL})\]|\[foot-?note\s+(?:{LABEL})\]|\((?:\*+|\++)\)|(?:(?<=[^\W\d_])|(?<=[^\W\d_][.,;:!?]))(?:\*+|†|‡)(?=\s|$)",
                      re.I)
REF_WITH_SPACE = re.compile(r"[ \t]*(?:" + NOTE_REF.pattern + ")", re.I)
BRACED = re.compile(r"\s*\{(?P<text>[^{}]*\s[^{}]*)\}")  # '{Footnote text}' or '{See Book I.}' inside a paragraph
NOTES_TITLE = re.compile(r"(?i)(?:foot|end)?notes?\s*[.:]?")


@dataclass(frozen=True)
class Note:
    """A footnote's text and its label ('1', 'A', '*'), as the prose refers to it."""

    label: str
    text: str


def separate_notes(blocks: list[str], skipped: list[Skipped]) -> list[str | Note]:
    """Blocks with notes turned into Notes and pictures dropped (counted in `skipped`), one item per
    block (a dropped block, or a note's later blocks, is ""), so markup known by block index still holds."""
    items: list[str | Note] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        opened = NOTE_OPEN.match(block) or FIGURE.match(block)
        if opened:
            end = bracket_end(blocks, i)
            text = "\n\n".join(blocks[i:end])
            if FIGURE.match(block):
                skip(skipped, "figures", "illustrations", text, marked=True)
                items.append("")
            else:
                items.append(Note(opened.group("label") or "", join_lines(text[opened.end():].rstrip().rstrip("]"))))
            items += [""] * (end - i - 1)
            i = end
            continue
        body = NOTE_BODY.match(block)
        if body and not (body.group("star") and is_ornament(block)):
            label = body.group("label") or body.group("mark") or body.group("star")
            items.append(Note(label, join_lines(block[body.end():])))
        elif NOTES_TITLE.fullmatch(block) and i + 1 < len(blocks) and (NOTE_BODY.match(blocks[i + 1]) or NOTE_OPEN.match(blocks[i + 1])):
            skip(skipped, "notes", "notes heading", block, marked=True)
            items.append("")
        else:
            for figure in INLINE_FIGURE.findall(block):
                skip(skipped, "figures", "illustrations", figure, marked=True)
            items.append(INLINE_FIGURE.sub("", block).strip() or block)
        i += 1
    return items


def bracket_end(blocks: list[str], start: int) -> int:
    """The block after the one that closes the bracket opened at blocks[start] (the last block if none does)."""
    depth = 0
    for k in range(start, len(blocks)):
        depth += blocks[k].count("[") - blocks[k].count("]")
        if depth <= 0:
            return k + 1
    return start + 1  # never closed: only the opening block is the note


def is_ornament(block: str) -> bool:
    """'* * *': a section break, not a note."""
    return not re.search(r"[^\W\d_]{2}", block)


PAGE_MARK = re.compile(r"\s*\{(?:p(?:age|\.)?\s*)?\d{1,4}\}")  # '{8}': the printed book's page, in PG's braces


def braced_notes(text: str) -> tuple[str, list[Note]]:
    """A paragraph without its {braced notes} (PG's braces for the printed book's footnotes) and its {8}
    page marks, and the notes."""
    text = PAGE_MARK.sub("", text)
    notes = [Note("", join_lines(re.sub(r"(?i)^\s*foot-?note\s*[:.]?\s*", "", m.group("text")))) for m in BRACED.finditer(text)]
    return (BRACED.sub("", text) if notes else text), notes


def strip_refs(text: str) -> tuple[str, list[str]]:
    """Prose without its note references, and the labels it referred to."""
    labels = [re.sub(r"(?i)[\[\]()]|foot-?note\s+", "", ref) for ref in NOTE_REF.findall(text)]
    if not labels:
        return text, []
    return re.sub(r"\s+([.,;:!?])", r"\1", REF_WITH_SPACE.sub("", text)), labels
