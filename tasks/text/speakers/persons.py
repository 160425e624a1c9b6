"""Forms of names joined into persons, from the most telling down.

A first name and surname make a person ("John Knightley"), and a nickname or another spelling of the
given name with the same surname the same one ("Bill Sikes", "Mr. William Sikes"; "Charley Bates", "Master
Charles Bates"); a title and surname ("Mr. Knightley") join the one person of that surname whose gender the
title allows (the pronouns', else the given name's), unless the book keeps them apart by naming that person
with title and first name again and again, and less often than the short form ("Mr. John Knightley": then
"Mr. Knightley" is someone else), and "Miss" or "Mr." with the surname of several the eldest child ("Miss
Bennet" is Jane, "Mr. Bertram" Tom), never a man the book calls "Sir" or "Lord"; a title and first name
("Miss Maria") the one person that first name opens; a first name alone joins the one person it opens (of
several, the one whose full name the text gives before it: "John" after "John Andrew", not "John Beaver"), a
surname alone the one man (or else the one person; not a woman where its own pronouns are a man's: "Archer",
"Mrs. Archer") it ends; a hyphened name the person its last part names ("Winnie-the-Pooh"). "Mr. Bennet",
"Mrs. Bennet" and "Miss Bennet" stay three; "Monsieur Poirot" and "Mr. Poirot" are one (a title in another
language is the same title).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .name_variants import given_name_gender, same_given_name, same_spelling
from .speech_verbs import TITLES

MARRIED = {"Mrs", "Lady", "Madame", "Mme", "Frau", "Signora", "Señora", "Senhora", "Doña"}  # a wife's (or widow's) title
ELDEST = {"Miss", "Mlle", "Mademoiselle", "Fräulein", "Signorina", "Señorita", "Mr"}  # the eldest child's, with a surname
ONE_TITLE = {**dict.fromkeys("Monsieur M Herr Signor Señor Senhor".split(), "Mr"),  # one man's title in any language
             **dict.fromkeys("Madame Mme Frau Signora Señora Senhora".split(), "Mrs"),
             **dict.fromkeys("Mademoiselle Mlle Fräulein Signorina Señorita".split(), "Miss")}
KNIGHTS = {"Sir", "Lord"}  # a man's titles that no 'Mr.' shares
BARRING_USES = 5  # "Mr. John Knightley" this often: "Mr. Knightley" is another man


@dataclass(frozen=True)
class Form:
    """One way the book names someone: an optional title and one to three name words."""

    title: str | None
    words: tuple[str, ...]

    @property
    def first(self) -> str | None:
        return self.words[0] if len(self.words) > 1 else None

    @property
    def last(self) -> str:
        return self.words[-1]


def gender_of(forms: set[Form], votes: dict[Form, Counter]) -> str:
    said = {TITLES.get(form.title, "") for form in forms if form.title} - {""}
    if len(said) == 1:
        return said.pop()
    total = sum((votes.get(form, Counter()) for form in forms), Counter())
    m, f = total["M"], total["F"]
    return "M" if m >= 1 and m > 1.5 * f else "F" if f >= 1 and f > 1.5 * m else ""


def dominant(keys: list[tuple], weight: Callable[[tuple], float]) -> list[tuple]:
    """The one of several persons that weighs three times as much as the rest (by the book's uses of its
    forms, say), else all of them."""
    if len(keys) < 2:
        return keys
    ranked = sorted(((weight(key), key) for key in keys), reverse=True)
    return [ranked[0][1]] if ranked[0][0] > 0 and ranked[0][0] >= 3 * ranked[1][0] else keys


def join_forms(people: list[Form], uses: Counter, votes: dict[Form, Counter], told: Counter) -> list[set[Form]]:
    """Forms grouped into persons, most telling forms first (see the module's docstring); `told` counts, for
    a first name and a full form it opens, the uses of the first name alone that the full form was the last
    such to come shortly before (characters.full_names_before)."""
    joiner = Joiner(people, uses, votes, told)
    joiner.join_full_names()
    join_nicknames(joiner.persons, uses)
    joiner.join_titled_surnames()
    joiner.join_single_names()
    join_hyphened_tails(joiner.persons)
    return list(joiner.persons.values())


class Joiner:
    """The persons found so far, keyed by (first, last), (title, last, 'titled') or (name,), and what the
    rules ask of them."""

    def __init__(self, people: list[Form], uses: Counter, votes: dict[Form, Counter], told: Counter):
        self.people, self.uses, self.votes, self.told = people, uses, votes, told
        self.persons: dict[tuple, set[Form]] = defaultdict(set)
        self.titles_of: dict[str, set[str]] = defaultdict(set)  # surname -> titles used with it alone
        for form in people:
            if form.title and not form.first:
                self.titles_of[form.last].add(form.title)

    def join_full_names(self) -> None:
        """First name and surname: a person ('Mrs. John Knightley': his wife; 'Princess Abdul Akbar': 'Jenny
        Abdul Akbar')."""
        men = {(f.first, f.last) for f in self.people if f.first and (
            TITLES.get(f.title or "") == "M" or (not f.title and gender_of({f}, self.votes) == "M"))}
        for form in self.people:
            if form.first:
                wife = TITLES.get(form.title or "") == "F" and (form.first, form.last) in men
                whole = compound_surname(form, self.people)
                self.persons[(form.title, form.first, form.last) if wife else whole or (form.first, form.last)].add(form)

    def join_titled_surnames(self) -> None:
        """'Mr. Knightley': the one person of that surname the title allows (or the eldest child); 'Miss Maria':
        the one person whose first name it is (`first_named`); else a titled person of its own."""
        unjoined = []
        for form in sorted((f for f in self.people if f.title and not f.first), key=lambda f: -self.uses[f]):
            mother = form.title in MARRIED and "Miss" in self.titles_of[form.last]  # 'Mrs. Maylie', 'Lady Lucas': not 'Miss Maylie'
            fits = [key for key in self.persons if len(key) == 2 and not mother and not self.knighted(key, form.title)
                    and ((key[1] == form.last and self.title_allows(key, form.title) and not self.barred(key, form.title))
                         or (form.last in self.firsts(key) and any(f.title == form.title for f in self.persons[key])))]
            fits = [key for key in fits if self.gender(key) or key[0] == form.last] if len(fits) > 1 else fits
            if form.title in ELDEST and len(fits) > 1:
                fits = self.eldest(fits, form.title)
            fits = dominant(fits, self.weight)
            titled = (ONE_TITLE.get(form.title, form.title), form.last, "titled")  # 'Monsieur Poirot' is 'Mr. Poirot'
            if fits:
                self.persons[fits[0] if len(fits) == 1 else titled].add(form)
            else:
                unjoined.append((form, titled))
        for form, titled in unjoined:  # once every surname has its titles
            self.persons[next(iter(self.first_named(form)), titled)].add(form)

    def join_single_names(self) -> None:
        """A first name alone joins the one person it opens (or else whose first name it spells otherwise:
        'Charly', 'Charley Bates'), a surname alone the one man (or else the one
        person) it ends ('Weston' is Mr. Weston, not the 'Weston Churchill' named once)."""
        for form in sorted((f for f in self.people if not f.title and not f.first), key=lambda f: -self.uses[f]):
            by_first = [key for key in self.persons if form.last in self.firsts(key)] or [
                key for key in self.persons if any(same_spelling(form.last, first) for first in self.firsts(key))]
            by_last = [key for key in self.persons if len(key) > 1 and key[1] == form.last and key[0] != form.last]
            men = dominant([key for key in by_last if self.gender(key) == "M"], self.weight)
            if not men and gender_of({form}, self.votes) == "M":  # 'said Archer. He …' is not Mrs. Archer
                by_last = [key for key in by_last if self.gender(key) != "F"]
            titled_men = [key for key in men if len(key) == 3 and key[2] == "titled"]  # 'Knightley': 'Mr. Knightley'
            by_surname = men if len(men) == 1 else titled_men if len(titled_men) == 1 else by_last
            fits = self.opened_by(form.last, by_first) or by_surname
            if len(fits) == 1 and len(by_surname) == 1 and dominant(fits + by_surname, self.weight) == by_surname:
                fits = by_surname
            self.persons[fits[0] if len(fits) == 1 else (form.last,)].add(form)

    def first_named(self, form: Form) -> list[tuple]:
        """'Miss Maria', 'Lady Brett': the one person that first name opens, where no one's surname is that
        word and the person bears no other title nor a gender the title denies ('Sir Henry' is not 'Mr. Crawford')."""
        keys = [key for key in self.persons if len(key) == 2 and form.last in self.firsts(key)]
        if len(keys) != 1 or any(len(key) > 1 and key[1] == form.last for key in self.persons):
            return []
        said, known = TITLES.get(form.title, ""), self.gender(keys[0])
        return keys if self.titles(keys[0]) <= {form.title} and said in ("", known or said) else []

    def knighted(self, key: tuple, title: str) -> bool:
        """'Mr. Elliot' is not 'Sir Walter Elliot': a man the book gives a knight's or lord's title is no 'Mr.'."""
        return ONE_TITLE.get(title, title) == "Mr" and bool(self.titles(key) & KNIGHTS)

    def weight(self, key: tuple) -> int:
        return sum(self.uses[f] for f in self.persons[key])

    def opened_by(self, first: str, keys: list[tuple]) -> list[tuple]:
        """Of the persons a first name opens, the one whose full name comes before the first name alone
        three times as often as any other's ('John' after 'John Andrew', not 'John Beaver'), else the one
        the book names three times as often as the rest."""
        nearby = dominant(keys, lambda key: sum(self.told[(first, f)] for f in self.persons[key]))
        return nearby if len(nearby) == 1 else dominant(keys, self.weight)

    def firsts(self, key: tuple) -> set[str]:
        return {f.first for f in self.persons[key] if f.first} if len(key) == 2 else set()

    def titles(self, key: tuple) -> set[str]:
        return {f.title for f in self.persons[key] if f.title}

    def gender(self, key: tuple, first_alone: bool = True) -> str:
        """'Adela Quested' is a woman if 'Adela' is (the first name alone joins later); not asked of a
        wife's title, which may be the mother's ('Mrs. Theobald' is not 'Lilia Theobald')."""
        alone = {Form(None, (first,)) for first in self.firsts(key) - {key[1]}} if first_alone else set()
        return gender_of(self.persons[key] | (alone & set(self.people)), self.votes)

    def barred(self, key: tuple, title: str) -> bool:
        """'Mr. John Knightley' named so again and again, and 'Mr. Knightley' more often still: another man
        ('Mr. Churchill', rarer than 'Mr. Frank Churchill', is him for short); not a person named with several
        forms of the first name ('Master Charles Bates' does not keep 'Master Bates' from 'Charley Bates')."""
        return len({f.first for f in self.persons[key] if f.first}) == 1 and any(
            f.title == title and f.first and BARRING_USES <= self.uses[f] < self.uses[Form(title, (f.last,))]
            for f in self.persons[key])

    def eldest(self, keys: list[tuple], title: str) -> list[tuple]:
        """'Miss Bennet' is the eldest daughter, 'Mr. Bertram' the eldest son: the one never named with the
        title and a first name ('Miss Elizabeth', 'Mr. Edmund Bertram') nor with another ('Sir Thomas')."""
        plain = [key for key in keys
                 if not any(self.uses[Form(title, (first,))] + self.uses[Form(title, (first, key[1]))]
                            for first in self.firsts(key)) and not self.titles(key) - {title}]
        return plain if len(plain) == 1 else keys

    def title_allows(self, key: tuple, title: str) -> bool:
        """The title's gender is the person's, or unknown where the person is the only one the book names
        with this surname and no title of the other gender is ('Mr. Chitling' is 'Tom Chitling', of whom no
        pronoun tells); a wife's title is the only woman's of the surname where its man's title is used too
        ('Mrs. Pontellier', 'Mr. Pontellier': 'Edna Pontellier'); where no pronoun tells, a given name does
        for any other title ('Mr. Eshton' is not 'Louisa Eshton')."""
        said = TITLES.get(title, "")
        known = self.gender(key, title not in MARRIED) or ("" if title in MARRIED else given_name_gender(key[0]))
        if said in ("", known):
            return True
        if title in MARRIED:
            wedded = any(TITLES.get(t) == "M" for t in self.titles_of[key[1]])
            women = [k for k in self.persons if len(k) == 2 and k[1] == key[1] and self.gender(k) != "M"]
            return not known and wedded and women == [key] and self.gender(key) == said
        others = {TITLES.get(t) for t in self.titles_of[key[1]]} - {"", said}  # 'Mrs. X' too: which is 'Edna X'?
        return not known and not others and [k[1] for k in self.persons if len(k) == 2].count(key[1]) == 1


def compound_surname(form: Form, people: list[Form]) -> tuple | None:
    """A title and two or three words that end the one longer name the book gives ('Princess Abdul Akbar',
    'Jenny Abdul Akbar'): a surname of several words, the person of that name's key."""
    if not form.title:
        return None
    n = len(form.words)
    holders = {(f.first, f.last) for f in people if not f.title and len(f.words) > n and f.words[-n:] == form.words}
    return holders.pop() if len(holders) == 1 else None


def join_hyphened_tails(persons: dict[tuple, set[Form]]) -> None:
    """'Winnie-the-Pooh' is the 'Pooh' the book names alone: a one-word name joins the one person its last
    capitalized hyphened part names."""
    for key in [k for k in persons if len(k) == 1 and "-" in k[0]]:
        tail = key[0].rsplit("-", 1)[1]
        holders = [k for k, forms in persons.items() if k != key and Form(None, (tail,)) in forms]
        if tail[:1].isupper() and len(holders) == 1:
            persons[holders[0]] |= persons.pop(key)


def join_nicknames(persons: dict[tuple, set[Form]], uses: Counter) -> None:
    """'Bill Sikes' and 'Mr. William Sikes', 'Jack Dawkins' and 'Mr. John Dawkins': one person, under the
    key of the more used; not where the book uses both names without the surname ('Tom' and 'Sir Thomas'
    Bertram: son and father)."""
    def weight(key: tuple) -> int:
        return sum(uses[f] for f in persons[key])

    def alone(first: str) -> int:
        return sum(n for f, n in uses.items() if f.words == (first,))

    for key in sorted((k for k in persons if len(k) == 2), key=lambda k: (-weight(k), k)):
        if key in persons:
            for other in [k for k in persons if len(k) == 2 and k != key and k[1] == key[1]
                          and same_given_name(k[0], key[0]) and min(alone(k[0]), alone(key[0])) < BARRING_USES]:
                persons[key] |= persons.pop(other)
