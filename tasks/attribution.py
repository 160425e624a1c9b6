"""Who says each quotation: tags, then pronouns and descriptions, then the turns of a conversation.

1. A tag next to the speech, after it ('"…," said Emma', '"…," Emma said', '"…," cried his wife',
   '"…" was Lucy's reply') or before it ('Aziz … said: "…"', 'He turned and said, "…"'), across
   dashes and colons, with a verb from the language's lexicon (tasks/speech_verbs.py). A name in
   it is looked up in the book's characters (tasks/characters.py); 'I' is the narrator; a pronoun
   or a description ('his wife', 'the old man') is the conversation's speaker of that gender who is
   not the one who just spoke, else the latest fitting mention; a title ('the Colonel') is the one
   character of that title.
2. An untagged speech takes the speaker of a speech still running on from the paragraph before, of
   a tagged speech in its own paragraph, or of the character its narration is about ('Emma smiled.
   "…"').
3. What is still open follows the conversation's turns: the one addressed by name in the speech
   before replies; else speakers alternate (A, B, A, B) forwards and backwards from known turns.

Each utterance keeps how it was decided and a confidence; one without any is DIALOGUE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .characters import CAPITALIZED, TITLE, Cast, Character
from .speech_verbs import (ENGLISH_PERSON_NOUNS, ENGLISH_POSSESSIVES, ENGLISH_REPLY_NOUNS, PRONOUNS, SPEECH_PHRASES,
                           TITLES, speech_verbs)

NARRATOR = "narrator"  # the default speaker, and a first-person narrator's own speech
DIALOGUE = "dialogue"  # quoted speech whose speaker the text does not tell
CONVERSATION_BREAK_WORDS = 60  # a narration paragraph this long ends a conversation
LOOKBACK_PARAGRAPHS = 6  # how far back a pronoun looks for a fitting mention


@dataclass
class Utterance:
    """One speech of a paragraph and who says it."""

    paragraph: int  # index into the chapter's paragraphs
    span: tuple[int, int]
    speaker: Character | str | None = None  # a Character, NARRATOR, or None (not yet known)
    how: str = ""
    confidence: float = 0.0
    addressee: Character | None = None
    continued: bool = False  # the paragraph opens by carrying on the previous paragraph's speech

    @property
    def label(self) -> str:
        if isinstance(self.speaker, Character):
            return self.speaker.label
        return self.speaker or DIALOGUE


@lru_cache(maxsize=None)
def tag_patterns(language: str) -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """(after-verb-first, after-subject-first, before, reply-noun) patterns for a language's tags."""
    verbs = sorted(speech_verbs(language), key=len, reverse=True)
    phrases = [p.replace(" ", r"\s+") for lang in {language, "en"} for p in SPEECH_PHRASES.get(lang, ())]
    verb = rf"(?:{'|'.join(phrases + [re.escape(v) for v in verbs])})"
    pronouns = {**PRONOUNS["en"], **PRONOUNS.get(language, {})}
    pronoun = "|".join(sorted(pronouns, key=len, reverse=True))
    desc = "|".join(ENGLISH_POSSESSIVES)
    subject = (rf"(?:(?P<pronoun>\b(?:{pronoun})\b)"
               rf"|(?:the\s+)?(?:(?P<title>{TITLE})\.?\s+)?(?P<name>{CAPITALIZED}(?:\s+{CAPITALIZED}){{0,2}})"
               rf"|(?P<det>\b(?:{desc}))\s+(?:[a-z]+\s+){{0,2}}?(?P<noun>[a-z]+)\b)")
    adverb = r"(?:\w+ly\s+|again\s+|now\s+|then\s+|at\s+last\s+|at\s+once\s+)?"
    aux = r"(?:had\s+|has\s+|would\s+|could\s+|did\s+|was\s+|is\s+)?"
    lead = r"[\s,;:.!?—–-]*"
    after_verb_first = re.compile(rf"{lead}{adverb}{verb}\b\s*,?\s*{adverb}{subject}", re.IGNORECASE * 0)
    after_subject_first = re.compile(rf"{lead}{subject}\s*,?\s+{adverb}{aux}{adverb}{verb}\b")
    before = re.compile(rf"{subject}[^.!?“”\"]{{0,80}}?\b{verb}\b(?:\s+[\w’']+){{0,4}}?\s*[,:;—–-]*\s*$")
    reply = re.compile(rf"{lead}(?:was|were|came)\s+{subject}(?:['’]s)?\s+(?:\w+\s+)?(?:{'|'.join(ENGLISH_REPLY_NOUNS)})\b")
    return after_verb_first, after_subject_first, before, reply


