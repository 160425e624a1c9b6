"""An epithet the narration uses as a character's name ('the Jew' for Fagin): whose it is.

An epithet is a one-word name the book writes after 'the' at least half the times it uses it, that tags
give speeches ('said the Jew'). It is the character whom the speech just before its tagged speeches
addresses by name ('"This is him, Fagin," said Jack Dawkins.' / '"…," said the Jew.'): at least
`EVIDENCE` times, and three times as often as anyone else. An epithet nobody is addressed before (the
Hatter, the Queen) stays a character of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from .speech_verbs import speech_verbs

EVIDENCE = 5  # speeches addressing the character just before the epithet's tagged speech
SPEECH = re.compile(r"[“\"]([^“”\"]+)[”\"]")
VOCATIVE = re.compile(r"(?:^|[,;!?]\s+)((?:[A-Z][a-z]+\.?\s+)?[A-Z][\w’'-]+)(?=\s*[,;!?.])")  # ', Fagin,' 'Mr. Bumble!'


def epithet_owners(paragraphs: list[str], epithets: dict[str, int],
                   owner_of: Callable[[str], object | None], evidence: int = EVIDENCE) -> dict[str, object]:
    """For each epithet (its word -> the book's uses of it), the owner `owner_of` gives the name its
    tagged speeches answer most (see the module's docstring); epithets without one are left out."""
    if not epithets:
        return {}
    words = "|".join(re.escape(word) for word in sorted(epithets, key=len, reverse=True))
    verbs = "|".join(sorted(speech_verbs("en"), key=len, reverse=True))
    after_the = Counter(match[1] for p in paragraphs for match in re.finditer(rf"\bthe ({words})\b", p))
    tag = re.compile(rf"[”\"],?\s+(?:{verbs})\s+the\s+({words})\b")
    addressed: dict[str, Counter] = {word: Counter() for word in epithets}
    for before, paragraph in zip(paragraphs, paragraphs[1:]):
        for word in {match[1] for match in tag.finditer(paragraph)}:
            for speech in SPEECH.findall(before):
                addressed[word].update({owner for match in VOCATIVE.finditer(speech.strip())
                                        if (owner := owner_of(match[1])) is not None})
    owners = {}
    for word, uses in epithets.items():
        ranked = addressed[word].most_common(2) + [(None, 0)]
        if 2 * after_the[word] >= uses and ranked[0][1] >= evidence and ranked[0][1] >= 3 * ranked[1][1]:
            owners[word] = ranked[0][0]
    return owners
