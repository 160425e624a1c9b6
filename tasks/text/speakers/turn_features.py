"""What a conversation's turns say about who speaks them, as named features with learned weights.

A turn is a paragraph of speech. A turn pass 1 fixed (a named tag) has one candidate; an open turn
lists the conversation's pool of candidates — the characters named in its narration, the
paragraphs before, the speeches' addressees, its fixed speakers — and OTHER (someone the book does
not name), each with features: 'subject' (first name in the narration before a pronoun tag or next
to the speech), 'latest fit' (the nearest name before the tag whose gender fits), 'addressed before'
(the previous speech called them by name), 'asked before' (… in a question), 'addressed earlier'
(a speech before that in the conversation called them by name), 'in quote' (named in the speech itself), 'after tag'
(named after the tag: '"…," she said, turning to Emma': whom the speaker faces), the gender of
a pronoun against theirs, 'only fitting participant' (the one known speaker of the conversation
whose gender fits: 'she said' in a man's and a woman's exchange), the gender of a pronoun opening the
narration after an untagged speech ('beat': '"…" She hesitated.'), how many paragraphs since they were
last named or spoke and their rank by it among those the gender fits (for a tag, apart for a speaker of the
conversation and a newcomer, as are 'latest fit' and 'subject': 'Harriet came in. "…," she said'; for a pronoun tag,
'role 1 object' where the nearest was last named as an object or owner: 'she looked at Emma'), how often they spoke so far, …. Features are kept apart by the turn's tag ('pronoun:subject' is not 'none:subject').
Their weights are learned on PDNC's dev novels by benchmarks/train_turns.py and read from
turn_weights.json; a candidate's score is the weighted sum, and tasks/text/speakers/turns.py finds
the best sequence of speakers. A tag that tells nothing of its speaker ('they said', 'said the lawyer' of a book
with no lawyer) is weighed as an untagged turn is, with its own weights (its OTHER weighs most).
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Hashable

from .characters import POSSESSIVE, Character
from .speech_tags import Tag, kin_of, title_bearers
from .speech_verbs import ENGLISH_PRONOUNS, VOCATIVE_GENDERS
from .turns import OTHER, TRANSITIONS
from .utterances import NARRATOR, Chapter

Features = dict[str, float]
WEIGHTS_FILE = Path(__file__).with_name("turn_weights.json")
LOOKBACK_PARAGRAPHS = 4  # how far back the pool and a pronoun look for mentions
RECENT = ((0, "0"), (1, "1"), (2, "2"), (5, "3-5"), (15, "6-15"))  # paragraphs since last named or spoke: bucket
OPEN_TAGS = ("pronoun", "description", "kin", "unknown")
FIXED = ("tag: name", "tag: title", "tag: I", "paragraph")  # how pass 1 decides (what a turn's features may know)
SENTENCE_PRONOUN = re.compile(r"(?:^|[.!?]\s+)(?:[A-Z][a-z]+,?\s+)?(He|She)\b[^.!?]*$")
BEAT_PRONOUN = re.compile(r"\s*(He|She)\b")  # '"…" She hesitated.': narration opening after a speech
SPLIT_BY_PARTICIPATION = ("rank", "latest fit", "subject")  # a tag's features weighed apart for speakers and newcomers
SENTENCE_END = re.compile(r"[.!?]\s+(?=\S)")
PERSON_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]im|[Hh]er|[Hh]is|I)\b")  # narration that tells of someone
CLAUSE_OPENING = re.compile(r"(?:\A|[.!?;:,(—–\"“”‘])\s*(?:(?:and|but|then|when|while|as|so|yet|that|now|till|until|before|after|"
                            r"since|though|although|if|because|where|whereupon|at last|at length|presently)\s+)*\Z", re.I)


@lru_cache(maxsize=None)
def vocative_pattern(language: str) -> re.Pattern | None:
    words = VOCATIVE_GENDERS.get(language)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:^|[,;!?—–]\s*|\b(?:dear|oh|Oh|O|ah|Ah)\s+)({alternatives})(?=\s*(?:[,.!?;—–]|$))", re.I)


def called_gender(chapter: Chapter, p: int) -> str:
    """The gender of the listener a paragraph's speech calls by a word that tells it ('Yes, sir.')."""
    pattern = vocative_pattern(chapter.language)
    if pattern is None:
        return ""
    for a, b in chapter.spans[p]:
        if match := pattern.search(chapter.paragraphs[p][a:b].strip("“”‘’\"' ")):
            return VOCATIVE_GENDERS[chapter.language][match[1].lower()]
    return ""


