"""Quoted speech: the book's own quote marks, and where each quotation of a paragraph starts and ends.

Quote marks are the book's own: the mark that opens most of its paragraphs (“ ‘ " ' „ » «) opens its
dialogue; quotes of the other kind inside a speech are nested and stay part of it. A closing single
mark is told from an apostrophe by its neighbours ("don’t", "’tis", "the boys’ room"). A short
quotation is speech when it opens the paragraph, ends in punctuation, or a tag is next to it; else
it is a quoted word (narration); so is a title or a lone lower-case word inside a running sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# --- quote marks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteStyle:
    open: str
    close: str


PAIRS = (("“", "”"), ("‘", "’"), ('"', '"'), ("'", "'"), ("„", "“"), ("»", "«"), ("«", "»"),  # en, de, fr
         ("「", "」"), ("『", "』"))  # CJK
STYLES = {mark: QuoteStyle(mark, close) for mark, close in PAIRS}
ELISION = re.compile(r"(?:tis|twas|twere|twill|twould|em|cause|tween|neath|gainst|ow|n)\b")  # 'tis, 'em: lower case
OPENING_CONTEXT = set("([{—–-“‘\"'")
DASHES = "—–-"


def quote_style(paragraphs: list[str]) -> QuoteStyle:
    """The book's dialogue mark: the one that opens the most paragraphs, else the opening mark it uses
    most (“ 「 « „), else straight double quotes."""
    starts: Counter = Counter()
    for paragraph in paragraphs:
        if paragraph[:1] in STYLES and not ELISION.match(paragraph, 1):
            starts[paragraph[0]] += 1
    if starts:
        return STYLES[starts.most_common(1)[0][0]]
    used = Counter(ch for p in paragraphs for ch in p if ch in "“「«„")  # 'he said: 「…」' opens no paragraph
    return STYLES[used.most_common(1)[0][0] if used else '"']


def mark_kind(text: str, i: int, style: QuoteStyle) -> str | None:
    """'open', 'close', 'either' (a straight mark that context cannot tell) or None (an apostrophe)."""
    before, after = text[i - 1: i], text[i + 1: i + 2]
    spaced_before, spaced_after = not before or before.isspace(), not after or after.isspace()
    if text[i] == '"':
        return "either"  # double marks are never apostrophes: the count decides
    if style.open != style.close:  # curly: ‘ opens, ’ closes unless it sits inside a word or starts one
        if text[i] == style.open:
            return None if text[i] == "‘" and ELISION.match(text, i + 1) else "open"
        apostrophe = text[i] == "’" and ((before.isalpha() and after.isalpha()) or spaced_before)  # don’t, ’tis
        return None if apostrophe else "close"  # 「…」 sits between letters, « … » has spaces inside
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


CLOSING_MARKS = "”’\"'«»“」』"  # what may close a quotation


def is_speech(quote: str) -> bool:
    """Speech, not a quoted word: it ends in punctuation inside the marks or runs to four words."""
    inner = quote[1:].rstrip().rstrip(CLOSING_MARKS).strip()
    return bool(re.search(r"[.,!?;:—\-。！？，、；：…]$", inner)) or len(inner.split()) >= 4


def wide(ch: str) -> bool:
    """A CJK character or mark: their scripts put no spaces between words."""
    return "\u2e80" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def at_word_bounds(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans widened to whole words ('‘No’, said' -> '‘No’,'), joined where they then touch, so that
    speech and narration part only at spaces or dashes and the runs give the text back."""
    widened: list[tuple[int, int]] = []
    for a, b in spans:
        while a > 0 and not text[a - 1].isspace() and text[a - 1] not in DASHES and not wide(text[a - 1]):
            a -= 1  # 'Emma--"nothing': a dash parts words; so does any CJK character (no spaces there)
        while b < len(text) and not text[b].isspace() and text[b] not in DASHES and not wide(text[b]):
            b += 1
        if widened and a <= widened[-1][1]:
            a = widened.pop()[0]
        widened.append((a, b))
    return widened


IN_SENTENCE_BEFORE = re.compile(r"(?:[a-zß-öø-ÿ]\s+|\()$")  # 'a bottle marked ‘poison,’ it is…', '(“stormy,” the'
IN_SENTENCE_AFTER = re.compile(r"\W{0,2}\s+[a-zß-öø-ÿ]")
TITLE_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
MINOR_WORDS = frozenset("a an and at by de del der di du for from in la le of on or the to und von".split())


def title_cased(quote: str) -> bool:
    """'Beware of the Dog', 'Adams Jaffa Colony': every word capitalized but the small ones, two at least."""
    words = TITLE_WORD.findall(quote)
    major = [w for w in words if w.lower() not in MINOR_WORDS]
    return 2 <= len(major) and len(words) <= 6 and all(w[0].isupper() for w in major)


