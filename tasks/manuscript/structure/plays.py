"""Plays in plain text: speech prefixes, stage directions and the cast list.

A play writes who speaks before each speech: "HAMLET. To be, or not to be", "Nora. Just now.",
"THE MOTHER [on her daughter's right] Not so long.", "LANE:  Yes, sir." or the name alone on its
line over verse. A book is a play when many of its blocks open so with the same few names (capitals,
or a capitalised name the book never writes in lower case); then each such block is that character's
speech, the prefix is not read, and the directions inside it ("(To the PORTER.)", "[Puts the bag
down]") are the narrator's. The cast list ("DRAMATIS PERSONAE", "CHARACTERS", a first night's cast)
before the first heading is front matter: listed, not read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from tasks.manuscript.book import Book
from .headings import parse_heading

NAME_WORD = r"(?:(?:Mrs|Mr|Ms|Dr|St|Mme|Mlle|Sr|Jr|Rev|Capt|Col|Gen|Lt|Prof|Hon|MRS|MR|DR|ST)\.|[A-Z][\w'’\-]*)"
PREFIX = re.compile(  # NAME, then an optional direction, then '.'/':' (or the direction alone), then the speech
    rf"(?P<name>{NAME_WORD}(?:\s+(?:{NAME_WORD}|de|of|von|van|la|le))*?)"
    r"(?:\s*(?P<direction>[\[(][^\])]{0,300}[\])]))?(?:\s*[.:](?=\s|$)|(?<=[\])]))\s*(?P<speech>.*)", re.S)
DIRECTION = re.compile(r"\s*([\[(])([^\])]{2,}?)[\])]\s*")
CAST_TITLE = re.compile(
    r"(?i)\W*(?:dramatis\s+person(?:ae|æ|e)|(?:the\s+)?persons\s+(?:represented|of\s+the\s+(?:play|drama))|the\s+persons"
    r"|characters(?:\s+in\s+the\s+play)?|the\s+characters|cast(?:\s+of\s+characters)?|personnages|personen"
    r"|personajes|personaggi|henkilöt|personagens|first\s+(?:produced|performed|acted)\b.*"
    r"|(?:the\s+)?scenes?\s+of\s+the\s+(?:play|action)|(?:the\s+)?cast)\W*")
TITLES = {"MR", "MRS", "MS", "DR", "ST", "M", "MME", "MLLE", "SR", "JR", "REV", "CAPT", "COL", "GEN", "LT", "PROF",
          "HON", "NO", "VOL", "CHAP", "FIG", "P", "PP"}  # abbreviations that open prose, not speeches
MAX_NAME_WORDS = 4
MIN_SPEECHES = 20  # a book with fewer prefixed blocks is not a play
MIN_SHARE = 0.15  # of the blocks between the first and the last speech
MIN_NAME_SPEECHES = 2
MAX_CAST_LINE_WORDS = 10
MIN_CAST_LINES = 3  # an untitled cast list: several lines naming the speakers


@dataclass
class Play:
    """The speeches of a play: block index -> (speaker, its parts: (speaker or None for the narrator, text))."""

    speeches: dict[int, list[tuple[str | None, str]]] = field(default_factory=dict)
    first: int = 0  # the first and last speech: stage directions lie between
    last: int = -1

    def is_direction(self, index: int) -> bool:
        return self.first <= index <= self.last and index not in self.speeches


def prefix(block: str) -> tuple[str, str, str] | None:
    """(name, direction, speech) when the block opens with a speech prefix."""
    match = PREFIX.match(block.strip())
    if not match:
        return None
    name = match.group("name").strip().rstrip(".")
    if not name or len(name.split()) > MAX_NAME_WORDS or len(name) < 2 or parse_heading(name):
        return None  # 'SCENE I. Elsinore.' is a heading, not SCENE I speaking
    return name, (match.group("direction") or "").strip("[]() "), match.group("speech").strip()


def speaker_key(name: str) -> str:
    return " ".join(name.upper().replace("’", "'").split())


def find_play(blocks: list[str], prose_words: Counter) -> Play | None:
    """The play in these blocks, or None: names that open many blocks and are names, not words.

    `prose_words`: lower-case word counts of the whole text (a name is never written in lower case)."""
    found = {i: p for i, block in enumerate(blocks) if (p := prefix(block))}
    counts = Counter(speaker_key(name) for name, _, _ in found.values())
    written = {speaker_key(name): name for name, _, _ in found.values()}
    names = {key for key, n in counts.items() if n >= MIN_NAME_SPEECHES and is_name(written[key], prose_words)}
    speeches = [(i, p) for i, p in sorted(found.items()) if speaker_key(p[0]) in names]
    said = [i for i, (_, direction, speech) in speeches if direction or speech]
    if len(said) < MIN_SPEECHES:  # a name alone on its line is no evidence: a letter's signature, a place line
        return None
    first, last = speeches[0][0], speeches[-1][0]
    if len(speeches) < MIN_SHARE * (last - first + 1):
        return None
    play = Play(first=first, last=last)
    for i, (name, direction, speech) in speeches:
        if direction or speech:
            play.speeches[i] = speech_parts(character(name), direction, speech)
        elif i + 1 < len(blocks) and i + 1 not in found and blocks[i + 1].strip() and not parse_heading(blocks[i + 1]):
            play.speeches[i] = []  # 'HAMLET.' alone on its line names who speaks the block after it
            play.speeches[i + 1] = speech_parts(character(name), "", blocks[i + 1])
    return play


def marked_play(blocks: list[str], speakers: dict[int, str]) -> Play:
    """A play whose markup names each speech's character (HTML/EPUB speaker markup)."""
    play = Play(first=min(speakers), last=max(speakers))
    for i, name in speakers.items():
        play.speeches[i] = speech_parts(character(name), "", blocks[i])
    return play