@dataclass
class Lattice:
    """A conversation's turns (paragraphs), each turn's candidates with their features, each turn's
    contexts for its transitions (what the paragraph is: 'going on': 'she added'; 'bare': speech
    alone; 'named', 'pronoun', …; 'after question' where the turn before asks one; and 'after narration'
    for an untagged turn after a paragraph of narration that tells of someone), and how each
    open turn is decided."""

    turns: list[int]
    options: list[dict[Hashable, Features]]
    contexts: list[tuple[str, ...]]
    hows: list[str]


@dataclass(frozen=True)
class TurnWeights:
    """A weight per feature of a candidate (emission) and per transition between turns."""

    emission: dict[str, float]
    transition: dict[str, float]

    def score(self, features: Features) -> float:
        return sum(self.emission.get(name, 0.0) * value for name, value in features.items())

    def scores(self, lattice: Lattice) -> list[dict[Hashable, float]]:
        return [{c: self.score(f) for c, f in options.items()} for options in lattice.options]


@lru_cache(maxsize=1)
def turn_weights(path: Path = WEIGHTS_FILE) -> TurnWeights:
    """The learned weights (benchmarks/train_turns.py writes them)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return TurnWeights(data["emission"], {**TRANSITIONS, **data["transition"]})


def open_tag(chapter: Chapter, p: int) -> Tag | None:
    pending = [u for u in chapter.said[p] if u.speaker is None and not u.continued]
    return next((u.tag for u in pending if u.tag and u.tag.kind in OPEN_TAGS), None)


def conversation_lattice(chapter: Chapter, turns: list[int]) -> Lattice:
    """Every turn's candidates and features (see the module's docstring)."""
    fixed = [s for s in dict.fromkeys(chapter.turn_speaker(turns, i) for i in range(len(turns))) if s is not None]
    pool = candidate_pool(chapter, turns, fixed)
    options, hows = [], []
    for i, p in enumerate(turns):
        tag = open_tag(chapter, p)
        if not any(u.speaker is None and not u.continued for u in chapter.said[p]):
            options.append({chapter.said[p][0].speaker: {}})
            hows.append("")
            continue
        hows.append(f"tag: {tag.kind}" if tag else "turn")
        if tag is not None and tag.kind == "kin":
            options.append(kin_options(chapter, turns, i, tag, pool, fixed))
        else:
            options.append(turn_options(chapter, turns, i, tag, pool, fixed))
    contexts = [(turn_context(chapter, p), "after question" if i and asks(chapter, turns[i - 1]) else "",
                 "after narration" if i and hows[i] == "turn" and narrated_between(chapter, turns[i - 1], p) else "")
                for i, p in enumerate(turns)]
    return Lattice(turns, options, contexts, hows)


def narrated_between(chapter: Chapter, before: int, p: int) -> bool:
    """Whether a paragraph of narration between two turns tells of someone, by name or pronoun ('Harriet
    looked at the fire.', 'He paused.'; 'The fire crackled.' does not break an exchange)."""
    return any(chapter.mentions[q] or PERSON_PRONOUN.search(chapter.paragraphs[q]) for q in range(before + 1, p))


def asks(chapter: Chapter, p: int) -> bool:
    """Whether a paragraph's last speech ends in a question ('"Where were you?"')."""
    a, b = chapter.spans[p][-1]
    return chapter.paragraphs[p][a:b].rstrip("“”‘’\"' ").endswith("?")


def turn_context(chapter: Chapter, p: int) -> str:
    """What a turn's paragraph is besides its speech: its tag's kind, 'going on', or 'bare' / 'narrated'."""
    first = chapter.said[p][0]
    if first.tag is not None and first.tag.continues:
        return "going on"
    if first.tag is not None:
        return "named" if first.tag.kind in ("name", "title", "I") else first.tag.kind
    text, spans = chapter.paragraphs[p], chapter.spans[p]
    outside = text[:spans[0][0]] + text[spans[-1][1]:]
    return "narrated" if any(ch.isalpha() for ch in outside) else "bare"


def candidate_pool(chapter: Chapter, turns: list[int], fixed: list) -> list:
    """Everyone who may speak an open turn: named in the conversation or the narration leading into it
    (up to LOOKBACK_PARAGRAPHS, not past the speech before), addressed, or speaking in it."""
    start = turns[0]
    while start > 0 and turns[0] - start < LOOKBACK_PARAGRAPHS and not chapter.spans[start - 1]:
        start -= 1
    pool: dict = dict.fromkeys(fixed)
    for p in range(start, turns[-1] + 1):
        pool.update(dict.fromkeys(c for _, _, c in chapter.mentions[p]))
    for p in turns:
        pool.update(dict.fromkeys(u.addressee for u in chapter.said[p] if u.addressee is not None))
    return [c for c in pool if isinstance(c, Character) or c == NARRATOR]


def kin_options(chapter: Chapter, turns: list[int], i: int, tag: Tag, pool: list, fixed: list) -> dict:
    """'said her mother': the mother of each candidate 'her' (Mrs. and her surname), with the owner's features."""
    owners = turn_options(chapter, turns, i, Tag("pronoun", gender=tag.owner_gender, start=tag.start), pool, fixed)
    options: dict = {OTHER: {"kin:other": 1.0}}
    for owner, features in owners.items():
        kin = kin_of(owner, tag.noun, chapter.cast) if isinstance(owner, Character) else None
        if kin is not None and kin not in options:
            options[kin] = {f"kin:{name.split(':', 1)[1]}": value for name, value in features.items()}
    return options


def turn_options(chapter: Chapter, turns: list[int], i: int, tag: Tag | None, pool: list, fixed: list) -> dict:
    """An open turn's candidates (the pool and OTHER) with their features."""
    p, kind = turns[i], tag.kind if tag is not None else "none"
    found: dict = defaultdict(lambda: defaultdict(float))
    narration_features(chapter, p, tag, found)
    for k, (_, _, c) in enumerate(chapter.mentions[p - 1] if p > 0 and not chapter.spans[p - 1] else []):
        found[c]["previous first" if k == 0 else "previous other"] += 1
    for back in range(2, LOOKBACK_PARAGRAPHS + 1):
        for _, _, c in chapter.mentions[p - back] if p - back >= 0 else []:
            found[c]["lookback"] += 1 / back
    for c in fixed:
        found[c]["participant"] = 1
    for k, name in zip((i - 1, i, i + 1), ("addressed before", "addressed now", "addressed after")):
        for character in dict.fromkeys(u.addressee for u in chapter.said[turns[k]] if u.addressee is not None) \
                if 0 <= k < len(turns) else ():
            found[character][name] += 1
            if name == "addressed before" and asks(chapter, turns[k]):  # asked by name: answers
                found[character]["asked before"] = 1
    for c in {u.addressee for k in range(max(0, i - 1)) for u in chapter.said[turns[k]]} - {None}:
        found[c]["addressed earlier"] = 1  # called by name earlier in the conversation: a participant
    for a, b in chapter.spans[p]:
        for _, _, c in chapter.cast.mentions(chapter.paragraphs[p][a:b]):
            found[c]["in quote"] = 1
    if i > 0 and turns[i - 1] == p - 1:  # 'said Mr. Bennet to his wife': the one spoken to answers
        for _, _, c in chapter.mentions[p - 1]:
            if c is not chapter.turn_speaker(turns, i - 1):
                found[c]["previous turn mention"] = 1
    called = [called_gender(chapter, turns[k]) if 0 <= k < len(turns) else "" for k in (i - 1, i + 1)]
    beat = beat_pronoun(chapter, p) if tag is None else ""  # '"…" She hesitated.'
    told = list(zip(("called before", "called after", "beat"), (*called, beat)))
    if tag is not None and tag.noun:  # 'said the doctor': the one titled so
        bearers = title_bearers(chapter.cast, tag.noun)
        for c in (c for c in pool if c in bearers):
            found[c]["title holder"] = 1
    gender = tag.gender if tag is not None else narration_pronoun(chapter, p)
    participant_features(fixed, gender, found)
    options, recent = {}, recency(chapter, p, tag, gender, pool)
    for c in pool:
        if tag is not None and tag.gender and isinstance(c, Character) and c.gender not in (tag.gender, ""):
            continue  # 'she said': no man (a book's genders are right far more often than its turns)
        if c == NARRATOR and third_person(tag):
            continue  # 'she answered', 'said his wife': never the 'I' of the narration
        features = found.get(c, {}) | standing(chapter, turns, i, c) | recent[c] | gender_features(gender, c)
        if tag is not None:
            features |= by_participation(features, c in fixed)
        for when, gender_told in told:
            features |= {f"{when} {name}": 1.0 for name in gender_features(gender_told, c)}
        options[c] = {f"{kind}:{name}": value for name, value in features.items()}
    alone = {f"{kind}:other, one named": 1.0, f"{kind}:other, one named, {turn_context(chapter, p)}": 1.0}
    options[OTHER] = {f"{kind}:other": 1.0} | (alone if len(pool) == 1 else {})
    return options


def third_person(tag: Tag | None) -> bool:
    """A tag that names someone other than the narrator: 'he', 'she', a description or a kin word."""
    return tag is not None and (tag.kind in ("description", "kin") or (tag.kind == "pronoun" and tag.gender in ("M", "F")))


def by_participation(features: Features, participant: bool) -> Features:
    """A tag's nearness features again, apart for a speaker of the conversation and a newcomer ('she said':
    the nearest woman may be either: 'Harriet came in. "…," she said')."""
    side = "participant" if participant else "newcomer"
    return {f"{name}, {side}": 1.0 for name in features if name.startswith(SPLIT_BY_PARTICIPATION)}


def participant_features(fixed: list, gender: str, found: dict) -> None:
    """The only known speaker of the conversation whose gender fits the turn's pronoun ('she said' in a
    man's and a woman's exchange)."""
    fitting = [c for c in fixed if gender and isinstance(c, Character) and c.gender == gender]
    if len(fitting) == 1:
        found[fitting[0]]["only fitting participant"] = 1


def narration_features(chapter: Chapter, p: int, tag: Tag | None, found: dict) -> None:
    """The paragraph's own narration: the subject before a pronoun and the nearest name fitting its
    gender, or the names next to an untagged speech and the subject of the sentence before it."""
    mentions, spans = chapter.mentions[p], chapter.spans[p]
    if tag is not None:
        if tag.start < 0 and p > 0:  # a lead-in tag in the paragraph before
            mentions = [(a - len(chapter.paragraphs[p - 1]), b, c) for a, b, c in chapter.mentions[p - 1]]
        near = [c for a, _, c in mentions if a < tag.start]
        fitting = [c for c in near if isinstance(c, Character) and c.gender in (tag.gender, "")]
        if fitting:
            found[fitting[-1]]["latest fit"] += 1
        for c in dict.fromkeys(c for a, _, c in mentions if a > tag.start):
            found[c]["after tag"] = 1  # '"Yes," she said, turning to Mr. Knightley': whom the speaker faces
    else:
        first, last = spans[0][0], spans[-1][1]
        near = ([c for a, _, c in mentions if first - 250 < a < first]
                or [c for a, _, c in mentions if last <= a < last + 150])
        before = chapter.paragraphs[p][:first]
        sentence = SENTENCE_END.split(before)[-1] if before.strip() else ""
        sentence_start = first - len(sentence)
        subject = [c for a, _, c in mentions if sentence_start <= a < first]
        if subject:
            found[subject[0]]["sentence subject"] += 1
    for k, c in enumerate(near):
        found[c]["subject" if k == 0 else "near"] += 1
    for _, _, c in mentions:
        found[c]["mention"] += 1


def standing(chapter: Chapter, turns: list[int], i: int, c) -> Features:
    """How present a candidate is: speeches so far in the conversation, uses in the book."""
    features = {}
    spoke = sum(chapter.turn_speaker(turns, k) is c for k in range(i))
    if spoke:
        features["spoke"] = math.log1p(spoke)
    if isinstance(c, Character):
        features["book uses"] = math.log1p(c.uses) / 5
    else:
        features["narrator"] = 1.0
    return features


def last_seen(chapter: Chapter, p: int, at: int, pool: list) -> dict:
    """Where each candidate was last named in narration or fixed as a speaker, before offset `at` of
    paragraph p (a negative `at`: that far before the end of the paragraph before): (paragraph, offset)."""
    seen: dict = {}
    for q in range(p, max(-1, p - RECENT[-1][0] - 1), -1):
        limit = at if q == p else at + len(chapter.paragraphs[q]) if q == p - 1 and at < 0 else None
        places = [(a, c) for a, _, c in chapter.mentions[q]]
        places += [(u.span[0], u.speaker) for u in chapter.said[q] if u.how in FIXED]
        for a, c in sorted(places, reverse=True):
            if (limit is None or a < limit) and c not in seen:
                seen[c] = (q, a)
        if len(seen) >= len(pool):
            break
    return seen


def recency(chapter: Chapter, p: int, tag: Tag | None, gender: str, pool: list) -> dict[object, Features]:
    """Each candidate's paragraphs since last seen (bucketed), and its rank by recency among those
    whose gender fits (1: the nearest one before the tag or speech)."""
    at = tag.start if tag is not None else chapter.spans[p][0][0]
    seen = last_seen(chapter, p, at, pool)
    features: dict = {c: {} for c in pool}
    ranked = sorted((place, n) for n, c in enumerate(pool) if (place := seen.get(c)))
    rank = 0
    for (q, a), n in reversed(ranked):
        c = pool[n]
        features[c]["recent " + next((name for limit, name in RECENT if p - q <= limit), "0")] = 1.0
        if not gender or not isinstance(c, Character) or c.gender in (gender, ""):
            rank += 1
            if rank <= 3:
                features[c][f"rank {rank}"] = 1.0
                if rank <= 2 and tag is not None and tag.kind == "pronoun" and not subject_of(chapter, q, a, c):
                    features[c][f"role {rank} object"] = 1.0  # 'she looked at Emma. "…," she said': less likely Emma
    return features


def subject_of(chapter: Chapter, q: int, a: int, c) -> bool:
    """Whether a candidate last seen at offset a of paragraph q was a speaker there or named opening a clause
    ('and Emma smiled'), not as an object or owner ('looked at Emma', 'Emma's hand')."""
    if any(u.speaker is c and u.how in FIXED for u in chapter.said[q]):
        return True
    text = chapter.paragraphs[q]
    end = next((b for start, b, _ in chapter.mentions[q] if start == a), a)
    return not POSSESSIVE.match(text, end) and CLAUSE_OPENING.search(text, max(0, a - 60), a) is not None


def gender_features(gender: str, c) -> Features:
    if not gender:
        return {}
    own = c.gender if isinstance(c, Character) else ""
    return {"gender " + ("match" if own == gender else "unknown" if own == "" else "mismatch"): 1.0}


def narration_pronoun(chapter: Chapter, p: int) -> str:
    """'She looked up. "…"': the gender of a pronoun opening the sentence before an untagged speech."""
    before = chapter.paragraphs[p][:chapter.spans[p][0][0]]
    match = SENTENCE_PRONOUN.search(before[-200:])
    return ENGLISH_PRONOUNS[match[1].lower()] if match else ""


def beat_pronoun(chapter: Chapter, p: int) -> str:
    """'"Because…" She hesitated.': the gender of a pronoun opening the narration right after a turn's first speech."""
    match = BEAT_PRONOUN.match(chapter.paragraphs[p], chapter.spans[p][0][1])
    return ENGLISH_PRONOUNS[match[1].lower()] if match else ""
