"""Speech tags: the narration next to a speech that says who speaks, and what its subject names.

A tag follows its speech ('"…," said Emma', '"…," Emma said', '"…," cried his wife', '"…" was Lucy's
reply', '"…," she heard Ralph say') or leads into it ('Aziz … said: "…"', 'He turned and said, "…"', 'looked
at Ben, who said, "…"'), across dashes and colons, with a verb from the language's lexicon
(tasks/text/speakers/speech_verbs.py). Its subject is a name (looked up in
the book's characters, also after an adjective: 'said dour Major Callendar'), 'I' (the narrator), a role
('said the turnkey', 'said nanny': tasks/text/speakers/roles.py), a pronoun, or a description ('his wife', 'the
old man', 'replied the other'); the last two are resolved by tasks/text/speakers/attribution.py, which knows the
conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .characters import CAPITALIZED, PARTICLE, TITLE, Cast, Character, title_of
from .speech_verbs import (CONTINUING_VERBS, ENGLISH_ANYONE_NOUNS, ENGLISH_BARE_ROLES, ENGLISH_LINKING_WORDS, ENGLISH_PERSON_NOUNS,
                           ENGLISH_PHRASE_ENDS, ENGLISH_POSSESSIVES, ENGLISH_RANK_NOUNS, ENGLISH_REPLY_NOUNS, PRONOUNS,
                           CLAUSE_OPENERS, CONJUNCTIONS_BEFORE_A_NAME, GERUND_PREPOSITIONS, SPEECH_PHRASES, SUBORDINATORS,
                           TITLES, VERBS_BEFORE_AN_OBJECT, is_participle, language_words, not_before_a_subject,
                           speech_verbs)

ABBREVIATED = ("Mr", "Mrs", "Dr", "St", "Ms")  # titles written with a period that ends no sentence
DETERMINERS = {"fr": ("le", "la", "les", "l'", "un", "une", "son", "sa", "ses"),
               "es": ("el", "la", "los", "las", "un", "una", "su"), "it": ("il", "lo", "la", "gli", "un", "una", "suo", "sua"),
               "de": ("der", "die", "das", "ein", "eine", "sein", "seine", "ihr", "ihre")}
OPENING_ARTICLES = ("The", "A", "An")  # an article opening a sentence, before a description ('The waiter said')
SENTENCE_OPENERS = ("there", "here", "now")  # with linking words and subordinators: capitalized, they open no name
AFTER_WINDOW = 120  # characters of narration after a speech that may hold its tag
BEFORE_WINDOW = 240  # characters of narration before a speech that may hold a leading tag
WIVES = frozenset({"Mrs", "Lady"})  # the titles a married woman bears with the surname
HUSBANDS = frozenset({"Mr", "Sir", "Lord"})  # and a married man
KINSHIP = {"mother": (WIVES, "F"), "wife": (WIVES, "F"), "father": (HUSBANDS, "M"), "husband": (HUSBANDS, "M"),
           "sister": (frozenset(), "F"), "brother": (frozenset(), "M"), "daughter": (frozenset(), "F"),
           "son": (frozenset(), "M")}


@dataclass(frozen=True)
class Tag:
    """What a tag's subject tells: a character, the narrator, or a gender to resolve in context."""

    kind: str  # "name", "title", "I", "pronoun", "description", "kin", "unknown"
    character: Character | None = None
    gender: str = ""  # for pronouns and descriptions
    owner_gender: str = ""  # for kin: 'her mother' -> "F"
    noun: str = ""
    start: int = 0
    continues: bool = False  # 'she added': the speaker goes on  # where the subject starts in the paragraph's text (or the lead-in paragraph's)


