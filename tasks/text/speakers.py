"""Speakers: who says each quotation, decided over the whole book.

Quote marks are the book's own: the mark that opens most of its paragraphs (“ ‘ " ' „ » «) opens its
dialogue; quotes of the other kind inside a speech are nested and stay part of it. A closing single
mark is told from an apostrophe by its neighbours ("don’t", "’tis", "the boys’ room").

A name is a speaker only when the book treats it as a name: it is capitalized mid-sentence and its
lower-case form is rarer (so "Very" or "Time" opening a sentence are not names); a title belongs to
the name ("Mr. Knightley"), never stands alone. A first pass collects the names the tags give
('"…," said Holmes'); a surname or first name used alone joins the one full name it belongs to
("Holmes", "Sherlock Holmes"). A first-person 'said I' is the narrator's own speech.

A quotation that runs over paragraphs (no closing mark, the next paragraph opening with one) keeps
its speaker; in an exchange between two named speakers an untagged line is the next one's turn;
any other untagged speech is DIALOGUE. The tags are English ('said', 'asked', …): another
language's speech is found by its marks and read as DIALOGUE.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from tasks.manuscript.book import Book

NARRATOR = "narrator"  # the default speaker; a voice map may give any other speaker its own voice
DIALOGUE = "dialogue"  # quoted speech whose speaker the text does not name

Run = tuple[str, str]  # (speaker, text)


# --- quote marks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteStyle:
    open: str
    close: str


PAIRS = (("“", "”"), ("‘", "’"), ('"', '"'), ("'", "'"), ("„", "“"), ("»", "«"), ("«", "»"))  # en, de, fr
STYLES = {mark: QuoteStyle(mark, close) for mark, close in PAIRS}
ELISION = re.compile(r"(?:tis|twas|twere|twill|twould|em|cause|tween|neath|gainst|ow|n)\b")  # 'tis, 'em: lower case
OPENING_CONTEXT = set("([{—–-“‘\"'")


def quote_style(book: Book) -> QuoteStyle:
    """The book's dialogue mark: the one that opens the most paragraphs (double quotes if none does)."""
    starts: Counter = Counter()
    for chapter in book.chapters:
        for paragraph in chapter.paragraphs:
            if paragraph[:1] in STYLES and not ELISION.match(paragraph, 1):
                starts[paragraph[0]] += 1
    if starts:
        return STYLES[starts.most_common(1)[0][0]]
    curly = any("“" in p for chapter in book.chapters for p in chapter.paragraphs)
    return STYLES["“" if curly else '"']


def mark_kind(text: str, i: int, style: QuoteStyle) -> str | None:
    """'open', 'close', 'either' (a straight mark that context cannot tell) or None (an apostrophe)."""
    before, after = text[i - 1: i], text[i + 1: i + 2]
    spaced_before, spaced_after = not before or before.isspace(), not after or after.isspace()
    if text[i] == '"':
        return "either"  # double marks are never apostrophes: the count decides
    if style.open != style.close:  # curly: ‘ opens, ’ closes unless it sits inside a word or starts one
        if text[i] == style.open:
            return None if text[i] == "‘" and ELISION.match(text, i + 1) else "open"
        return None if (before.isalpha() and after.isalpha()) or spaced_before else "close"
    if (spaced_before or before in OPENING_CONTEXT) and not spaced_after:  # straight single
        return None if ELISION.match(text, i + 1) else "open"
    if not spaced_before and not after.isalnum():
        return "close"
    return None


def apostrophe_at_word_end(text: str, i: int, style: QuoteStyle, later_marks: list[tuple[int, str]]) -> bool:
    """'the boys’ room,’ she said', 'goin’ home,’': a single mark after a letter and before a lower-case
    word is an apostrophe when the quotation's real close is still to come (before any new opening)."""
    if style.close not in "’'" or not text[i - 1: i].isalpha() or not re.match(r"\s+[a-z]", text[i + 1:]):
        return False
    for _, kind in later_marks:
        if kind == "open":
            return False
        if kind == "close":
            return True
    return False


