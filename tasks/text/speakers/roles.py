"""Roles that name one character: 'Mr. Bumble, the beadle' makes 'said the beadle' Mr. Bumble.

A role is a lower-case noun in apposition after a character's name ('Mrs. Corney, the matron of the
workhouse', 'Mr. Bumble the beadle'). It names that character when every such apposition in the book
names the same one. Nouns for anyone ('the girl', 'the stranger': speech_verbs.ENGLISH_ANYONE_NOUNS)
are never roles; a bare role no apposition links stays someone unnamed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .characters import NAME, Cast, Character, form_of
from .speech_verbs import ENGLISH_ANYONE_NOUNS, ENGLISH_POINTING_NOUNS

APPOSITION = re.compile(r",?\s+the\s+(?:[a-z]+\s+){0,2}?([a-z]+)(?=\s*(?:[,.;:!?—–]|\s+of\b))")


def book_roles(paragraphs: list[str], cast: Cast) -> dict[str, Character]:
    """Each role noun that appositions give to exactly one character (see the module's docstring)."""
    holders: dict[str, Counter] = defaultdict(Counter)
    for paragraph in paragraphs:
        for match in NAME.finditer(paragraph):
            role = APPOSITION.match(paragraph, match.end())
            if role is None or role[1] in ENGLISH_ANYONE_NOUNS or role[1] in ENGLISH_POINTING_NOUNS:
                continue
            form = form_of(match["title"], match["name"], cast.words)
            if form is not None and (character := cast.by_form.get(form)):
                holders[role[1]][character] += 1
    return {role: next(iter(found)) for role, found in holders.items() if len(found) == 1}