@dataclass
class Context:
    """What the attribution of a chapter knows as it reads: the cast and the mentions so far."""

    cast: Cast
    language: str
    mentions: list[list[tuple[int, int, Character]]] = field(default_factory=list)  # per paragraph, narration only


def tag_subject(after: str, before: str, language: str) -> tuple[re.Match | None, str]:
    """The tag next to a speech, if any, and where it was found ('after' or 'before')."""
    after_verb_first, after_subject_first, before_pattern, reply = tag_patterns(language)
    window = after[:120]
    for pattern in (after_verb_first, after_subject_first, reply):
        if match := pattern.match(window):
            return match, "after"
    if match := before_pattern.search(before[-160:]):
        return match, "before"
    return None, ""


def gendered(cast_list: list[Character], gender: str) -> list[Character]:
    return [c for c in cast_list if not gender or c.gender in (gender, "")]


def by_gender(gender: str, context: Context, paragraph: int, before_mentions: list[Character],
              recent_speakers: list[Character | str]) -> tuple[Character | None, float]:
    """A pronoun's or description's character: first a fitting mention earlier in the paragraph, then the
    conversation's fitting speaker who did not just speak, then the latest fitting mention before."""
    def fits(c: Character) -> bool:
        return not gender or c.gender == gender

    for character in before_mentions:
        if fits(character):
            return character, 0.8
    speakers = [s for s in recent_speakers if isinstance(s, Character)]
    fitting = list(dict.fromkeys(s for s in reversed(speakers) if fits(s)))
    if fitting:
        last = recent_speakers[-1] if recent_speakers else None
        others = [s for s in fitting if s is not last]
        return (others or fitting)[0], 0.7 if others else 0.5
    for back in range(paragraph - 1, max(-1, paragraph - LOOKBACK_PARAGRAPHS), -1):
        for _, _, character in reversed(context.mentions[back]):
            if fits(character):
                return character, 0.5
    return None, 0.0


def resolve(match: re.Match, context: Context, paragraph: int, before_mentions: list[Character],
            recent_speakers: list[Character | str]) -> tuple[Character | str | None, str, float]:
    """The speaker a tag's subject stands for: (speaker, how, confidence)."""
    language = context.language
    if match["pronoun"]:
        word = match["pronoun"]
        gender = {**PRONOUNS["en"], **PRONOUNS.get(language, {})}.get(word, PRONOUNS["en"].get(word.lower(), ""))
        if gender == "I":
            return NARRATOR, "tag: I", 0.95
        if word.lower() in ("they", "we"):
            return None, "", 0.0
        character, confidence = by_gender(gender, context, paragraph, before_mentions, recent_speakers)
        return character, "tag: pronoun", confidence
    if match["name"]:
        character = context.cast.named(match["title"], match["name"])
        if character is None and match["title"] and TITLES.get(match["title"]) is not None:
            character = titled(context.cast, match["title"])
        return (character, "tag: name", 0.95) if character else (None, "", 0.0)
    noun = match["noun"]
    if noun not in ENGLISH_PERSON_NOUNS:
        return None, "", 0.0
    if character := titled(context.cast, noun.capitalize()):
        return character, "tag: title", 0.85
    gender = ENGLISH_PERSON_NOUNS[noun]
    if gender == "" and match["det"] in ("his", "her"):
        return None, "", 0.0
    character, confidence = by_gender(gender, context, paragraph, before_mentions, recent_speakers)
    return character, "tag: description", confidence * 0.9