def quote_spans(text: str, style: QuoteStyle) -> tuple[list[tuple[int, int]], bool]:
    """The outer quotations of a paragraph as (start, end) spans, and whether the last one is unclosed."""
    marks = [(m.start(), kind) for m in re.finditer(f"[{re.escape(style.open + style.close)}]", text)
             if (kind := mark_kind(text, m.start(), style))]
    spans, start = [], None
    for n, (i, kind) in enumerate(marks):
        if start is None and kind in ("open", "either"):
            start = i
        elif start is not None and kind in ("close", "either"):
            if not apostrophe_at_word_end(text, i, style, marks[n + 1:]):
                spans.append((start, i + 1))
                start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans, start is not None


def is_speech(quote: str) -> bool:
    """Speech, not a quoted word: it ends in punctuation inside the marks or runs to four words."""
    inner = quote[1:].rstrip().rstrip("”’\"'«»“").strip()
    return bool(re.search(r"[.,!?;:—-]$", inner)) or len(inner.split()) >= 4


# --- names -------------------------------------------------------------------------------------

HONORIFICS = {"Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Madam", "Mme", "Mlle", "Lady", "Lord", "Mister", "Master",
              "Monsieur", "Madame", "Mademoiselle", "Herr", "Frau", "Fräulein"}
NOT_NAMES = HONORIFICS | {"He", "She", "They", "It", "We", "You", "The", "This", "That", "There", "And", "But", "Then"}
SPEECH_VERBS = (
    "said|says|asked|replied|answered|cried|exclaimed|whispered|shouted|called|muttered|added|continued|"
    "began|entreated|remarked|observed|declared|demanded|laughed|sighed|told|returned|repeated|interrupted|"
    "inquired|enquired|murmured|resumed|protested|pursued|urged|groaned|growled|screamed|sobbed|suggested|"
    "explained|agreed|insisted|persisted|retorted|rejoined|responded|thought|went on"
)
CAPITALIZED = "[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+"  # Latin-1 letters too: 'Hélène', 'Gräfin'
NAME = (rf"(?:the\s+)?((?:(?:Mr|Mrs|Ms|Dr|St|Mme|Mlle)\.\s+|{CAPITALIZED}\s+)?"  # a title, with its period
        rf"{CAPITALIZED}(?:['’-][A-Z]?[a-z]+)?(?:(?:(?<=St)\.)?\s+{CAPITALIZED}){{0,2}})")  # O'Brien, St. Simon
WHO = rf"(?:{NAME}|(I)\b)"  # a name, or the first-person narrator ('said I')
TAG_AFTER = [re.compile(rf"^\W*(?:{SPEECH_VERBS})\s+{WHO}"),
             re.compile(rf"^\W*{WHO}\s+(?:\w+ly\s+)?(?:{SPEECH_VERBS})\b")]
TAG_BEFORE = [re.compile(rf"{WHO}\s+(?:\w+ly\s+)?(?:{SPEECH_VERBS})(?:,?\s+saying)?\W*$"),
              re.compile(rf"(?:{SPEECH_VERBS})\s+{WHO}\W*$")]
TAG_FOLLOWS = re.compile(rf"\W*(?:(?:{SPEECH_VERBS})\b|(?:he|she|they|we|I|{CAPITALIZED})\s+(?:\w+ly\s+)?(?:{SPEECH_VERBS})\b)")
MID_SENTENCE_CAPITAL = re.compile(  # after a lower-case word or a comma, or after 'Mr.' / 'Mrs.'
    rf"(?:(?<=[a-zß-öø-ÿ,;] )|(?<=[A-Z][a-z]\. )|(?<=[A-Z][a-z]{{2}}\. )){CAPITALIZED}")
LOWER_WORD = re.compile(r"\b[a-zß-öø-ÿ]+\b")