@lru_cache(maxsize=None)
def tag_patterns(language: str) -> tuple[re.Pattern, ...]:
    """(after: verb first, after: subject first, before, after: reply noun, subject) patterns for a language."""
    verbs = sorted(speech_verbs(language), key=len, reverse=True)
    phrases = [p.replace(" ", r"\s+") for lang in {language, "en"} for p in SPEECH_PHRASES.get(lang, ())]
    verb = rf"(?:{'|'.join(phrases + [re.escape(v) for v in verbs])})"
    verb_group = rf"(?P<verb>{verb[3:-1]})"
    pronouns = {**PRONOUNS["en"], **PRONOUNS.get(language, {})}
    pronoun = "|".join(sorted({*pronouns, *(word.capitalize() for word in pronouns)}, key=len, reverse=True))  # 'She said,'
    det = "|".join([*ENGLISH_POSSESSIVES, *DETERMINERS.get(language, ())]) + rf"|{CAPITALIZED}['’]s"  # "Dan's girl"
    det += "|" + "|".join(OPENING_ARTICLES)  # 'The waiter said, “…”'
    openers = {*ENGLISH_LINKING_WORDS, *SENTENCE_OPENERS, *language_words(SUBORDINATORS, language), *language_words(CLAUSE_OPENERS, language)}
    openers_pattern = "|".join(sorted(word.capitalize() for word in openers))
    not_name = rf"(?!(?:{'|'.join(OPENING_ARTICLES)})\s+[a-z]|(?:{openers_pattern})\s)"  # 'As Mrs. Weston', 'And Harriet'
    personal = "|".join(t for t in TITLE.split("|") if t not in ("St", "Saint"))  # 'Reggie St Cloud': a name's part
    not_name += rf"(?!(?:{personal})\.?\s+{CAPITALIZED})"  # 'called Mr. Crawford's attention': no name 'Mr'
    no_title = rf"(?:(?<=\bThe\s)|(?!(?:{personal})\b))"  # 'Suddenly Mrs. Hilbery': a title starts a new name ('The King': none)
    not_adjectives = "|".join([*not_before_a_subject(language), *ENGLISH_LINKING_WORDS])  # 'to Mr. K.', 'which Mrs. I.'
    adjective = rf"\b(?!(?:{not_adjectives})\s)[a-z]+(?:-[a-z]+)*\s+"
    subject = (rf"(?:(?P<pronoun>\b(?:{pronoun})\b)"
               rf"|(?:the\s+(?:{adjective}){{0,2}}?|(?:poor|little|old|young|dear)\s+"
               rf"|(?P<adjective>{adjective})(?=(?:{TITLE})\.?\s))?(?:(?P<title>{TITLE})\.?\s+)?"  # 'dour Major Callendar'
               rf"{not_name}(?P<name>\b(?:{PARTICLE})?{CAPITALIZED}(?:\s+(?:{PARTICLE})?{no_title}{CAPITALIZED}){{0,2}})\b(?!['’]s\b)"
               rf"|(?P<det>\b(?:{det}))(?:(?<=['’])|\s+)(?:[^\W\d_A-Z]+\s+){{0,2}}?(?P<noun>[^\W\d_A-Z]+(?:-[^\W\d_A-Z]+)*)\b(?!['’]s\b)"  # 'le curé', "l'homme", 'the under-secretary'
               rf"|(?P<bare>\b(?:{'|'.join(ENGLISH_BARE_ROLES)})\b))")  # 'said nanny'
    adverb = r"(?:[^\W\d_A-ZÀ-ÖØ-Þ]\w*(?:ly|ment|mente)\s+|again\s+|now\s+|then\s+|at\s+last\s+|at\s+once\s+)?"
    # an adverb is in lower case: 'said Polly Cockpurse' is Polly Cockpurse, not 'Polly' and 'Cockpurse'
    aux = r"(?:had\s+|has\s+|would\s+|could\s+|did\s+|was\s+|is\s+)?"
    lead = r"[\s,;:.!?—–-]*"
    after_verb_first = re.compile(rf"{lead}{adverb}{verb}\b(?:-t-|-|\s*,?\s*){adverb}{subject}")  # 'dit-il'
    heard = r"(?:(?:he|she|I|they|we)\s+(?:heard|hears)\s+)?"  # '"…," she heard Ralph say'
    beat = "|".join(word.capitalize() for word in pronouns if word != "I")  # '"…." She smiled at him.': a beat, no tag
    after_subject_first = re.compile(rf"{lead}{heard}(?!(?:{beat})\b){subject}\s*,?\s+{adverb}{aux}{adverb}{verb}\b")
    not_title = "".join(rf"(?<!\b{t}\.\s)" for t in ABBREVIATED)
    title_period = "|".join(rf"(?<=\b{t})\." for t in ABBREVIATED)
    filler = rf"(?:[^.!?“”\"]|{title_period})"  # 'said to Mr. Knightley'
    reported = r"(?!\s+that\s[^,:;—–-]*\.\s*$)"  # 'Aziz guessed that Stella was beautiful.': no lead-in
    before = re.compile(rf"(?:^|{not_title}(?<=[.!?]\s)|(?<=[.!?][”\"]\s)|(?<=[;—]\s)|(?<=--)|(?<=\.\.\.)|(?<=…))\s*"
                        rf"{filler}{{0,{BEFORE_WINDOW}}}\b{verb_group}\b{reported}(?:,?\s+[\w’'-]+){{0,8}}?\s*(?:[,:;—–-]*|\.)\s*$")
    owner = (rf"(?:(?P<pronoun>his|her|my)|(?:(?P<title>{TITLE})\.?\s+)?(?P<name>{CAPITALIZED}(?:\s+{CAPITALIZED}){{0,2}})['’]s"
             rf"|(?P<det>the|a)\s+(?:[a-z]+\s+){{0,2}}?(?P<noun>[a-z]+)['’]s)")  # 'his', 'Lucy's', 'the old man's'
    reply = re.compile(rf"{lead}(?:was|were|came)\s+(?:the\s+)?{owner}\s+(?:[a-z]+\s+){{0,2}}?(?:{'|'.join(ENGLISH_REPLY_NOUNS)})\b")
    return after_verb_first, after_subject_first, before, reply, re.compile(subject)


