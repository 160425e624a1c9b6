"""Project Gutenberg's wrapper around a book: header, START/END markers, license, credits; never read aloud.

Handles the markers of every era ("*** START OF THE PROJECT GUTENBERG EBOOK X ***", "THIS ...",
"***START**THE SMALL PRINT!..." and its "*END*THE SMALL PRINT!" of the 1990s files, the footer line
"End of the Project Gutenberg EBook of X"). The header's `Title:`, `Author:`, `Language:` and
translator/editor/illustrator fields become the book's metadata. Reusable for PG EPUBs:
`is_start_marker`, `is_end_marker`, `is_credit` and `is_gutenberg_boilerplate` (a license or header
document) read single blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from iso639 import Lang, iter_langs
from iso639.exceptions import InvalidLanguageValue

from .book import Skipped, join_lines, skip

PG = r"project\s+gutenberg"
START_MARKER = re.compile(
    rf"^[ \t]*\**[ \t]*(?:start\s+of\s+(?:the|this)\s+{PG}|\*?end\*?\s*the\s+small\s+print).*$", re.I | re.M)
END_MARKER = re.compile(
    rf"^[ \t]*\**[ \t]*(?:end\s+of\s+(?:the\s+|this\s+)?{PG}|{PG}['’]s\s+end\b).*$", re.I | re.M)
STARRED_START = re.compile(rf"\*{{3}}\s*start\s+of\s+(?:the|this)\s+{PG}", re.I)  # inside a block whose lines were joined
STARRED_END = re.compile(rf"\*{{3}}\s*end\s+of\s+(?:the|this)\s+{PG}", re.I)
TITLE_LINE = re.compile(  # 'The Project Gutenberg EBook of Dracula, by Bram Stoker' (also Etext, 's ... of)
    rf"^\W*(?:the\s+)?{PG}(?:['’]s)?\s+(?:e-?(?:book|text)\s+of\s+)?(?P<title>.+?),\s+by\s+(?P<author>.+?)\W*$",
    re.I)
FIELD = re.compile(r"^(?P<key>[A-Z][A-Za-z ]{1,30}):[ \t]*(?P<value>.*)$")
CONTRIBUTOR_FIELDS = ("translator", "editor", "illustrator", "contributor", "compiler", "commentator")
CREDIT = re.compile(  # the volunteers' credits that open a PG body ('E-text transcribed by', 'This etext was done by')
    r"^\W*(?:e-?text\s+|etext\s+)?(?:produced|prepared|transcribed|scanned|digitized|proofread|typed|edited)\b.*?\bby\b"
    r"|^\W*this\s+(?:e-?book|e-?text|etext|text|book|file|edition)\s+(?:was|has\s+been|is)\s+(?:\w+\s+){0,3}?"
    r"(?:produced|prepared|created|made|done|typed|transcribed|scanned|digitized|proofread)\b.*?\bby\b"
    r"|^\W*(?:html\s+version|updated\s+editions?)\b", re.I)
TRANSCRIBER = re.compile(r"^\W*transcriber['’]?s?\s+notes?\b|^.{0,120}\b(?:e-?text\s+)?transcriber\b.{0,40}:$", re.I | re.S)
CLOSING_SHARE = 0.9  # a transcriber's list ("… corrected by the transcriber:") this late runs to the end
OPENING_BLOCKS = 6  # credits come before the title page
LICENSE_WORDS = re.compile(rf"{PG}(?:-tm)?\s+(?:license|literary\s+archive)|www\.gutenberg\.(?:org|net)", re.I)


@dataclass
class GutenbergText:
    """A text with Project Gutenberg's wrapper taken off: the body, its metadata, what was dropped."""

    body: str
    metadata: dict[str, str] = field(default_factory=dict)  # title, author, language (as written)
    contributors: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)  # from "The Project Gutenberg EBook of X, by Y": a fallback
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def strip_gutenberg(text: str) -> GutenbergText:
    """Split PG's header and license from the body; a text without PG's marks comes back whole."""
    start = START_MARKER.search(text)
    if start is None:
        warnings = []
        if re.search(PG, text[:3000], re.I) and re.search(rf"{PG}\s+license", text, re.I):
            warnings.append("mentions the Project Gutenberg license but has no START marker; read whole")
        return GutenbergText(text, warnings=warnings)
    while (later := START_MARKER.search(text, start.end())) and later.start() - start.end() < 20_000:
        start = later  # the 1990s header: "***START**THE SMALL PRINT!" ... "*END*THE SMALL PRINT!"
    end = END_MARKER.search(text, start.end())
    header, body = text[:start.start()], text[start.end():end.start() if end else len(text)]
    footer = text[end.start():] if end else ""
    result = GutenbergText("", *header_metadata(header))
    skip(result.skipped, "boilerplate", "Project Gutenberg header", header + start.group(), marked=True)
    skip(result.skipped, "boilerplate", "Project Gutenberg license", footer, marked=True)
    result.body = drop_credits(body, result)
    return result