@dataclass(frozen=True)
class WordUse:
    """How the book writes its words: capitalized mid-sentence, or lower case."""

    capitalized: Counter
    lower: Counter

    @classmethod
    def of(cls, book: Book) -> "WordUse":
        capitalized, lower = Counter(), Counter()
        for chapter in book.chapters:
            for paragraph in chapter.paragraphs:
                capitalized.update(MID_SENTENCE_CAPITAL.findall(paragraph))
                lower.update(LOWER_WORD.findall(paragraph))
        return cls(capitalized, lower)

    def is_name(self, word: str) -> bool:
        return word not in NOT_NAMES and self.lower[word.lower()] < self.capitalized[word] > 0


def clean_name(raw: str, words: WordUse) -> str | None:
    """The name in a tag's capitalized words ('Then Holmes' -> 'Holmes'), or None ('Mr', 'Very').

    Leading words that are not names go; what is left needs a name as the book uses one (for a
    single word) or at least one such word (for 'Jefferson Hope', whose 'hope' is also a word)."""
    parts = raw.replace(".", ". ").split()
    bare = [part.rstrip(".") for part in parts]
    start = next((n for n, word in enumerate(bare)
                  if words.is_name(word) or (word in HONORIFICS and n + 1 < len(bare))), len(bare))
    names = [word for word in bare[start:] if word not in HONORIFICS]
    if not names or not (any if len(names) > 1 else all)(words.is_name(word) for word in names):
        return None
    return " ".join(parts[start:])


def tag_name(narration_after: str, narration_before: str) -> str | None:
    """The raw name a speech tag gives next to a quotation, if any."""
    for pattern in TAG_AFTER:
        if match := pattern.match(narration_after[:80]):
            return match.group(1) or match.group(2)
    for pattern in TAG_BEFORE:
        if match := pattern.search(narration_before[-80:]):
            return match.group(1) or match.group(2)
    return None


def name_parts(name: str) -> tuple[str | None, str | None, str]:
    """('Mr', 'Jabez', 'Wilson') from 'Mr. Jabez Wilson'; None where the name has no title or first name."""
    words = name.replace(".", " ").split()
    title = words.pop(0) if len(words) > 1 and words[0] in HONORIFICS else None
    return title, words[0] if len(words) > 1 else None, words[-1]


def cast(names: Counter) -> dict[str, str]:
    """Every tag's name -> its speaker: one character's names as one label (the book's most used form).

    A surname's forms ('Mr. Wilson', 'Jabez Wilson', 'Mr. Jabez Wilson', 'Wilson') are one person when
    no two of them disagree on a title or a first name ('Mr. Bennet' and 'Mrs. Bennet' stay two, and so
    does 'Bennet', which could be either); a first name alone ('Sherlock') joins the one person it opens.
    """
    parts = {name: name_parts(name) for name in names}
    person = {name: name for name in names}
    by_surname: dict[str, list[str]] = {}
    for name, (_, _, surname) in parts.items():
        by_surname.setdefault(surname, []).append(name)
    for forms in by_surname.values():
        if all(agree(parts[a], parts[b]) for a in forms for b in forms):
            person.update({form: forms[0] for form in forms})
    for name, (title, first, surname) in parts.items():
        owners = {person[n] for n, (_, f, _) in parts.items() if f == surname}
        if title is None and first is None and len(by_surname[surname]) == 1 and len(owners) == 1:
            person[name] = owners.pop()
    groups: dict[str, list[str]] = {}
    for name, root in person.items():
        groups.setdefault(root, []).append(name)
    return {member: max(members, key=lambda n: (names[n], len(n))) for members in groups.values() for member in members}


def agree(a: tuple[str | None, str | None, str], b: tuple[str | None, str | None, str]) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a[:2], b[:2]))


# --- the book's dialogue -----------------------------------------------------------------------


@dataclass(frozen=True)
class QuotedParagraph:
    text: str
    spans: list[tuple[int, int]]  # speech only: scare quotes are narration
    tag: str | None  # the cleaned name a tag gives, NARRATOR for a first-person 'said I', or None
    unclosed: bool