def is_name(name: str, prose_words: Counter) -> bool:
    """Capitals ('HAMLET', 'THE MOTHER') or a capitalised word the book never writes in lower case."""
    words = name.lower().split()
    if not words or speaker_key(name).rstrip(".") in TITLES:
        return False
    return name.isupper() or all(prose_words[w] <= 1 for w in words if len(w) > 2)


def character(name: str) -> str:
    """'LADY BRACKNELL' -> 'Lady Bracknell', 'Nora' -> 'Nora': how the speaker is named in the voices map."""
    return " ".join(w[:1].upper() + w[1:].lower() if w.isupper() else w for w in name.split())


def speech_parts(speaker: str, direction: str, speech: str) -> list[tuple[str | None, str]]:
    """The speech split at its bracketed directions: the character's words, and the narrator's directions."""
    parts: list[tuple[str | None, str]] = [(None, direction)] if direction else []
    position = 0
    for match in DIRECTION.finditer(speech):
        parts.append((speaker, speech[position:match.start()]))
        parts.append((None, match.group(2)))
        position = match.end()
    parts.append((speaker, speech[position:]))
    return [(who, tidy(text)) for who, text in parts if re.search(r"\w", text)]


def tidy(text: str) -> str:
    """Spaces tidied within lines; the line breaks (verse) kept."""
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines() if line.strip())


def cast_lists(blocks: list[str], play: Play | None) -> list[range]:
    """The cast list and the play's other lists before its first speech ('THE PERSONS OF THE PLAY', 'THE
    SCENES OF THE PLAY', a first night's cast): from a block titled so (or naming the speakers), over
    short lines, up to the first speech or the first heading that repeats one the list gave ('FIRST ACT'
    after 'ACT I.  Algernon's flat')."""
    stop = play.first if play else len(blocks)
    found: list[range] = []
    start = 0
    while start < stop:
        titled = bool(blocks[start]) and bool(CAST_TITLE.fullmatch(blocks[start].splitlines()[0]))
        listed = play and len(blocks[start].splitlines()) >= MIN_CAST_LINES and names_speakers(blocks[start], play)
        if not titled and not listed:
            start += 1
            continue
        end, seen = start + 1, set()
        while end < stop and (names_speakers(blocks[end], play) or short_lines(blocks[end])
                              or blocks[end].lstrip().startswith(("(", "["))):
            heading = parse_heading(" ".join(blocks[end].split()))
            if heading and ((heading.form, heading.value) in seen or not in_a_list(blocks, end, heading)):
                break  # the play begins: a heading of its own, not an entry of a list of acts
            seen |= {(heading.form, heading.value)} if heading else set()
            end += 1
        found.append(range(start, end))
        start = end
    return found


def in_a_list(blocks: list[str], index: int, heading) -> bool:
    """A heading beside another of its form ('ACT I.  A flat' over 'ACT II.  A garden'): a list's entry."""
    around = [blocks[k] for k in (index - 1, index + 1) if 0 <= k < len(blocks)]
    return any((other := parse_heading(" ".join(b.split()))) and other.form == heading.form for b in around)


def short_lines(block: str) -> bool:
    """A list of short lines (a cast list's names and roles), or a line or two."""
    lines = [line for line in block.splitlines() if line.strip()]
    return len(block.split()) <= 12 or all(len(line.split()) <= MAX_CAST_LINE_WORDS for line in lines)


def names_speakers(block: str, play: Play | None) -> bool:
    """Most lines of the block start with a speaker's name (a cast list's lines)."""
    if play is None:
        return False
    speakers = {speaker_key(who) for parts in play.speeches.values() for who, _ in parts if who}
    lines = [line for line in block.splitlines() if line.strip()]
    named = sum(any(re.search(rf"\b{re.escape(s)}\b", speaker_key(line)) for s in speakers) for line in lines)
    return bool(lines) and named >= 0.5 * len(lines)


def cast(book: Book) -> list[tuple[str, int]]:
    """The characters who speak, in order of first appearance, with their number of speeches:
    what `--dry-run` lists for a play (the voices map names them)."""
    counts: Counter = Counter()
    for chapter in book.chapters:
        for cue in chapter.cues.values():
            if cue.speaker and cue.opens:  # a speech's first paragraph
                counts[cue.speaker] += 1
    return list(counts.items())