def header_metadata(header: str) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """(`Title:`/`Author:`/`Language:` fields (continuation lines indented), contributors, the 'EBook of X, by Y' line)."""
    metadata: dict[str, str] = {}
    contributors: list[str] = []
    lines = header.splitlines()
    for i, line in enumerate(lines):
        match = FIELD.match(line)
        if not match or not match.group("value").strip():
            continue
        key, value = match.group("key").strip().lower(), match.group("value").strip()
        for more in lines[i + 1:]:
            if not more.strip() or not more[:1].isspace():
                break
            if key != "title" or re.search(r"(?:\b(?:and|of|the|or|in|a|an|to)|[,;])$", value) or more.strip()[0].islower():
                value += " " + more.strip()  # a wrapped value; an indented line after a whole title is its subtitle
        if key in ("title", "author", "language") and key not in metadata:
            metadata[key] = value
        elif key in CONTRIBUTOR_FIELDS:
            contributors.append(value)
    line = next((TITLE_LINE.match(ln.strip()) for ln in lines if TITLE_LINE.match(ln.strip())), None)
    named = {"title": line.group("title").strip(), "author": line.group("author").strip()} if line else {}
    return metadata, contributors, named


def drop_credits(body: str, result: GutenbergText) -> str:
    """Remove the "Produced by…" credits opening the body and every transcriber's note (a block, or [ … ])."""
    parts = re.split(r"(\n[ \t]*\n)", body)
    kept: list[str] = []
    seen, after_credit, in_note, offset = 0, False, False, 0
    for part in parts:
        offset += len(part)
        text = part.strip()
        if not text:
            kept.append(part)
            continue
        seen += 1
        credit = seen <= OPENING_BLOCKS and bool(
            CREDIT.match(text) or re.search(PG, text, re.I) or after_credit and text.startswith(("(", "http")))
        note = in_note or bool(TRANSCRIBER.match(text))
        if credit or note:
            skip(result.skipped, "boilerplate", "Project Gutenberg credits", text, marked=True)
            closing = text.endswith(":") and offset > CLOSING_SHARE * len(body)
            in_note = note and (closing or not text.endswith("]") and (in_note or text.startswith("[")))
        else:
            kept.append(part)
        after_credit = credit
    return "".join(kept)


def is_start_marker(block: str) -> bool:
    """'*** START OF THE PROJECT GUTENBERG EBOOK X ***' in any era's wording (also the small print's end)."""
    return bool(START_MARKER.search(block.strip()) or STARRED_START.search(block))


def is_end_marker(block: str) -> bool:
    """'*** END OF THE PROJECT GUTENBERG EBOOK X ***' or the footer line 'End of the Project Gutenberg EBook of X'."""
    return bool(END_MARKER.search(block.strip()) or STARRED_END.search(block))


def is_credit(block: str) -> bool:
    """'Produced by …', 'E-text prepared by …': the volunteers' credits that open a PG body."""
    return bool(CREDIT.match(join_lines(block)))


def is_gutenberg_boilerplate(text: str) -> bool:
    """A document or block that is PG's license, header or credits rather than the book (for PG EPUBs)."""
    flat = join_lines(text)
    return is_start_marker(flat) or is_end_marker(flat) or bool(LICENSE_WORDS.search(flat)) or (
        len(flat) < 400 and is_credit(flat))


SCRIPTS = (  # a book that names no language: the script most of its letters are written in says it
    ("ja", re.compile(r"[\u3040-\u30ff]")), ("zh", re.compile(r"[\u4e00-\u9fff]")), ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")), ("el", re.compile(r"[\u0370-\u03ff]")), ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")), ("hi", re.compile(r"[\u0900-\u097f]")),
)
SCRIPT_SHARE = 0.3


def script_language(text: str) -> str | None:
    """'zh' for a text mostly in Chinese characters (kana first: Japanese uses both), … ; None for Latin script."""
    sample = text[:20_000]
    letters = sum(c.isalpha() for c in sample) or 1
    return next((code for code, script in SCRIPTS if len(script.findall(sample)) >= SCRIPT_SHARE * letters
                 or code == "ja" and len(script.findall(sample)) >= 0.05 * letters), None)


def book_language(value: str | None, warnings: list[str], text: str = "") -> str:
    """The book's language as an ISO code ('French' -> 'fr'); without one, the script's (else English);
    English, with a warning, when the name is not a language barkbook knows."""
    if not value:
        return script_language(text) or "en"
    code = language_code(value)
    if code is None:
        warnings.append(f"language {value!r} is not one barkbook knows; reading it as English")
    return code or "en"


@lru_cache(maxsize=64)
def language_code(name: str) -> str | None:
    """'English' -> 'en', 'French' -> 'fr', 'Greek' -> 'el', 'de', 'en-GB' -> 'en' (ISO 639-1, else 639-3); None if unknown."""
    name = re.split(r"[,;/]| and ", name.strip())[0].strip()
    if not name:
        return None
    if tag := re.fullmatch(r"([A-Za-z]{2,3})[-_][A-Za-z0-9-]+", name):
        name = tag.group(1)  # a language tag: 'en-GB' -> 'en'
    for candidate in (name, name.lower(), name.title()):
        try:
            lang = Lang(candidate)
            return lang.pt1 or lang.pt3
        except InvalidLanguageValue:
            continue
    wanted = {name.lower(), f"modern {name.lower()}"}
    for lang in iter_langs():
        if re.sub(r"\s*\(.*\)", "", lang.name).lower() in wanted:
            return lang.pt1 or lang.pt3
    return None