def at_word_bounds(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans widened to whole words ('‘No’, said' -> '‘No’,'), joined where they then touch, so that
    speech and narration part only at spaces and the runs give the text back."""
    widened: list[tuple[int, int]] = []
    for a, b in spans:
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        while b < len(text) and not text[b].isspace():
            b += 1
        if widened and a <= widened[-1][1]:
            a = widened.pop()[0]
        widened.append((a, b))
    return widened


def quoted_paragraph(text: str, style: QuoteStyle, words: WordUse) -> QuotedParagraph:
    """A paragraph's speech and tag. A short quotation is speech when it opens the paragraph or a tag
    is next to it ('‘Not yet’, said Alice, ‘not yet’.': British punctuation outside the marks); else
    it is a quoted word."""
    quotations, unclosed = quote_spans(text, style)
    speech: list[tuple[int, int]] = []
    previous_end = -1
    for a, b in quotations:
        after_tag = bool(speech) and speech[-1][1] == previous_end and TAG_FOLLOWS.match(text, previous_end)
        if a == 0 or is_speech(text[a:b]) or TAG_FOLLOWS.match(text, b) or after_tag:
            speech.append((a, b))
        previous_end = b
    spans = at_word_bounds(text, speech)
    tag = None
    for n, (a, b) in enumerate(spans):
        after = text[b: spans[n + 1][0] if n + 1 < len(spans) else len(text)]
        raw = tag_name(after, text[spans[n - 1][1] if n else 0: a])
        if raw and (tag := NARRATOR if raw == "I" else clean_name(raw, words)):
            break
    return QuotedParagraph(text, spans, tag, unclosed and bool(spans) and spans[-1][1] == len(text))


def runs_of(paragraph: QuotedParagraph, speaker: str) -> list[Run]:
    """The paragraph as narration and speech runs in order, speech given to `speaker`."""
    cuts = [0] + [i for span in paragraph.spans for i in span] + [len(paragraph.text)]
    pieces = [paragraph.text[a:b] for a, b in zip(cuts, cuts[1:])]  # narration, speech, narration, ...
    return [(speaker if index % 2 else NARRATOR, text.strip()) for index, text in enumerate(pieces) if text.strip()]


def book_runs(book: Book) -> list[list[list[Run]]]:
    """Each chapter's paragraphs as (speaker, text) runs: the whole book read twice (names, then speakers)."""
    style, words = quote_style(book), WordUse.of(book)
    quoted = [[quoted_paragraph(p, style, words) for p in chapter.paragraphs] for chapter in book.chapters]
    labels = cast(Counter(q.tag for chapter in quoted for q in chapter if q.tag and q.tag != NARRATOR))
    labels[NARRATOR] = NARRATOR
    return [chapter_runs(chapter, labels, style) for chapter in quoted]


def chapter_runs(chapter: list[QuotedParagraph], labels: dict[str, str], style: QuoteStyle) -> list[list[Run]]:
    """Speakers paragraph by paragraph: a tag's name; else the speaker of a speech still open; else, in an
    exchange of two named speakers (A, B, ?), the one whose turn it is (A); else DIALOGUE."""
    runs, carried, turns = [], None, []  # carried: who is still speaking; turns: speakers of the exchange so far
    for paragraph in chapter:
        if not paragraph.spans:
            runs.append(runs_of(paragraph, NARRATOR))
            carried, turns = None, []
            continue
        if paragraph.tag:
            speaker = labels[paragraph.tag]
        elif carried is not None and paragraph.text.startswith(style.open):
            speaker = carried
        elif len(turns) >= 2 and DIALOGUE not in turns[-2:] and turns[-1] != turns[-2]:
            speaker = turns[-2]
        else:
            speaker = DIALOGUE
        runs.append(runs_of(paragraph, speaker))
        carried = speaker if paragraph.unclosed else None
        turns.append(speaker)
    return runs
