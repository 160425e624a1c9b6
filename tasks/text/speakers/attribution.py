"""Who says each quotation of a chapter: named tags first, then everything else by the conversation.

Pass 1 reads every speech's tag (tasks/text/speakers/speech_tags.py): a name or a title gives its character, 'I'
the narrator. A paragraph's untagged speeches share its tagged speech's speaker; a paragraph that
carries on the previous one's unclosed speech keeps that speaker.

Pass 2 decides the rest one conversation at a time (a turn: a paragraph of speech). Each open turn
scores the characters who could speak it from its own text: the subject of the narration around the
speech or before the pronoun ('Emma smiled. "…"', 'Emma looked up. "…," she said'), the names of the
paragraph before, the one the previous speech addressed by name (they reply) and the one the next
speech addresses, against the one this speech addresses; a pronoun or a description keeps only
characters of its gender, and 'her mother' is the mother of the 'her' (Mrs. and the family's
surname). Anyone of the conversation may take any turn, and tasks/text/speakers/turns.py then finds the best
sequence (people take turns; nobody answers themselves). A turn no evidence points to is DIALOGUE.

Every utterance keeps how it was decided and a confidence (0..1).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from .characters import CAPITALIZED, TITLE, Cast, Character, title_of
from .speech_tags import Tag, find_tags, kin_of, lead_in_tags, read_tag
from .turns import OTHER, decode

NARRATOR = "narrator"  # the default speaker, and a first-person narrator's own speech
DIALOGUE = "dialogue"  # quoted speech whose speaker the text does not tell
CONVERSATION_BREAK_WORDS = 80  # a narration paragraph this long ends a conversation
LOOKBACK_PARAGRAPHS = 4  # how far back a pronoun looks for a fitting mention

# what a turn's own text counts for (+) and against (-) a character speaking it
SUBJECT, OTHER_MENTION, PREVIOUS_PARAGRAPH, PARTICIPANT, TITLE_HOLDER = 4.8, 1.1, 2.5, 0.8, 2.5
ADDRESSED_BEFORE, ADDRESSED_NOW, ADDRESSED_AFTER, UNKNOWN_GENDER = 3.2, -3.0, 2.4, -1.0
UNNAMED, UNNAMED_TAGGED = 0.0, -2.0  # the score of someone unnamed (OTHER) speaking an open turn

Speaker = Character | str | None  # a Character, NARRATOR, DIALOGUE, or None (not yet known)


@dataclass(eq=False)
class Utterance:
    """One speech of a paragraph and who says it."""

    paragraph: int  # index into the chapter's paragraphs
    span: tuple[int, int]
    speaker: Speaker = None
    how: str = ""
    confidence: float = 0.0
    addressee: Character | None = None
    tag: Tag | None = None
    continued: bool = False  # carries on the previous paragraph's unclosed speech

    @property
    def label(self) -> str:
        if isinstance(self.speaker, Character):
            return self.speaker.label
        return self.speaker or DIALOGUE

    def decide(self, speaker: Speaker, how: str, confidence: float) -> None:
        self.speaker, self.how, self.confidence = speaker, how, round(min(1.0, max(0.0, confidence)), 2)


NAMED = rf"(?:(?P<title>{TITLE})\.?\s+)?(?P<name>{CAPITALIZED}(?:\s+{CAPITALIZED})?)"
VOCATIVES = (re.compile(rf"(?:^|[,;!?—–]\s*|\b(?:dear|oh|Oh|O|ah|Ah)\s+){NAMED}(?=\s*(?:[,.!?;—–]|$))"),)


def addressee(speech: str, cast: Cast) -> Character | None:
    """The character a speech addresses by name ('Emma, you…', '…, Mr. Knightley?'), if any."""
    inner = speech.strip().strip("“”‘’\"'«»„—–-").strip()
    for vocative in VOCATIVES:
        for match in vocative.finditer(inner):
            if character := cast.named(match["title"], match["name"]):
                return character
    return None


@dataclass
class Chapter:
    """A chapter being attributed: its paragraphs, their speech spans and narration mentions."""

    paragraphs: list[str]
    spans: list[list[tuple[int, int]]]
    cast: Cast
    language: str
    mentions: list[list[tuple[int, int, Character]]] = field(default_factory=list)
    said: list[list[Utterance]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.mentions = [[(a, b, c) for a, b, c in self.cast.mentions(text) if not any(s <= a < e for s, e in spans)]
                         for text, spans in zip(self.paragraphs, self.spans)]


def chapter_utterances(paragraphs: list[str], spans: list[list[tuple[int, int]]], unclosed: list[bool],
                       cast: Cast, language: str, opening: str) -> list[list[Utterance]]:
    """Every speech of a chapter with its speaker decided (see the module's docstring)."""
    chapter = Chapter(paragraphs, spans, cast, language)
    for p, text in enumerate(paragraphs):
        chapter.said.append(tagged_utterances(chapter, p))
        continued = p > 0 and unclosed[p - 1] and text.startswith(opening) and bool(chapter.said[p - 1])
        for u in chapter.said[p] if continued else []:
            if u.tag is None or u.tag.kind not in ("name", "title", "I"):
                u.continued = True
    for conversation in conversations(chapter):
        decide_turns(chapter, conversation)
    for p, utterances in enumerate(chapter.said):
        for u in utterances:
            if u.continued and chapter.said[p - 1]:
                before = chapter.said[p - 1][-1]
                u.decide(before.speaker, "continued", before.confidence)
            elif u.speaker is None:
                u.decide(DIALOGUE, "none", 0.0)
    return chapter.said


def tagged_utterances(chapter: Chapter, p: int) -> list[Utterance]:
    """Pass 1 for one paragraph: each speech with its tag read, named tags decided, then shared."""
    text, spans = chapter.paragraphs[p], chapter.spans[p]
    utterances = []
    for n, (a, b) in enumerate(spans):
        start = spans[n - 1][1] if n else 0
        after = text[b: spans[n + 1][0] if n + 1 < len(spans) else len(text)]
        u = Utterance(p, (a, b), addressee=addressee(text[a:b], chapter.cast))
        u.tag = first_tag(chapter, find_tags(after, text[start:a], chapter.language), b, start)
        if u.tag is None and n == 0 and p > 0 and not text[:a].strip() and not chapter.spans[p - 1]:
            previous = chapter.paragraphs[p - 1]
            u.tag = first_tag(chapter, lead_in_tags(previous, chapter.language), b, -len(previous))  # at < 0: before
        if u.tag is not None and u.tag.kind in ("name", "title"):
            u.decide(u.tag.character, f"tag: {u.tag.kind}", 0.95)
        elif u.tag is not None and u.tag.kind == "I":
            u.decide(NARRATOR, "tag: I", 0.95)
        utterances.append(u)
    for n, u in enumerate(utterances):  # untagged speeches take the paragraph's named speaker
        if u.tag is None:
            donor = next((o for o in sorted(utterances, key=lambda o: abs(utterances.index(o) - n))
                          if o.speaker is not None and parted_by_narration(text, u, o)), None)
            if donor:
                u.decide(donor.speaker, "paragraph", donor.confidence * 0.95)
    return utterances


def first_tag(chapter: Chapter, found: list[tuple[re.Match, int]], end: int, start: int) -> Tag | None:
    """The first of a speech's tags whose subject reads as someone; `start`/`end`: the narration's bounds."""
    for match, offset in found:
        at = (end if not offset else start + offset - 1) + subject_start(match)
        tag = read_tag(match, chapter.cast, chapter.language, at)
        if tag.kind != "none":
            return tag
    return None


def subject_start(match: re.Match) -> int:
    return min(match.start(g) for g in ("pronoun", "title", "name", "det") if match.start(g) >= 0)


def parted_by_narration(text: str, a: Utterance, b: Utterance) -> bool:
    """Two speeches of a paragraph with narration between are one speaker's; '"Alone?" "Alone."' is two."""
    lo, hi = sorted((a.span, b.span))
    return bool(text[lo[1]:hi[0]].strip())


def conversations(chapter: Chapter) -> list[list[int]]:
    """The chapter's turns (paragraphs of speech, not carrying on the one before), grouped into
    conversations: a narration paragraph of CONVERSATION_BREAK_WORDS or more ends one."""
    groups: list[list[int]] = [[]]
    quiet = 0
    for p, utterances in enumerate(chapter.said):
        if not utterances:
            quiet += len(chapter.paragraphs[p].split())
            if quiet >= CONVERSATION_BREAK_WORDS and groups[-1]:
                groups.append([])
            continue
        quiet = 0
        if not utterances[0].continued:
            groups[-1].append(p)
    return [group for group in groups if group]


# --- pass 2 ----------------------------------------------------------------------------------------


def turn_speaker(chapter: Chapter, turns: list[int], i: int) -> Speaker:
    return chapter.said[turns[i]][0].speaker if 0 <= i < len(turns) else None


def decide_turns(chapter: Chapter, turns: list[int]) -> None:
    """Pass 2 for one conversation: each open turn's own evidence, then the best sequence of speakers."""
    fixed = [s for s in dict.fromkeys(turn_speaker(chapter, turns, i) for i in range(len(turns))) if s is not None]
    options, hows, genders = [], [], []
    for i, p in enumerate(turns):
        pending = [u for u in chapter.said[p] if u.speaker is None and not u.continued]
        tags = [u.tag for u in pending if u.tag and u.tag.kind in ("pronoun", "description", "kin", "unknown")]
        tag = tags[0] if tags else None
        how = f"tag: {tag.kind}" if tag else "turn"
        if not pending:
            scores, how = {chapter.said[p][0].speaker: 0.0}, ""
        elif tag is not None and tag.kind == "unknown":  # 'said the lawyer': someone unnamed
            scores = {OTHER: 0.0}
        elif tag is not None and tag.kind == "kin" and (kin := kin_speaker(chapter, turns, i, tag)):
            scores = {kin: 0.0}
        else:
            scores = turn_scores(chapter, turns, i, tag, fixed)
        options.append(scores)
        hows.append(how)
        genders.append(tag.gender if tag is not None else "")
    everyone = list(dict.fromkeys(c for scores in options for c in scores if c != OTHER))  # in order of appearance
    for scores, gender in zip(options, genders):  # anyone of the conversation may take any open turn
        if len(scores) > 1:
            scores.update({c: UNKNOWN_GENDER if gender and c.gender == "" else 0.0 for c in everyone if c not in scores
                           and (not gender or (isinstance(c, Character) and c.gender in (gender, "")))})
    decoded = decode(options, [any(u.tag is not None and u.tag.continues for u in chapter.said[p][:1]) for p in turns])
    for i, (p, speaker, how) in enumerate(zip(turns, decoded, hows)):
        for n, u in enumerate(chapter.said[p]):
            if u.speaker is None and not u.continued:
                u.decide(DIALOGUE if speaker == OTHER else speaker, how, 0.3 if speaker == OTHER else CONFIDENCE[how])
        reply_within(chapter, p, decoded[i - 1] if i > 0 else None)


def reply_within(chapter: Chapter, p: int, previous: Speaker) -> None:
    """'"She went with you all alone?" "All alone."': a speech that follows another with nothing between
    and no tag of its own is the other one's reply (the previous turn's speaker, else someone unnamed)."""
    said = chapter.said[p]
    for before, u in zip(said, said[1:]):
        if u.tag is None and u.how not in ("continued",) and not parted_by_narration(chapter.paragraphs[p], before, u) \
                and u.speaker is before.speaker:
            other = previous if previous not in (None, OTHER, before.speaker) else DIALOGUE
            u.decide(other, "turn: reply", 0.4)


CONFIDENCE = {"tag: pronoun": 0.75, "tag: description": 0.6, "tag: kin": 0.8, "tag: unknown": 0.3, "turn": 0.5}


def kin_speaker(chapter: Chapter, turns: list[int], i: int, tag: Tag) -> Character | None:
    """'said her mother': the mother of the likeliest 'her' (Mrs. and her surname), if the book has one."""
    owner_tag = Tag("pronoun", gender=tag.owner_gender, start=tag.start)
    scores = turn_scores(chapter, turns, i, owner_tag, [])
    scores.pop(OTHER, None)
    owner = max(scores, key=scores.get) if scores else None
    return kin_of(owner, tag.noun, chapter.cast) if isinstance(owner, Character) else None


SENTENCE_PRONOUN = re.compile(r"(?:^|[.!?]\s+)(?:[A-Z][a-z]+,?\s+)?(He|She)\b[^.!?]*$")


def turn_scores(chapter: Chapter, turns: list[int], i: int, tag: Tag | None, participants: list) -> dict:
    """What turn i's own text says for each candidate: narration, names before, addressees, the
    conversation's known speakers; a pronoun's or description's gender filters."""
    p, scores = turns[i], defaultdict(float)
    narration_evidence(chapter, p, tag, scores)
    for k, (_, _, c) in enumerate(chapter.mentions[p - 1] if p > 0 and not chapter.spans[p - 1] else []):
        scores[c] += PREVIOUS_PARAGRAPH if k == 0 else OTHER_MENTION / 2
    for speaker in participants:
        scores[speaker] += PARTICIPANT
    addressed = [chapter.said[turns[k]][0].addressee if 0 <= k < len(turns) else None for k in (i - 1, i, i + 1)]
    for character, weight in zip(addressed, (ADDRESSED_BEFORE, ADDRESSED_NOW, ADDRESSED_AFTER)):
        if character is not None:
            scores[character] += weight
    if tag is not None:  # a pronoun has a referent: look further back
        for back in range(2, p + 1):
            for _, _, c in chapter.mentions[p - back]:
                scores[c] += 0.4 / back if back <= LOOKBACK_PARAGRAPHS else 0.01
        for c in chapter.cast.characters:  # 'said the doctor': the one titled so
            if tag.noun and title_of(tag.noun.capitalize()) in c.titles:
                scores[c] += TITLE_HOLDER
    gender = tag.gender if tag is not None else narration_pronoun(chapter, p)
    kept = {c: score + (UNKNOWN_GENDER if gender and c.gender == "" else 0.0) for c, score in scores.items()
            if isinstance(c, Character) and (not gender or c.gender in (gender, "")) or (c == NARRATOR and not gender)}
    return kept | {OTHER: UNNAMED_TAGGED if tag is not None else UNNAMED}


def narration_evidence(chapter: Chapter, p: int, tag: Tag | None, scores: dict) -> None:
    """The paragraph's own narration: the subject before a pronoun, or next to an untagged speech."""
    mentions, spans = chapter.mentions[p], chapter.spans[p]
    if tag is not None:
        if tag.start < 0 and p > 0:  # a lead-in tag in the paragraph before
            mentions = [(a - len(chapter.paragraphs[p - 1]), b, c) for a, b, c in chapter.mentions[p - 1]]
        near = [c for a, _, c in mentions if a < tag.start]
    else:
        first, last = spans[0][0], spans[-1][1]
        near = ([c for a, _, c in mentions if first - 250 < a < first]
                or [c for a, _, c in mentions if last <= a < last + 150])
    for k, c in enumerate(near):
        scores[c] += SUBJECT if k == 0 else OTHER_MENTION
    for _, _, c in mentions:
        scores[c] += OTHER_MENTION / 2


def narration_pronoun(chapter: Chapter, p: int) -> str:
    """'She looked up. "…"': the gender of a pronoun opening the sentence before an untagged speech."""
    before = chapter.paragraphs[p][:chapter.spans[p][0][0]]
    match = SENTENCE_PRONOUN.search(before[-200:])
    return {"He": "M", "She": "F"}.get(match[1], "") if match else ""