def titled(cast: Cast, title: str) -> Character | None:
    """The one character the book gives this title ('the Colonel'), if exactly one."""
    holders = [c for c in cast.characters if title in c.titles]
    return holders[0] if len(holders) == 1 else None


VOCATIVE = re.compile(rf"(?:^|[,;!?—–]\s*|\b(?:dear|my dear|oh|Oh|O|ah|Ah)\s+)(?:(?P<title>{TITLE})\.?\s+)?"
                      rf"(?P<name>{CAPITALIZED}(?:\s+{CAPITALIZED})?)(?=\s*(?:[,.!?;—–]|$))")


def addressee(speech: str, cast: Cast) -> Character | None:
    """The character a speech addresses by name ('Emma, you…', '…, Mr. Knightley?'), if any."""
    inner = speech.strip().strip("“”‘’\"'«»„").strip()
    for match in VOCATIVE.finditer(inner):
        if character := cast.named(match["title"], match["name"]):
            return character
    return None


def narration_mentions(text: str, spans: list[tuple[int, int]], cast: Cast) -> list[tuple[int, int, Character]]:
    """The characters named in a paragraph's narration (outside its speech), in order."""
    return [(a, b, c) for a, b, c in cast.mentions(text) if not any(s <= a < e for s, e in spans)]


SUBJECT_START = re.compile(r"\s*(?:[A-Z][a-z]+\s+)?(?P<pronoun>He|She)\b")


def chapter_utterances(paragraphs: list[str], spans: list[list[tuple[int, int]]], unclosed: list[bool],
                       context: Context, opening: str) -> list[list[Utterance]]:
    """Every speech of a chapter with its speaker decided (see the module's docstring)."""
    context.mentions = [narration_mentions(text, spans[p], context.cast) for p, text in enumerate(paragraphs)]
    chapter: list[list[Utterance]] = []
    recent: list[Character | str | None] = []  # speakers of the conversation's turns so far
    quiet = 0  # words of narration since the last speech
    for p, text in enumerate(paragraphs):
        if not spans[p]:
            chapter.append([])
            quiet += len(text.split())
            if quiet > CONVERSATION_BREAK_WORDS:
                recent = []
            continue
        quiet = 0
        continued = p > 0 and unclosed[p - 1] and text.startswith(opening) and bool(chapter[-1])
        lead_in = text_after_speech(paragraphs[p - 1], spans[p - 1]) if p else ""
        utterances = paragraph_utterances(p, text, spans[p], context, [r for r in recent if r], lead_in)
        if continued and not utterances[0].how.startswith("tag"):
            for u in utterances:
                if not u.how.startswith("tag"):
                    u.speaker, u.how, u.continued = None, "continued", True
        chapter.append(utterances)
        if not utterances[0].continued:
            recent.append(utterances[0].speaker)
    fill_turns(chapter)
    for p, utterances in enumerate(chapter):  # a speech running on keeps its speaker
        for u in utterances:
            if u.continued and chapter[p - 1]:
                u.speaker, u.confidence = chapter[p - 1][-1].speaker, chapter[p - 1][-1].confidence
    return chapter


def text_after_speech(text: str, spans: list[tuple[int, int]]) -> str:
    """A paragraph's narration after its last speech (all of it where it has none), blanked before."""
    return " " * spans[-1][1] + text[spans[-1][1]:] if spans else text


