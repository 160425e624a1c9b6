"""Who says each quotation of a chapter: named tags first, then everything else by the conversation.

Pass 1 reads every speech's tag (tasks/text/speakers/speech_tags.py): a name, a title or a role ('said the
turnkey': tasks/text/speakers/roles.py) gives its character, 'I' the narrator; a pronoun tag after a speech of
the paragraph that a tag names, of its gender, with nobody else of that gender named between, that character. A
paragraph's untagged speeches share its tagged speech's speaker; a paragraph that carries on the previous one's
unclosed speech keeps that speaker.

Pass 2 decides the rest one conversation at a time (a turn: a paragraph of speech). Each open turn
scores the characters who could speak it from its own text: the subject of the narration around the
speech or before the pronoun ('Emma smiled. "…"', 'Emma looked up. "…," she said'), the names of the
paragraph before, the one the previous speech addressed by name (they reply) and the one the next
speech addresses, against the one this speech addresses; a pronoun or a description keeps only
characters of its gender, and 'her mother' is the mother of the 'her' (Mrs. or Lady and the family's
surname; where nobody near has that relative in the cast, the tag is a description of the relative's gender). Anyone of the conversation may take any turn, and tasks/text/speakers/turns.py then finds the best
sequence (people take turns; nobody answers themselves). A turn no evidence points to is DIALOGUE.

Every utterance keeps how it was decided and a confidence (0..1).
"""

from __future__ import annotations

import re

from .characters import Cast, Character
from .speech_tags import Tag, closing_narration, find_tags, kin_of, lead_in_tags, read_tag, title_bearers
from .turn_features import TurnWeights, conversation_lattice
from .turns import OTHER, decode
from .utterances import DIALOGUE, NARRATOR, Chapter, Speaker, Utterance, addressee

__all__ = ["DIALOGUE", "NARRATOR", "Chapter", "Utterance", "decide_chapter", "tagged_chapter"]

CONVERSATION_BREAK_WORDS = 150  # this much narration between speeches ends a conversation (80: dev 0.3 points lower)
KIN_WINDOW = 10  # paragraphs back whose people may own a kin tag's 'his' or 'her'
MENTION_WINDOW = 20  # paragraphs back in which a title's bearer ('the Major') is looked for


def tagged_chapter(paragraphs: list[str], spans: list[list[tuple[int, int]]], unclosed: list[bool],
                   cast: Cast, language: str, opening: str) -> Chapter:
    """Pass 1 for a chapter: every speech with its tag read and named tags decided."""
    chapter = Chapter(paragraphs, spans, cast, language)
    for p, text in enumerate(paragraphs):
        chapter.said.append(tagged_utterances(chapter, p))
        continued = p > 0 and unclosed[p - 1] and text.startswith(opening) and bool(chapter.said[p - 1])
        for u in chapter.said[p] if continued else []:
            if u.tag is None or u.tag.kind not in ("name", "title", "I"):
                u.continued = True
    return chapter


def decide_chapter(chapter: Chapter, weights: TurnWeights) -> None:
    """Pass 2 for a chapter: each conversation decoded, then continued speeches and the rest."""
    for conversation in conversations(chapter):
        decide_turns(chapter, conversation, weights)
    for p, utterances in enumerate(chapter.said):
        for u in utterances:
            if u.continued and chapter.said[p - 1]:
                before = chapter.said[p - 1][-1]
                u.decide(before.speaker, "continued", before.confidence)
            elif u.speaker is None:
                u.decide(DIALOGUE, "none", 0.0)


def tagged_utterances(chapter: Chapter, p: int) -> list[Utterance]:
    """Pass 1 for one paragraph: each speech with its tag read, named tags decided, then shared."""
    text, spans = chapter.paragraphs[p], chapter.spans[p]
    utterances = []
    for n, (a, b) in enumerate(spans):
        start = spans[n - 1][1] if n else 0
        after = text[b: spans[n + 1][0] if n + 1 < len(spans) else len(text)]
        u = Utterance(p, (a, b), addressee=addressee(text[a:b], chapter.cast))
        u.tag = first_tag(chapter, find_tags(after, text[start:a], chapter.language, n > 0), b, start)
        if u.tag is None and n == 0 and p > 0 and not text[:a].strip():
            previous = closing_narration(chapter.paragraphs[p - 1], chapter.spans[p - 1], chapter.language)
            u.tag = first_tag(chapter, lead_in_tags(previous, chapter.language), b, -len(previous))  # at < 0: before
        u.tag = kin_known(chapter, p, bearer_named(chapter, p, u.tag))
        if u.tag is not None and u.tag.kind in ("name", "title"):
            u.decide(u.tag.character, f"tag: {u.tag.kind}", 0.95)
        elif u.tag is not None and u.tag.kind == "I":
            u.decide(NARRATOR, "tag: I", 0.95)
        elif (named := named_before(chapter, p, utterances, u)) is not None:
            u.decide(named, "tag: pronoun", 0.9)
        utterances.append(u)
    for n, u in enumerate(utterances):  # untagged speeches take the paragraph's named speaker
        if u.tag is None:
            donor = next((o for o in sorted(utterances, key=lambda o: abs(utterances.index(o) - n))
                          if o.speaker is not None and parted_by_narration(text, u, o)), None)
            if donor:
                u.decide(donor.speaker, "paragraph", donor.confidence * 0.95)
    return utterances


