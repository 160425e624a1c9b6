"""Plain-text headings and contents lists: what a line that names a chapter, part or volume looks like.

A heading is a keyword and a number ("CHAPTER XII. The Storm", "Book the First--Recalled to Life",
"STAVE ONE", "Letter 4"), a bare number ("IV. The Return", "12."), or a named section ("Prologue").
Which of these are the book's chapters is decided from what the book repeats (tasks/manuscript/plain/structure.py);
this module only reads single lines and finds the contents list, which must never become chapters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.core.roman import ROMAN_PATTERN, roman_value

CARDINALS = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|(?:one )?hundred)"
)
ORDINALS = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:first|second|third|fourth|fifth|sixth"
    r"|seventh|eighth|ninth))?|(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)ieth|first|second|third|fourth|fifth"
    r"|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|(?:thir|four|fif|six|seven|eigh|nine)teenth|last|final)"
)
ROMAN = rf"(?=[IVXLCDM]){ROMAN_PATTERN}"  # never empty
NUMBER = rf"(?:\d{{1,3}}\b|{ROMAN}\b|(?i:{ROMAN})\b|(?i:{CARDINALS})\b|(?i:{ORDINALS})\b)(?![-'’]\w)"
KEYWORDED = re.compile(rf"(?P<kw>[^\W\d_][^\W\d_'’]*)\.?\s+(?:(?i:the|no\.?)\s+)?(?P<num>{NUMBER})(?P<rest>.*)")
ORDINAL_FIRST = re.compile(  # 'THE FIRST ACT', 'Second Book': the number before a keyword the project knows
    rf"(?:(?i:the)\s+)?(?P<num>(?i:{ORDINALS}))\s+(?P<kw>[^\W\d_]+)(?P<rest>(?:\s*[.:—–-].*)?)")
BARE = re.compile(rf"(?P<num>{ROMAN}|\d{{1,3}})(?:(?P<mark>\s*[.:)]|\s*[—–]|\s+-+)(?P<rest>.*))?")
NAMED = re.compile(
    rf"(?:(?i:{ORDINALS})\s+)?(?P<kw>(?i:prologue|epilogue|preface|foreword|afterword|introduction|interlude"
    rf"|prelude|postscript|conclusion|appendix|envoi|l'envoi|dedication))(?:\s+(?P<num>{NUMBER}))?(?P<rest>.*)")
PART_WORDS = {"volume", "vol", "book", "part", "tome", "livre", "partie", "teil", "buch", "band", "libro", "parte",
              "deel", "boek", "act", "acte", "akt", "atto"}  # a play's acts hold its scenes
CHAPTER_WORDS = {"chapter", "chap", "chapitre", "kapitel", "capítulo", "capitulo", "capitolo", "hoofdstuk"}
CONTENTS_TITLE = re.compile(r"(?i)(?:table\s+of\s+)?contents|list\s+of\s+(?:illustrations|plates|chapters)"
                            r"|illustrations|chapters")
PAGE_NUMBER = re.compile(r"(?:\s{2,}|\s*[.·…_]{2,}\s*|\s+\.\s+)(?:\d+|[ivxlc]+)\.?$")
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]_]*$")
MAX_HEADING_CHARS = 300  # a long titled heading is kept when its form repeats; a paragraph is longer
MAX_ENTRY_CHARS = 100
MAX_BARE_NUMBER = 200  # a bare numeral beyond this is a year or an initial, not a chapter


@dataclass(frozen=True)
class Heading:
    """A line read as a heading: its form ('chapter', '#roman', '#named', …), number and own title."""

    text: str
    form: str
    number: str
    title: str

    @property
    def key(self) -> tuple[str, str]:
        """What a contents entry and the heading it names share: the number and the title, loosely."""
        return loose(self.number), loose(self.title)


def loose(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def parse_heading(line: str) -> Heading | None:
    """Read one line (a block's lines joined) as a heading, or None when it is prose."""
    line = line.strip()
    if not line or len(line) > MAX_HEADING_CHARS or line[0].islower():
        return None
    for regex, form in ((NAMED, "#named"), (KEYWORDED, None), (ORDINAL_FIRST, None), (BARE, None)):
        match = regex.fullmatch(line)
        if not match:
            continue
        rest = match.group("rest") or ""
        if regex is BARE:
            if rest.strip() and not match.group("mark") or re.match(r"\s*[A-Z]\.", rest):
                continue  # 'I went home', 'C. S. Lewis'
            if number_value(match.group("num")) > MAX_BARE_NUMBER or match.group("num") in ("C", "D", "L", "M"):
                continue  # 'M. --Il est papa.': an initial or a speaker, not chapter 1000
            form = "#arabic" if match.group("num")[0].isdigit() else "#roman"
        elif regex is ORDINAL_FIRST:
            form = match.group("kw").lower()
            if not (is_part_form(form) or form in CHAPTER_WORDS):
                continue  # 'First Love' is a title, not a numbered heading
        elif regex is KEYWORDED:
            keyword = match.group("kw")
            if not keyword[0].isupper() or re.fullmatch(ROMAN, keyword) or rest and not re.match(r"[\s.:,;—–-]", rest):
                continue
            form = keyword.lower()
            if not is_known_form(form) and rest.strip() and not re.match(r"\s*[.:—–-]", rest):
                continue  # 'On 6 July we sailed.': an unknown keyword takes its title after punctuation
        title = re.sub(r"^[\s.:,;—–-]+", "", rest).strip()
        letter = re.search(r"[^\W\d_]", title)
        if letter and letter.group().islower() and not re.match(r"\s*[.:,;—–-]", rest):
            continue  # 'Chapter one was long': a sentence, not a heading
        return Heading(line, form, match.group("num") or "", title)
    return None


def number_value(number: str) -> int | None:
    """'XIV' -> 14, '12' -> 12; None for number words."""
    return int(number) if number.isdigit() else roman_value(number)


def is_part_form(form: str) -> bool:
    return form in PART_WORDS


def is_known_form(form: str) -> bool:
    """Forms that are headings wherever they stand alone; other keywords must repeat to count."""
    return form in PART_WORDS or form in CHAPTER_WORDS or form.startswith("#")


def entry_lines(block: str) -> list[str]:
    """A block's lines without page numbers and dot leaders: 'The Period ........ 5' -> 'The Period'."""
    return [without_page_number(line.strip()) for line in block.splitlines() if line.strip()]


def without_page_number(line: str) -> str:
    """'The Period ........ 5' -> 'The Period' (the regular expression only where a line can end so)."""
    return PAGE_NUMBER.sub("", line).strip() if line[-1:].isdigit() or line[-1:] in "ivxlc." else line


def is_list_like(block: str) -> bool:
    """Lines a contents list is made of: short, none a sentence of prose."""
    for line in block.splitlines():
        line = line.strip()
        plain = without_page_number(line)
        if len(line) <= MAX_HEADING_CHARS and parse_heading(plain):
            continue  # 'CHAPTER 29. Enter Ahab; to Him, Stubb.' ends like a sentence but is an entry
        if len(line) > MAX_ENTRY_CHARS or (SENTENCE_END.search(plain) and len(plain.split()) >= 6 and plain == line):
            return False
    return True


def find_contents(blocks: list[str]) -> list[tuple[int, int]]:
    """(start, end) block ranges that are contents lists: after a 'CONTENTS' title, or ≥3 entries alike."""
    ranges: list[tuple[int, int]] = []
    last_seen = {loose(block): i for i, block in enumerate(blocks) if len(block) <= MAX_HEADING_CHARS}
    i = 0
    while i < len(blocks):
        end = contents_end(blocks, i, last_seen)
        if end > i:
            ranges.append((i, end))
            i = end
        else:
            i += 1
    return ranges


def contents_end(blocks: list[str], start: int, last_seen: dict[str, int]) -> int:
    """The end of the contents list starting at `start`, or `start` when there is none.

    The list runs while its blocks are list-like; it ends where the body begins: at a heading whose
    number and title an entry already gave, or at a heading followed by prose that the book does
    not repeat later (`last_seen`: a short block's loose text -> its last index).
    """
    if not blocks[start].strip():
        return start
    first = blocks[start].splitlines()[0].strip().rstrip(".:")
    titled = bool(CONTENTS_TITLE.fullmatch(first))
    if not titled and not parse_heading(without_page_number(first)):
        return start  # an untitled list starts with an entry
    seen: set[tuple] = set()
    forms: dict[str, int] = {}
    part: tuple = ()
    front: set[str] = set()  # entries before the first numbered one
    end = start + 1 if titled and len(blocks[start].splitlines()) == 1 else start
    for k in range(end, len(blocks)):
        if not is_list_like(blocks[k]):
            break
        if k + 1 < len(blocks) and not is_list_like(blocks[k + 1]) and last_seen.get(loose(blocks[k]), k) <= k:
            break
        headings = [h for line in entry_lines(blocks[k]) if (h := parse_heading(line))]
        if not headings and (not titled or len(blocks[k].splitlines()) >= 3):
            break  # a stanza or a paragraph, not entries; only a titled list has lines that are not headings
        words = {loose(line) for line in entry_lines(blocks[k]) if not parse_heading(line)}
        if words & front:
            break  # 'ETYMOLOGY.' again: the body's own section
        front |= set() if forms else words
        keys = []
        for h in headings:  # chapters numbered afresh in each part are told apart by their part
            above = is_part_form(h.form) or h.form == "#named"  # 'BOOK TWO', 'FIRST EPILOGUE'
            part = h.key if above else part
            keys.append(h.key if above else (part, h.key))
        if seen.intersection(keys):
            break
        seen.update(keys)
        for h in headings:
            forms[h.form] = forms.get(h.form, 0) + 1
        end = k + 1
    if titled or max(forms.values(), default=0) >= 3:
        return max(end, start + 1)
    return start


def front_entries(blocks: list[str], ranges: list[tuple[int, int]]) -> set[str]:
    """Entries listed before a contents list's first numbered heading ('ETYMOLOGY.', 'Preface'), loosely.

    The body's sections of those names are headings even though they have no heading form.
    """
    names: set[str] = set()
    for start, end in ranges:
        for line in (line for block in blocks[start:end] for line in entry_lines(block)):
            if parse_heading(line) and parse_heading(line).form != "#named":
                break
            if not CONTENTS_TITLE.fullmatch(line.rstrip(".:")):
                names.add(loose(line))
    return names
