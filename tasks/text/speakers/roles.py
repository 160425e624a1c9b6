"""Roles: 'said the beadle', 'said the turnkey', 'said nanny' as one character each.

A role is the noun a speech tag's subject ends on ('"…," said the book-stall keeper': 'keeper'), or a noun in
apposition with a character's name ('Mrs. Corney, the matron of the workhouse', 'Mr. Bumble the beadle',
'Haq, the Inspector of Police', 'the Collector, Mr. Turton, with whom'). A role names a character of the book
where every such apposition names the same one, or where the role is a title and the book gives it to exactly
one character's surname ('the doctor': 'Doctor Losberne'; given to several, the conversation decides), or where
the speeches its tags close, or the speech its speaker goes on with after the tag, name their speaker ('"I'm
Mister Noah Claypole," said the charity-boy'; '"…," said the senior detective. "My name is Blenkinsop."'), or where
the speeches just before its tagged ones address one character by name again and again ('"Come, Bill," …' /
'"…," growled the robber': Bill Sikes; tasks/text/speakers/epithets.py). A role
the book also writes as a name ('said the Collector') makes that name's character one with the role's holder.
A role that tags use and nothing links to a name is a character of its own, labelled as the book calls it
('The Turnkey', 'The Vicar', 'Nanny'), with the gender its noun or the pronouns after its tags tell. Nouns for
anyone ('the girl', 'the stranger', 'his wife': speech_verbs.ENGLISH_ANYONE_NOUNS) and pointing words ('the
other') are never roles: the conversation resolves them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .characters import NAME, OWN, POSSESSIVE, Cast, Character, form_of, own_gender, title_of, whole_form
from .epithets import epithet_owners
from .persons import Form
from .speech_tags import role_phrase, tag_patterns, title_bearers
from .speech_verbs import ENGLISH_ANYONE_NOUNS, ENGLISH_PERSON_NOUNS, ENGLISH_POINTING_NOUNS, TITLES

APPOSITION = re.compile(r",?\s+the\s+(?:[A-Za-z][a-z]+\s+){0,2}?([A-Za-z][a-z]+)(?=\s*(?:[,.;:!?—–]|\s+of\b))")
ROLE_FIRST = re.compile(r"\bthe\s+(?:[A-Z][a-z]+\s+){0,2}?([A-Z][a-z]+),\s+$")  # 'the Collector, Mr. Turton, with whom'
NAME_CLOSED = re.compile(r",\s+(?!and\b|or\b)[a-z]")  # no list ('Hamidullah, Mahmoud Ali'), no call ('the truth, Ann.')
SELF_NAMING = re.compile(r"\b(?:I['’]m|I am|[Mm]y name is|[Mm]y name['’]s)\s+(?=[A-Z])")  # 'I'm Mister Noah'
CLOSING_QUOTE = re.compile(r"[”\"’]")
OPENING_MARKS = ("“", '"', "‘")
SPEECH_GOES_ON = re.compile(r"[^“\"]{0,40}?[.,;:]\s*[“\"]([^”\"]*)")  # the speech a tag's speaker goes on with
ROLE_USES = 2  # a noun not known as a person's: tags after a speech name it this often
QUALIFIED_USES = 3  # 'the gentleman in the white waistcoat': tags name a qualified noun for anyone this often
ROLE_EVIDENCE = 3  # speeches addressing one character just before a role's tagged speeches, three times any other
OWN_WINDOW = 60  # characters after a role's tag in which its own pronoun tells its gender


def book_roles(paragraphs: list[str], cast: Cast, language: str = "en") -> dict[str, Character]:
    """Each role noun and the character it names (see the module's docstring); new role characters
    are added to the cast."""
    roles = apposition_roles(paragraphs, cast)
    join_named_roles(cast, roles)
    tagged = tag_roles(paragraphs, cast, language)
    unlinked = {}
    for role, uses in tagged.used.items():
        if role in roles or not is_role(role, uses):
            continue
        holders = title_holders(paragraphs, cast, role) or set(tagged.self_named[role])
        if len(holders) > 1:
            continue  # 'the doctor' of a book with two doctors: the conversation tells which
        if holders:
            roles[role] = holders.pop()
        else:
            unlinked[role] = uses
    addressed = addressed_holders(paragraphs, cast, unlinked)
    for role in unlinked:
        roles[role] = addressed.get(role) or role_character(cast, tagged.labels[role], role, tagged.genders[role])
    return roles


def join_named_roles(cast: Cast, roles: dict[str, Character]) -> None:
    """A role the book also writes as a name ('the Collector, Mr. Turton', then 'said the Collector'): the
    character of that name alone joins the role's holder, unless their genders differ ('the King, the Queen')."""
    for role, holder in roles.items():
        named = cast.by_form.get(Form(None, (role.capitalize(),)))
        if named not in (None, holder) and len(named.forms) == 1 and (
                named.gender == holder.gender or "" in (named.gender, holder.gender)):
            cast.join(named, holder)


def is_role(noun: str, uses: int) -> bool:
    """A noun tags use for one person: a person's noun, or one used ROLE_USES times; not a plural, nor
    a noun for anyone."""
    if " " in noun:  # 'gentleman in the white waistcoat'
        return uses >= QUALIFIED_USES
    plural = noun.endswith("s") and not noun.endswith(("ss", "us"))
    return not plural and noun not in ENGLISH_ANYONE_NOUNS and noun not in ENGLISH_POINTING_NOUNS \
        and (noun in ENGLISH_PERSON_NOUNS or uses >= ROLE_USES)


def apposition_roles(paragraphs: list[str], cast: Cast) -> dict[str, Character]:
    """Each role noun that appositions give to exactly one character ('Mr. Bumble, the beadle', 'the
    Collector, Mr. Turton')."""
    holders: dict[str, Counter] = defaultdict(Counter)
    for paragraph in paragraphs:
        for role, character in appositions(paragraph, cast):
            if role not in ENGLISH_ANYONE_NOUNS and role not in ENGLISH_POINTING_NOUNS:
                holders[role][character] += 1
    return {role: next(iter(found)) for role, found in holders.items() if len(found) == 1}


def appositions(paragraph: str, cast: Cast) -> list[tuple[str, Character]]:
    """Each (role noun, character) a paragraph sets side by side: a name, then the role ('Mr. McBryde, the
    District Superintendent of Police'), or the role, then a name that ends the phrase ('the Collector,
    Mr. Turton, with whom')."""
    found = []
    for match in NAME.finditer(paragraph):
        after = APPOSITION.match(paragraph, match.end())
        before = NAME_CLOSED.match(paragraph, match.end()) and ROLE_FIRST.search(
            paragraph, max(0, match.start() - 60), match.start())
        if after or before:
            form = form_of(match["title"], match["name"], cast.words)
            character = cast.by_form.get(form) if form is not None else None
            found += [(role[1].lower(), character) for role in (after, before) if role and character]
    return found


@dataclass
class TaggedRoles:
    """The roles that tags after a speech name ('"…," said the turnkey'): how often, the label the book's words
    give each ('The Turnkey', 'Nanny'), the gender of the pronouns after those tags, and the characters the
    tagged speeches name as their speaker ('"I'm Mister Noah Claypole," said the charity-boy')."""

    used: Counter = field(default_factory=Counter)
    labels: dict[str, str] = field(default_factory=dict)
    genders: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    self_named: dict[str, set[Character]] = field(default_factory=lambda: defaultdict(set))


def tag_roles(paragraphs: list[str], cast: Cast, language: str) -> TaggedRoles:
    """What the tags after a speech say of each role (see TaggedRoles)."""
    after_tags = tag_patterns(language)[:2]  # '"…," said the waiter' and '"…," the waiter said'
    found = TaggedRoles()
    for paragraph in paragraphs:
        for quote in CLOSING_QUOTE.finditer(paragraph):
            match = next(filter(None, (pattern.match(paragraph, quote.end()) for pattern in after_tags)), None)
            if match is None or not (role := tag_role(match, cast)):
                continue
            found.used[role] += 1
            found.labels[role] = role.capitalize() if match["bare"] else f"The {role.capitalize()}"
            tail = paragraph[match.end(): match.end() + OWN_WINDOW]
            if own := OWN.search(tail.split("“")[0].split('"')[0]):
                found.genders[role][own_gender(own)] += 1
            opening = max(paragraph.rfind(mark, 0, quote.start()) for mark in OPENING_MARKS)
            found.self_named[role] |= self_named(paragraph[max(opening, 0):quote.start()], cast)
            if going_on := SPEECH_GOES_ON.match(paragraph, match.end()):  # '"…," said the detective. "My name is …"'
                found.self_named[role] |= self_named(going_on[1], cast)
    return found


def self_named(speech: str, cast: Cast) -> set[Character]:
    """The characters a speech's speaker names as themselves ('I'm Mister Noah Claypole', 'My name is
    Blenkinsop'), not as someone else's ('I am Oliver's friend')."""
    named = set()
    for opening in SELF_NAMING.finditer(speech):
        match = NAME.match(speech, opening.end())
        character = cast.named(match["title"], match["name"]) if match else None
        if character and not POSSESSIVE.match(speech, match.end()):
            named.add(character)
    return named


def tag_role(match: re.Match, cast: Cast) -> str:
    """The role a tag's subject names: 'the turnkey', 'a student', 'nanny', 'the Doctor'."""
    if match["bare"]:
        return match["bare"]
    if match["det"] in ("the", "a"):
        return role_phrase(match.string, match.end("det"))
    if match["name"] in TITLES and cast.named(match["title"], match["name"]) is None:  # 'said the Doctor'
        return match["name"].lower()
    return ""


def addressed_holders(paragraphs: list[str], cast: Cast, roles: dict[str, int]) -> dict[str, Character]:
    """For each role (its tags' uses), the character whom the speech just before its tagged speeches addresses
    by name, as for an epithet ('"Come, Bill," …' / '"…," said the robber': tasks/text/speakers/epithets.py);
    a first name alone is the one character whose full name it opens (one call: one pass over the book)."""
    opening: dict[str, set[Character]] = defaultdict(set)  # a first name -> the characters whose full names it opens
    for f, c in cast.by_form.items():
        if not f.title and f.first:
            opening[f.first].add(c)

    def owner_of(text: str) -> Character | None:
        form = whole_form(text, cast.words)
        if form is None or form in cast.by_form:
            return cast.by_form.get(form) if form else None
        opened = set() if form.title else opening.get(form.last, set())
        return next(iter(opened)) if len(opened) == 1 else None

    return epithet_owners(paragraphs, roles, owner_of, ROLE_EVIDENCE)


def title_holders(paragraphs: list[str], cast: Cast, role: str) -> set[Character]:
    """The characters the book names with this role as a title ('Doctor Losberne' for 'the doctor')."""
    title = title_of(role.capitalize())
    if title not in TITLES:
        return set()
    holders = set(title_bearers(cast, role))
    for paragraph in paragraphs:
        for match in NAME.finditer(paragraph):
            if title_of(match["title"]) == title and (found := surname_holder(cast, match["name"].split()[-1])):
                holders.add(found)
    return holders


def surname_holder(cast: Cast, surname: str) -> Character | None:
    holders = {c for c in cast.characters if any(form.last == surname for form in c.forms)}
    return holders.pop() if len(holders) == 1 else None


def role_character(cast: Cast, label: str, role: str, votes: Counter) -> Character:
    """A character for a role no name is linked to, added to the cast."""
    m, f = votes["M"], votes["F"]
    gender = ENGLISH_PERSON_NOUNS.get(role.split()[0]) or ("M" if m > f else "F" if f > m else "")
    character = Character(label, gender=gender)
    cast.characters.append(character)
    return character