def find_tags(after: str, before: str, language: str, after_speech: bool = False) -> list[tuple[re.Match, int]]:
    """Tags next to a speech, likeliest first, each with the offset its match is relative to (0: `after`;
    else 1 + where in `before` it is matched). A leading tag's verb is the speech verb nearest the speech
    ('After Harry answered, Rose said,': 'said'). A leading tag's sentence may hold several subjects
    ('Fanny sat down; and Julia, who…, exclaimed'): each is offered (leading_subjects). `after_speech`:
    `before` follows another speech of the paragraph; in the sentence of that speech's own tag, a subject
    after 'when' or 'as' is no speaker ('"I hope," said Oliver, when Mrs. Maylie returned, "that…"'). Before a
    pronoun tag after the speech comes the name of a lead-in before it (named_lead_in)."""
    before_pattern = tag_patterns(language)[2]
    tail = before[-BEFORE_WINDOW:]
    offset = len(before) - len(tail) + 1
    own = own_tag(before, language) if after_speech else None
    if match := own_tag(after, language):  # the tag after the speech
        return [*named_lead_in(tail, own, offset, language), (match, 0)] if match["pronoun"] else [(match, 0)]
    if match := before_pattern.search(tail):
        found = leading_subjects(tail, match, language)
        if in_own_tag(match, own, offset):
            found = [f for f in found if word_before(tail, own_start(f)) not in language_words(SUBORDINATORS, language)
                     or OWN_SPEECH_NEXT.fullmatch(tail, f.end())]  # 'said Kanga, while Roo said “Hush!”'
        return [(f, offset) for f in found]
    return []


def in_own_tag(match: re.Match, own: re.Match | None, offset: int) -> bool:
    """Whether a leading tag found in `before`'s tail (from `offset`) starts in the sentence of the speech
    before's own tag."""
    return own is not None and match.start() < own.end() - offset + 1


def named_lead_in(tail: str, own: re.Match | None, offset: int, language: str) -> list[tuple[re.Match, int]]:
    """Before a speech with a pronoun tag, the name a lead-in ending in a comma or colon offers first ('and
    Cassandra exclaimed, "…," she added': Cassandra); none where the narration is the speech before's own tag."""
    before_pattern = tag_patterns(language)[2]
    if not LEADS_IN.search(tail) or not (match := before_pattern.search(tail)) or in_own_tag(match, own, offset):
        return []
    first = next(iter(leading_subjects(tail, match, language)), None)
    return [(first, offset)] if first is not None and first["name"] else []


RELATIVE = re.compile(r",?\s+who\b")
OWN_SPEECH_NEXT = re.compile(r"\s+(?:\w+ly\s+)?\w+\s*")  # a subject whose verb ends the narration, no comma


