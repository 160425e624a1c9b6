"""A chapter being attributed: its paragraphs, their speeches (utterances) and who names whom.

Shared by the two passes of tasks/text/speakers/attribution.py and by the features of a conversation's
turns (tasks/text/speakers/turn_features.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .characters import CAPITALIZED, TITLE, Cast, Character
from .name_variants import nicknamer, same_given_name
from .speech_tags import Tag

NARRATOR = "narrator"  # the default speaker, and a first-person narrator's own speech
DIALOGUE = "dialogue"  # quoted speech whose speaker the text does not tell

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
            if character := cast.named(match["title"], match["name"]) or (
                    not match["title"] and nickname_holder(match["name"], cast)):
                return character
    return None


def nickname_holder(name: str, cast: Cast) -> Character | None:
    """The one character whose given name a called nickname is ('Now, Lizzy, …': Elizabeth), if one."""
    if " " in name or not nicknamer().canonicals_of(name.lower()):
        return None
    holders = {c for c in cast.characters for f in c.forms if same_given_name(name, f.words[0])}
    return holders.pop() if len(holders) == 1 else None


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

    def turn_speaker(self, turns: list[int], i: int) -> Speaker:
        return self.said[turns[i]][0].speaker if 0 <= i < len(turns) else None