def named_before(chapter: Chapter, p: int, earlier: list[Utterance], u: Utterance) -> Character | None:
    """'"Principle!" Aunt Celia repeated. "I will go," she added': a pronoun tag after a speech of the
    paragraph that a tag names, of the pronoun's gender, with nobody else of that gender named between."""
    if u.tag is None or u.tag.kind != "pronoun" or not u.tag.gender:
        return None
    before = next((o for o in reversed(earlier) if o.how in ("tag: name", "tag: title")), None)
    if before is None or not isinstance(before.speaker, Character) or before.speaker.gender != u.tag.gender:
        return None
    others = [c for a, _, c in chapter.mentions[p]
              if before.span[1] <= a < u.tag.start and c is not before.speaker and c.gender == u.tag.gender]
    return None if others else before.speaker


def bearer_named(chapter: Chapter, p: int, tag: Tag | None) -> Tag | None:
    """'replied the Major' where several bear the title: the bearer the narration named last, if any."""
    if tag is None or tag.kind != "description" or len(bearers := title_bearers(chapter.cast, tag.noun)) < 2:
        return tag
    bearer = latest_mentioned(chapter, p, tag.start, bearers)
    return Tag("title", bearer, start=tag.start, continues=tag.continues) if bearer else tag


def kin_known(chapter: Chapter, p: int, tag: Tag | None) -> Tag | None:
    """'said her sister' where nobody the last KIN_WINDOW paragraphs name or hear has that relative in the
    cast (several sisters, or none named with the family's surname): a description of the relative's
    gender, which the conversation decides."""
    if tag is None or tag.kind != "kin":
        return tag
    near = [c for q in range(max(0, p - KIN_WINDOW), p + 1) for c in
            [*(c for _, _, c in chapter.mentions[q]), *(u.speaker for u in (chapter.said[q] if q < p else []))]]
    owners = {c for c in near if isinstance(c, Character) and c.gender == tag.owner_gender}
    if any(kin_of(c, tag.noun, chapter.cast) for c in owners):
        return tag
    return Tag("description", gender=tag.gender, noun=tag.noun, start=tag.start, continues=tag.continues)


def latest_mentioned(chapter: Chapter, p: int, at: int, among: list[Character]) -> Character | None:
    """Of `among`, the one the narration named last before position `at` of paragraph p (< 0: the one
    before), looking back at most MENTION_WINDOW paragraphs."""
    for q in range(p, max(-1, p - MENTION_WINDOW), -1):
        limit = at if q == p else len(chapter.paragraphs[q]) + (at if q == p - 1 and at < 0 else 0)
        found = [c for a, _, c in chapter.mentions[q] if a < limit and c in among]
        if found:
            return found[-1]
    return None


def first_tag(chapter: Chapter, found: list[tuple[re.Match, int]], end: int, start: int) -> Tag | None:
    """The first of a speech's tags whose subject reads as someone; `start`/`end`: the narration's bounds."""
    for match, offset in found:
        at = (end if not offset else start + offset - 1) + subject_start(match)
        tag = read_tag(match, chapter.cast, chapter.language, at)
        if tag.kind != "none":
            return tag
    return None


def subject_start(match: re.Match) -> int:
    groups = match.groupdict()
    return min(match.start(g) for g in ("pronoun", "title", "name", "det", "bare")
               if g in groups and match.start(g) >= 0)


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


def decide_turns(chapter: Chapter, turns: list[int], weights: TurnWeights) -> None:
    """Pass 2 for one conversation: each turn's candidates scored, then the best sequence of speakers."""
    lattice = conversation_lattice(chapter, turns)
    decoded = decode(weights.scores(lattice), lattice.contexts, weights.transition)
    for i, (p, speaker, how) in enumerate(zip(turns, decoded, lattice.hows)):
        for u in chapter.said[p]:
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