def quoted_words(text: str, a: int, b: int, after_speech: bool = False) -> bool:
    """A quotation inside a running sentence (a lower-case word or a bracket just before it) is quoted
    words, not speech, when it is three words at most and the sentence goes on in lower case after it; or,
    unless speech came before it in the paragraph, when it is a title ('with the legend “Beware of the
    Dog,”') or one lower-case word ('I admire “cheek.”')."""
    if not IN_SENTENCE_BEFORE.search(text, max(0, a - 3), a):
        return False
    inner = text[a + 1:b].rstrip(CLOSING_MARKS)
    words = len(inner.split())
    if words <= 3 and IN_SENTENCE_AFTER.match(text, b):
        return True
    one_word = words == 1 and inner.lstrip()[:1].islower()
    return not after_speech and (title_cased(inner) or one_word)


def speech_spans(text: str, style: QuoteStyle, tag_follows,
                 verb_before=None) -> tuple[list[tuple[int, int]], bool]:
    """A paragraph's speech as word-bounded spans, and whether the last one runs on (unclosed).

    `tag_follows(text, i)` tells whether a speech tag starts at i ('‘Not yet’, said Alice, ‘not yet’.':
    British punctuation outside the marks makes a short quotation speech); `verb_before(text, i)` whether a
    speech verb ends just before i ('I heard her call “Cynthia” impatiently': a short quotation is speech)."""
    quotations, unclosed = quote_spans(text, style)
    speech: list[tuple[int, int]] = []
    previous_end = -1
    for a, b in quotations:
        after_tag = bool(speech) and speech[-1][1] == previous_end and tag_follows(text, previous_end)
        if a == 0 or tag_follows(text, b) or after_tag or (verb_before is not None and verb_before(text, a)) \
                or (is_speech(text[a:b]) and not quoted_words(text, a, b, bool(speech))):
            speech.append((a, b))
        previous_end = b
    spans = at_word_bounds(text, speech)
    return spans, unclosed and bool(spans) and spans[-1][1] == len(text)


# --- dash dialogue ------------------------------------------------------------------------------

DASH_OPENER = re.compile(r"(?:--|[—–―])\s*(?=\S)|-(?=[^\W\d_]|[¿¡«\s])")  # '—Oui', '--Vamos', '-Letras'
INNER_DASH = re.compile(r"\s*(?:--|[—–―])\s*|\s+-(?=\w)|(?<=\w)-\s+|(?<=[,.;!?])-")  # ' -respondió Sancho-, pocas'


def uses_dash_dialogue(paragraphs: list[str], style: QuoteStyle) -> bool:
    """A book writes its dialogue with dashes when more of its paragraphs open with one than with its
    quote mark (and at least a few dozen do)."""
    dashes = sum(1 for p in paragraphs if DASH_OPENER.match(p))
    marks = sum(1 for p in paragraphs if p.startswith(style.open))
    return dashes >= max(20, len(paragraphs) // 50) and dashes > marks


def dash_spans(text: str, tag_follows) -> list[tuple[int, int]]:
    """A dash-dialogue paragraph's speech: from the opening dash, parted by narration between dashes
    ('—Vamos —dijo el viajero—, humanidad tenemos') or, without an inner dash, by a tag after a comma
    ('--Mais, disait timidement Mme de Rênal, quel tort…': the tag runs to its clause's end)."""
    opener = DASH_OPENER.match(text)
    if opener is None:
        return []
    spans, start, speaking = [], opener.start(), True
    inner = list(INNER_DASH.finditer(text, opener.end()))
    for dash in inner:
        if speaking:
            spans.append((start, dash.start()))
        else:
            start = dash.end() if text[dash.end():].strip(" ,.;") else len(text)
        speaking = not speaking
    if speaking:
        spans += comma_incise(text, start, tag_follows) if not inner else [(start, len(text))]
    return [(a, b) for a, b in spans if re.search(r"\w", text[a:b])]


CLAUSE_END = re.compile(r"(?<!\bM)(?<!\bMr)(?<!\bMme)(?<!\bMlle)(?<!\bMrs)(?<!\bDr)(?<!\bSt)[,;.!?](?:\s|$)")


def comma_incise(text: str, start: int, tag_follows) -> list[tuple[int, int]]:
    """Speech from `start` to the paragraph's end, less an inserted tag: ', dit-il,' / ', répondit M. de
    Rênal avec…' (to the next comma, semicolon or full stop)."""
    for comma in re.finditer(r"[,?!]\s+", text[start:]):
        at = start + comma.end()
        if tag_follows(text, at):
            end = CLAUSE_END.search(text[at:])
            resume = at + end.end() if end else len(text)
            return [(start, start + comma.start() + 1)] + ([(resume, len(text))] if text[resume:].strip() else [])
    return [(start, len(text))]