def paragraph_utterances(p: int, text: str, spans: list[tuple[int, int]], context: Context,
                         recent: list[Character | str], lead_in: str) -> list[Utterance]:
    """A paragraph's speeches: each by its own tag (or, for a paragraph that opens with speech, the tag
    ending the narration paragraph before: 'Emma continued:'); untagged ones by the paragraph's tag
    or its narration."""
    utterances = []
    for n, (a, b) in enumerate(spans):
        after = text[b: spans[n + 1][0] if n + 1 < len(spans) else len(text)]
        start = spans[n - 1][1] if n else 0
        u = Utterance(p, (a, b), addressee=addressee(text[a:b], context.cast))
        match, where = tag_subject(after, text[start:a], context.language)
        mentions = context.mentions[p]
        if match:
            at = b + match.start() if where == "after" else start + max(0, a - start - 160) + match.start()
        elif n == 0 and not text[:a].strip() and lead_in and (match := lead_in_tag(lead_in, context.language)):
            at, mentions = len(lead_in) - 160 + match.start(), context.mentions[p - 1]
        if match:
            before_mentions = [c for s, _, c in mentions if s < at]
            u.speaker, u.how, u.confidence = resolve(match, context, p, before_mentions, recent)
            u.how = u.how if u.speaker is not None else ""
        utterances.append(u)
    share_paragraph_speaker(utterances, text)
    if all(u.speaker is None for u in utterances):
        speaker = narration_subject(p, text, spans, context, recent)
        if speaker is not None:
            for u in utterances:
                u.speaker, u.how, u.confidence = speaker, "narration", 0.6
    return utterances


LEAD_IN_END = re.compile(r"(?:[,:;—–-]|\w)\s*$")


def lead_in_tag(previous: str, language: str) -> re.Match | None:
    """A tag that ends a narration paragraph and introduces the next one's speech ('Harriet thus began:')."""
    if not LEAD_IN_END.search(previous):
        return None
    tail = previous[-160:].rjust(160)
    return tag_patterns(language)[2].search(tail)


def share_paragraph_speaker(utterances: list[Utterance], text: str) -> None:
    """Untagged speeches of a paragraph take the nearest tagged one's speaker, unless nothing but space
    parts them from a speech of its own ('"All alone?" "All alone."': two speakers)."""
    for n, u in enumerate(utterances):
        if u.speaker is not None:
            continue
        for m in sorted(range(len(utterances)), key=lambda m: abs(m - n)):
            other = utterances[m]
            lo, hi = sorted((u.span, other.span))
            if other.speaker is not None and other.how.startswith("tag") and text[lo[1]:hi[0]].strip():
                u.speaker, u.how, u.confidence = other.speaker, "paragraph", other.confidence * 0.95
                break


def narration_subject(p: int, text: str, spans: list[tuple[int, int]], context: Context,
                      recent: list[Character | str]) -> Character | None:
    """The character an untagged speech's narration is about: its first name, or a leading He/She."""
    mentions = context.mentions[p]
    first_speech = spans[0][0]
    if match := SUBJECT_START.match(text) if first_speech > 0 else None:
        if not mentions or mentions[0][0] > match.end():
            character, _ = by_gender("M" if match["pronoun"] == "He" else "F", context, p, [], recent)
            return character
    return mentions[0][2] if mentions else None


def fill_turns(chapter: list[list[Utterance]]) -> None:
    """Untagged turns of each conversation: the one addressed before replies; else A, B, A, B."""
    turns = [utterances for utterances in chapter if utterances and not utterances[0].continued]
    for n, turn in enumerate(turns):
        if turn[0].speaker is None:
            speaker, how = turn_speaker(turns, n, -1)
            set_turn(turn, speaker, how)
    for n in range(len(turns) - 1, -1, -1):
        if turns[n][0].speaker is None:
            speaker, how = turn_speaker(turns, n, +1)
            set_turn(turns[n], speaker, how)


def turn_speaker(turns: list[list[Utterance]], n: int, step: int) -> tuple[Character | str | None, str]:
    def speaker(k: int):
        return turns[k][0].speaker if 0 <= k < len(turns) else None

    near, far = speaker(n + step), speaker(n + 2 * step)
    mine = turns[n][0].addressee
    if step < 0 and near is not None and 0 <= n - 1 and turns[n - 1][0].addressee not in (None, near):
        return turns[n - 1][0].addressee, "turn: addressed"
    if near is not None and far is not None and near is not far and far is not mine:
        return far, "turn: alternation"
    return None, ""


def set_turn(turn: list[Utterance], speaker, how: str) -> None:
    for u in turn:
        if u.speaker is None:
            u.speaker, u.how, u.confidence = speaker, how, 0.5 if speaker is not None else 0.0