def leading_subjects(tail: str, match: re.Match, language: str) -> list[re.Match]:
    """The subjects of a leading tag's sentence, likeliest first: the one a relative 'who' nearest the
    verb goes back to ('looked at Ben, who said'; 'Fanny, who had heard it all, now ventured to say'),
    then the others nearest the verb first; objects left out ('turning to Emma, he said'; not one the verb
    follows: 'she stopped, for the White Rabbit cried out,'), and pronouns opening a clause ('saw he was out
    of temper', 'saw what he was doing') offered only where nothing else is. Before a gerund ('by saying')
    after a noun ('broke the silence by saying'), the sentence's first subject comes first; a name whose
    possessive the verb follows is the one subject ('roused by Miss Bates's saying,')."""
    subject = tag_patterns(language)[4]
    every = list(subject.finditer(tail, match.start(), match.start("verb")))
    subjects = [found for found in every if not is_object(tail, found, language)
                or VERB_NEXT.fullmatch(tail, found.end(), match.start("verb"))]  # 'for the White Rabbit cried out,'
    owner = POSSESSIVE_BEFORE_VERB.search(tail, match.start(), match.start("verb"))
    if owner and (possessive := subject.match(tail, owner.start("name"))):  # 'roused by Miss Bates's saying,'
        return [possessive]
    openers = language_words(CLAUSE_OPENERS, language)
    main = [found for found in subjects if not (found["pronoun"] and word_before(tail, own_start(found)) in openers)]
    if word_before(tail, match.start("verb")) in language_words(GERUND_PREPOSITIONS, language) and len(main) > 1 and main[-1]["noun"]:
        return main  # 'Julia called Mr. Crawford's attention to it, by saying,'
    ordered = list(reversed(main or subjects))
    antecedent = next((found for found in reversed(every)
                       if names_someone(found) and RELATIVE.match(tail, found.end())), None)
    return [antecedent, *(found for found in ordered if found is not antecedent)] if antecedent else ordered


def names_someone(subject: re.Match) -> bool:
    """A subject that is a name or a noun after its article ('the Lory'), not a pronoun."""
    return bool(subject["name"] or subject["det"])


def is_object(text: str, found: re.Match, language: str) -> bool:
    """A subject that reads as an object, after a preposition, determiner or participle ('turning to Emma,
    he said', 'In diesem Augenblick sagte Effi', 'addressing the gentleman, said'); a name after a determiner
    that is also a conjunction is none ('said so much about it that Lilia interrupted him with,')."""
    word = word_before(text, own_start(found))
    if not found["pronoun"] and (is_participle(language, word) or word in language_words(VERBS_BEFORE_AN_OBJECT, language)):
        return True  # 'and addressing the gentleman, said,'; 'then saw her husband and exclaimed:'
    return word in not_before_a_subject(language) and not (found["name"] and word in language_words(CONJUNCTIONS_BEFORE_A_NAME, language))


VERB_NEXT = re.compile(r"\s+(?:\w+ly\s+)?")  # between a subject and its verb: at most an adverb
POSSESSIVE_BEFORE_VERB = re.compile(rf"(?:\b(?:{TITLE})\.?\s+)?(?P<name>{CAPITALIZED})['’]s\s+$")


def own_tag(text: str, language: str) -> re.Match | None:
    """The tag that opens narration after a speech and is that speech's own ('"Yes," she said.')."""
    after_verb_first, after_subject_first, _, reply, _ = tag_patterns(language)
    window = text[:AFTER_WINDOW]
    return next((found for p in (after_verb_first, after_subject_first, reply) if (found := p.match(window))), None)


WORD_BEFORE = re.compile(r"(\w+)\s+$")


def word_before(text: str, at: int) -> str:
    """The word just before `at` (lower case), "" where none."""
    word = WORD_BEFORE.search(text, max(0, at - 20), at)
    return word[1].lower() if word else ""


def own_start(subject: re.Match) -> int:
    """Where a subject starts, an adjective before a title left out ('At last Mr. Knightley': 'Mr.', after 'last')."""
    return subject.start("title") if subject.groupdict().get("adjective") else subject.start()


LEAD_IN_END = re.compile(r"(?:[,:;.—–-]|\w)\s*$")


def lead_in_tags(previous: str, language: str) -> list[tuple[re.Match, int]]:
    """Tags closing a narration paragraph that leads into the next one's speech ('Harriet thus began:')."""
    return find_tags("", previous, language) if LEAD_IN_END.search(previous) else []


def closing_narration(text: str, spans: list[tuple[int, int]], language: str) -> str:
    """The narration that closes a paragraph after its last speech, where it may lead into the next
    paragraph's speech ('… "wished they might be happy." … Charlotte said,'); after the last speech's own
    tag only where it goes on to lead in ('said Johnnie, …, whereupon James … exclaimed:'); none where the
    paragraph ends in speech."""
    if not spans:
        return text
    closing = text[spans[-1][1]:]
    if own := own_tag(closing, language):
        closing = closing[own.end():] if LEADS_IN.search(closing) else ""
    return closing if closing.strip() else ""


LEADS_IN = re.compile(r"[:,—–-]\s*$")


def read_tag(match: re.Match, cast: Cast, language: str, start: int) -> Tag:
    """What a tag says before any context: its subject (a character, 'I', or a gender to resolve), and
    whether its verb goes on from a pause ('she added')."""
    return replace(subject_tag(match, cast, language, start), continues=bool(continuing(language).search(match[0])))


@lru_cache(maxsize=None)
def continuing(language: str) -> re.Pattern:
    verbs = {*CONTINUING_VERBS["en"], *CONTINUING_VERBS.get(language, ())}
    alternatives = "|".join(verb.replace(" ", r"\s+") for verb in sorted(verbs, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b")


def subject_tag(match: re.Match, cast: Cast, language: str, start: int) -> Tag:
    """What a tag's subject says before any context: a character ('said the beadle': the one the book
    calls so, tasks/text/speakers/roles.py), 'I', or a gender to resolve."""
    if match["pronoun"]:
        word = match["pronoun"]
        gender = {**PRONOUNS["en"], **PRONOUNS.get(language, {})}.get(word, PRONOUNS["en"].get(word.lower(), ""))
        gender = gender or ENGLISH_POSSESSIVES.get(word, "")  # 'was his reply'

        if gender == "I":
            return Tag("I", start=start)
        if word.lower() in ("they", "we"):
            return Tag("unknown", start=start)
        return Tag("pronoun", gender=gender, start=start)
    if bare := match.groupdict().get("bare"):
        return Tag("title", cast.roles[bare], start=start) if bare in cast.roles else Tag("none", start=start)
    if name := match["name"]:
        name = name[4:] if name.startswith("The ") and not match["title"] else name  # 'The King said'
        character = titled(cast, name) if name in TITLES else None  # 'said the Major'
        character = character or cast.named(match["title"], name)
        if character is None and (name in TITLES or name.lower() in ENGLISH_BARE_ROLES):
            character = cast.roles.get(name.lower())  # 'said the Doctor', 'Nanny said': a role
        if character:
            return Tag("name", character, start=start)
        if len(title_bearers(cast, name)) > 1:  # 'replied the Major' of a book with two
            return Tag("description", gender=TITLES[name], noun=name.lower(), start=start)
        named = all(cast.words.is_name(word) for word in name.split())
        return Tag("unknown" if named else "none", start=start)  # 'Turton' (Mr. or Mrs.?); 'To this, …'
    noun = head_noun(match)
    if (owner := possessor(match, cast)) is not None and (noun == "voice" or noun not in ENGLISH_PERSON_NOUNS):
        return Tag("name", owner, start=start)  # 'said Hamidullah's voice', 'was Edmund's only reply'
    if (found := VOICE_OF.match(match.string, match.end("det"))) and (
            owner := cast.named(found["title"], found["name"])):
        return Tag("name", owner, start=start)  # 'called the shattered voice of Aziz'
    det = match["det"].lower()  # 'The waiter said'
    if det in ("the", "a") and (character := cast.roles.get(role_phrase(match.string, match.end("det")))):
        return Tag("title", character, start=start)  # 'said the beadle': Mr. Bumble; 'said the turnkey'
    if noun not in ENGLISH_RANK_NOUNS and (character := titled(cast, noun)):
        return Tag("title", character, start=start)  # 'said the colonel'; 'said the old lady' is anyone
    if match["det"] in OPENING_ARTICLES:
        return Tag("none", start=start)  # 'The lady said': only a role of the book is told; else the turn decides
    owner = ENGLISH_POSSESSIVES.get(det, "")
    if noun in KINSHIP and owner in ("M", "F"):
        return Tag("kin", gender=KINSHIP[noun][1], owner_gender=owner, noun=noun, start=start)
    gender = ENGLISH_PERSON_NOUNS.get(noun)
    if gender or (gender == "" and (det not in ("the", "a", "an", "this", "that") or title_bearers(cast, noun)
                                    or (det == "the" and noun == "other"))):  # 'replied the other': of the two
        return Tag("description", gender=gender, noun=noun, start=start)  # 'her companion': someone known
    return Tag("unknown", start=start) if gender == "" else Tag("none", start=start)  # 'the lawyer', 'the door'


VOICE_OF = re.compile(rf"\s+(?:[a-z]+\s+){{0,2}}?voice\s+of\s+(?:the\s+)?(?:(?P<title>{TITLE})\.?\s+)?(?P<name>{CAPITALIZED}(?:\s+{CAPITALIZED}){{0,2}})\b")
POSSESSOR = re.compile(rf"(?:(?P<title>{TITLE})\.?\s+)?(?P<name>{CAPITALIZED})['’]s$")


def possessor(match: re.Match, cast: Cast) -> Character | None:
    """The character whose voice or reply a tag names ('Hamidullah's voice', 'Mrs. Inglethorp's')."""
    if not match["det"] or not (found := POSSESSOR.search(match.string, max(0, match.start("det") - 6), match.end("det"))):
        return None
    return cast.named(found["title"], found["name"])


HEAD_WORDS = re.compile(r"(?:\s+([a-z]+)){1,2}")
PHRASE_WORDS = re.compile(r"(?:\s+[a-z]+(?:-[a-z]+)*\b(?!-)){1,3}")


def role_head(text: str, at: int) -> str:
    """The noun a phrase after an article ends on ('the book-stall keeper, looking in': 'keeper'; 'a growly
    voice'; 'the lawyer with an air': 'lawyer'); "" where no word follows."""
    found = PHRASE_WORDS.match(text, at)
    words = []
    for word in found[0].split() if found else []:
        if word in ENGLISH_PHRASE_ENDS or word.endswith("ing") or word in speech_verbs("en"):
            break  # 'the lawyer with an air', 'The waiter said'
        words.append(word)
    while len(words) > 1 and words[-1].endswith(("ly", "ed")):  # "the man gruffly", "the person addressed"
        words.pop()
    return words[-1] if words else ""


QUALIFIER = re.compile(r"\s+(in\s+the\s+(?:[a-z]+\s+){0,2}?[a-z]+)\b(?=\s*(?:[,.;:!?—–]|$))")


def role_phrase(text: str, at: int) -> str:
    """The role a phrase after an article names: its head noun ('the turnkey'), with the qualifier that
    sets one of anyone apart ('the gentleman in the white waistcoat', 'the man in the cloak')."""
    head = role_head(text, at)
    if head not in ENGLISH_ANYONE_NOUNS or not (found := re.compile(rf"\b{head}\b").search(text, at, at + 40)):
        return head
    qualifier = QUALIFIER.match(text, found.end())
    return f"{head} {qualifier[1]}" if qualifier else head


def head_noun(match: re.Match) -> str:
    """The person a description names: 'the old gentleman' is a gentleman, though its pattern stops at 'old'."""
    following = HEAD_WORDS.match(match.string, match.end())
    words = following[0].split() if following else []
    return next((w for w in reversed(words) if w in ENGLISH_PERSON_NOUNS), match["noun"])




def title_bearers(cast: Cast, noun: str) -> list[Character]:
    """The characters who bear this noun as a title ('the Major': Major Callendar, Major Roberts)."""
    title = title_of(noun.capitalize())
    return [c for c in cast.characters if title in c.titles] if title in TITLES else []


def titled(cast: Cast, noun: str) -> Character | None:
    """The one character the book gives this title ('the Colonel'), if exactly one."""
    bearers = title_bearers(cast, noun)
    return bearers[0] if len(bearers) == 1 else None


def surname(character: Character) -> str | None:
    names = [form.last for form in character.forms if form.first or form.title]
    return max(sorted(set(names)), key=names.count) if names else None


def kin_of(owner: Character, noun: str, cast: Cast) -> Character | None:
    """'her mother', 'his wife': the one character of the owner's surname that the relation fits (a mother
    or wife Mrs. or Lady, a father or husband Mr., Sir or Lord; a sister no married woman)."""
    family = surname(owner)
    if family is None:
        return None
    titles, gender = KINSHIP[noun]
    fits = [c for c in cast.characters if c is not owner and surname(c) == family and c.gender in (gender, "")
            and (c.titles & titles if titles else not c.titles & WIVES)]
    return fits[0] if len(fits) == 1 else None
