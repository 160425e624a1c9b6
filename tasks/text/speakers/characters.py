"""The book's characters, found over the whole book before anyone is given a line.

A name is a name as the book uses it: capitalized mid-sentence more often than written in lower
case ("Very" or "Time" opening a sentence are not names). A form ("Mr. Knightley", "Emma Woodhouse",
"Harriet") is a character's when it carries a title, names a speaker in a tag, or is the subject of
a person's verb ("Emma smiled"); places and common words are neither.

Forms are joined into characters from the most telling down (tasks/text/speakers/persons.py), an
epithet the tags use ('said the Jew') joins the character it names (tasks/text/speakers/epithets.py), and
a name the narration gives as another's ('Mr. John Dawkins, otherwise the Artful Dodger') joins it.
A character's gender is its titles', or else the pronouns that follow its names in the narration, or else
its given names' ('Veronica'); its label is its most used form, a name rather than an epithet, and a full
name rather than a first name two characters' names open ('John Andrew' beside 'John Beaver').
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .epithets import EVIDENCE, epithet_owners
from .name_variants import given_name_gender
from .persons import MARRIED, Form, gender_of, join_forms
from .speech_verbs import TITLES

CAPITALIZED = ("(?:Mc|Mac)?[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+"
               "(?:['’][A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+|(?:-[A-ZÀ-ÖØ-Þa-zß-öø-ÿ][a-zß-öø-ÿ]*)+)?")  # O'Brien, Winnie-the-Pooh
TITLE = "|".join(sorted(TITLES, key=len, reverse=True))
PARTICLE = r"\b(?:de|du|des|d'|d’|von|van|der|di|da|del|della|le|la)\s*"  # 'M. de Rênal', 'Herr von Innstetten'; never inside a word ('while Roo')
PARTICLES = {"de", "du", "des", "von", "van", "der", "di", "da", "del", "della", "le", "la"}
PARTICLE_GAP = re.compile(rf"\b({'|'.join(PARTICLES)})\s+")
NAME = re.compile(rf"(?<![\w.])(?:(?P<title>{TITLE})\.?\s+)?"
                  rf"(?P<name>(?:{PARTICLE})?{CAPITALIZED}(?:\s+(?:{PARTICLE})?{CAPITALIZED}){{0,2}})")
KIN_TITLES = ("aunt", "uncle", "cousin")  # a kin word the book also writes as a title ('Aunt Celia')
ALIAS = re.compile(rf",?\s+\(?(?:otherwise|alias|(?:his|her|their|my)\s+(?P<kin>{'|'.join(KIN_TITLES)}))\s+(?:the\s+)?"
                   r"(?=[A-Z])")  # 'Mr. Claypole, otherwise Bolter', 'Mrs. Milvain, her aunt Celia'
INNER_TITLE = re.compile(rf"\s(?:{TITLE})\b")
MID_SENTENCE_CAPITAL = re.compile(rf"(?:(?<=[a-zß-öø-ÿ,;] )|(?<=[A-Z][a-z]\. )|(?<=[A-Z][a-z]{{2}}\. )){CAPITALIZED}")
LOWER_WORD = re.compile(r"\b[a-zß-öø-ÿ]+\b")
POSSESSIVE = re.compile(r"['’]s\b")  # after a name: its owner's ('Emma's hand'), not a mention of Emma as such
# the commonest English tag shapes, counted over the whole book before any tag is read
TAG_SUBJECT = re.compile(rf"(?:\b(?:said|asked|cried|replied|answered|exclaimed|whispered|called|went on)\s+({CAPITALIZED})"
                         rf"(?=[,.;:!?—]|\s+\w+ly\b)|(?<=[,!?][”’\"'] )({CAPITALIZED})\s+(?:said|asked|cried|replied|answered)\b)")
NAME_TAGS = 3  # 'said May.', '“Yes,” Will said': a word the book's tags name this often is a name
PERSON_VERB = re.compile(
    r"\s+(?:\w+ly\s+)?(?:smiled|laughed|looked|turned|felt|thought|knew|went|came|sat|stood|rose|saw|took|gave|heard|"
    r"nodded|shook|paused|hesitated|began|seemed|wanted|wished|cried|said|replied|asked|answered|walked|ran|put|"
    r"held|kissed|sighed|blushed|frowned|exclaimed|whispered|listened|wondered|hoped|loved|married)\b")
THE_BEFORE = re.compile(r"(?i)\b(?:the|der|die|das|den|dem|des|ein|eine|einen|einem|einer|le|la|les|un|une|el|los|las|il|"
                        r"lo|gli|uno|am|im|vom|zum|zur|beim)\s+$")  # an article: a thing ('die Tage'), or 'the Hatter'
TO_BEFORE = re.compile(r"\bto\s+$")
NOT_PEOPLE = set("""Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December Christmas Easter English French German Italian Spanish Russian American
Indian Indians Hindu Hindus Moslem Urdu Englishman Englishmen Englishwoman Frenchman Frenchmen Irishman Scotchman
Dutchman Anglo-Indian Anglo-Indians European Europeans British Roman Greek Latin Christian Christians Jews Negro Negroes""".split())
PLACE_WORDS = set("""Road Street Square Lane Court Place Gardens Park Hall House Abbey Church Chapel Station Hotel Club
Bridge Hill Hills River Embankment Strand Terrace Row Castle Manor Lodge Cottage Farm Wood Common Heath Crescent""".split())
PLACE_BEFORE = re.compile(r"\b(?:at|from|in|into|near|towards?|through|round|across|reach|reached|visit|visited)\s+$")
NOT_NAMES = {"He", "She", "They", "It", "We", "You", "The", "This", "That", "There", "And", "But", "Then", "I",
             "God", "Heaven", "Lord", "Oh", "Ah", "Yes", "No", "Well", "Why", "What", "Now", "Here", "O",
             "Dieu", "Gott", "Dios", "Dio", "Herrgott"}
RANKS = set("King Queen Prince Princess Duke Duchess Count Countess Baron Baroness Marquis Marquise Emperor Empress "
             "Colonel Captain Major General Admiral Professor Inspector Sergeant Judge Doctor".split())


@dataclass(eq=False)  # one object per character: compared and hashed by identity
class Character:
    label: str
    forms: set[Form] = field(default_factory=set)
    gender: str = ""  # "M", "F", or "" (unknown)
    uses: int = 0

    @property
    def titles(self) -> set[str]:
        return {form.title for form in self.forms if form.title}


@dataclass(frozen=True)
class WordUse:
    """How the book writes its words: capitalized mid-sentence, or lower case."""

    capitalized: Counter
    lower: Counter
    tag_subjects: Counter = field(default_factory=Counter)  # a capitalized word a speech tag names as its subject

    @classmethod
    def of(cls, paragraphs: list[str]) -> "WordUse":
        capitalized, lower, subjects = Counter(), Counter(), Counter()
        for paragraph in paragraphs:
            capitalized.update(MID_SENTENCE_CAPITAL.findall(paragraph))
            lower.update(LOWER_WORD.findall(paragraph))
            subjects.update(a or b for a, b in TAG_SUBJECT.findall(paragraph))
        return cls(capitalized, lower, subjects)

    def is_rank(self, word: str) -> bool:
        """A rank the book writes as a name ('the Queen', 'the Duchess'): capitalized mid-sentence."""
        return word in RANKS and self.lower[word.lower()] < self.capitalized[word]

    def is_name(self, word: str) -> bool:
        """Capitalized mid-sentence more often than written in lower case, or a tag's subject again and again
        ('said May', though 'may' is a common word)."""
        if word in NOT_NAMES or word in TITLES:
            return False
        return self.lower[word.lower()] < self.capitalized[word] > 0 or self.tag_subjects[word] >= NAME_TAGS


def title_of(raw: str | None) -> str | None:
    if raw is None:
        return None
    return {"Mister": "Mr", "Doctor": "Dr", "Reverend": "Rev"}.get(raw, raw)


def form_of(title: str | None, name: str, words: WordUse) -> Form | None:
    """The form in a match's words: leading words that are not names dropped ('Then Holmes'); None if
    nothing is left, or a single word that the book does not use as a name."""
    parts = PARTICLE_GAP.sub("\\1\u00a0", name).split()  # 'de Rênal': one word
    if title is None and parts and parts[0].split("\u00a0")[0] in PARTICLES:
        return None  # 'de Rênal' without its title is not a name the book gives alone
    if title is None and len(parts) == 1 and words.is_rank(parts[0]):
        return Form(None, (parts[0],))  # 'the Queen' of a book whose Queen has no other name
    if title is None:
        while parts and not words.is_name(parts[0]):
            parts.pop(0)
    while parts and parts[-1] in NOT_NAMES:
        parts.pop()
    repeats = [i for i in range(1, len(parts)) if parts[i] == parts[i - 1]]
    if repeats:  # 'William--William Shakespeare': a name repeating a word is two mentions; the later one kept
        parts = parts[repeats[-1]:]
    if not parts or parts[0] in NOT_NAMES:
        return None
    if not any(words.is_name(part.split("\u00a0")[-1]) for part in parts) and not (title and parts[0] not in TITLES):
        return None
    return Form(title_of(title), tuple(part.replace("\u00a0", " ") for part in parts))


@dataclass
class Cast:
    """The book's characters and how each form names one (a form that names several is left out)."""

    characters: list[Character]
    by_form: dict[Form, Character]
    words: WordUse
    surface: dict[Form, str]  # the form as the book writes it most
    roles: dict[str, Character] = field(default_factory=dict)  # 'beadle' -> Mr. Bumble (tasks/text/speakers/roles.py)

    def named(self, title: str | None, name: str) -> Character | None:
        form = form_of(title, name, self.words)
        return self.by_form.get(form) if form else None

    def join(self, other: Character, into: Character) -> None:
        """One character's forms and uses given to another ('Collector' to Mr. Turton), whose label stays."""
        into.forms |= other.forms
        into.uses += other.uses
        self.by_form.update({form: into for form in other.forms})
        self.characters.remove(other)

    def mentions(self, text: str) -> list[tuple[int, int, Character]]:
        """Where `text` names a character: (start, end, character)."""
        found = []
        for match in NAME.finditer(text):
            form = form_of(match["title"], match["name"], self.words)
            if not (form and form in self.by_form) and (inner := INNER_TITLE.search(text, match.start() + 1, match.end())):
                match = NAME.match(text, inner.start() + 1)  # 'Presently Mrs Rattery came in': from the title
                form = form_of(match["title"], match["name"], self.words) if match else None
            if form and (character := self.by_form.get(form)):
                found.append((match.start(), match.end(), character))
        return found


Named = list[list[tuple[re.Match, Form | None]]]  # per paragraph: each NAME match and the form it reads as


def named_forms(paragraphs: list[str], words: WordUse) -> Named:
    """Every paragraph's names and their forms, read once for the passes that build the cast."""
    return [[(match, form_of(match["title"], match["name"], words)) for match in NAME.finditer(paragraph)]
            for paragraph in paragraphs]


def collect_forms(paragraphs: list[str], named: Named, words: WordUse, tagged: Counter) -> tuple[Counter, Counter, dict]:
    """Every form's uses, person evidence (titles, tags, a person's verb after it), and surface text."""
    uses, evidence, surfaces = Counter(), Counter(), defaultdict(Counter)
    places, towards, things = Counter(), Counter(), Counter()  # uses after 'at'/'in'/'from', after 'to', after 'the'
    for paragraph, names in zip(paragraphs, named):
        for match, form in names:
            if form is None:
                continue
            uses[form] += 1
            if not form.title and PLACE_BEFORE.search(paragraph, max(0, match.start() - 12), match.start()):
                places[form] += 1  # 'at Hartfield'
            if not form.title and TO_BEFORE.search(paragraph, max(0, match.start() - 4), match.start()):
                towards[form] += 1  # 'to London' (but also 'said to Bill')
            if not form.title and THE_BEFORE.search(paragraph, max(0, match.start() - 5), match.start()):
                things[form] += 1  # 'the Embankment' (but 'said the Hatter' speaks)
            surfaces[form][(form.title and match.group(0)[:match.start("name") - match.start()].strip() + " " or "")
                           + " ".join(form.words)] += 1
            if form.title or PERSON_VERB.match(paragraph, match.end()):
                evidence[form] += 1
    halves = {f.first for f in uses if not f.title and len(f.words) == 2 and tagged[Form(None, (f.last,))]}
    for form in uses:  # places, days, nations, families ('the Schlegels'): nobody who speaks
        tags_few = 5 * tagged[form] < things[form] and form.words[0] not in halves  # 'the Artful' (Dodger) speaks
        thing = things[form] * 2 >= uses[form] and tags_few and not words.is_rank(form.last)
        family = (form.title or things[form] * 2 >= uses[form]) and plural_of_a_name(form, uses)  # 'the Schlegels'
        place = 10 * places[form] >= 4 * uses[form] or 10 * (places[form] + towards[form]) >= 7 * uses[form] \
            or gone_to(places[form] + towards[form], uses[form], evidence[form] + tagged[form])
        day_or_nation = form.last in NOT_PEOPLE and words.tag_subjects[form.last] < NAME_TAGS  # 'said Sunday' speaks
        if place or thing or family or day_or_nation or place_name(form):
            evidence[form] = -len(paragraphs)  # not even a tag makes it one
    for form, count in tagged.items():
        evidence[form] += 2 * count
    titled_surnames = {form.last for form in uses if form.title and not form.first}
    for form in uses:  # 'Emma Woodhouse' or 'Lady Brett Ashley', even once, links 'Emma' and 'Miss Woodhouse'
        last_named = form.last in titled_surnames or evidence[Form(None, (form.last,))] >= 2  # 'Bill Sikes': 'Sikes'
        first_named = not form.title or form.first not in titled_surnames  # not 'Mr. Fitzwilliam Darcy' beside 'Colonel Fitzwilliam'
        if form.first and first_named and evidence[Form(None, (form.first,))] >= 2 and last_named:
            evidence[form] += 2
    return uses, evidence, {form: c.most_common(1)[0][0] for form, c in surfaces.items()}


SUBJECT_NEXT = re.compile(r"\s+(?!and\b|or\b|nor\b)[a-z]+")  # 'Brenda said', not 'Brenda and Tony'
OWN = re.compile(r"\b(?:(himself|herself)|(his)\b|(her)\s+(?!(?:to|and|that|the|a|an|in|with|for|of|as|at|on|by|from|"
                 r"so|it|up|out|down|back|again|away|now|then|once|still|very|too|all|be|was|is|had|if|when|but)\b)"
                 r"[a-z]|(he|she)\b)")  # 'Ralph shook his head', 'Emma herself', 'Emma hid her face'
NEARBY = 30  # paragraphs after a full name ('John Andrew') in which its first name alone may be read as it
OWN_WINDOW = 60  # characters after a subject's name in which its own pronoun is looked for


def gone_to(after_place_words: int, uses: int, as_subject: int) -> bool:
    """A place the book names mostly as somewhere to be or go ('at Mansfield', 'to Mau'): written after 'at',
    'to', 'from' or 'in' in three of ten uses, and four times as often as the subject of a person's verb or a
    tag ('Mansfield looked', 'said Mansfield')."""
    return 10 * after_place_words >= 3 * uses and after_place_words >= 4 * (as_subject + 1)


def place_name(form: Form) -> bool:
    return not form.title and form.last in PLACE_WORDS  # 'Camelia Road', 'Guest House'


def plural_of_a_name(form: Form, uses: Counter) -> bool:
    """'Schlegels' where 'Margaret Schlegel' is a name: a family in the plural (not 'Mr. Sikes', named far
    more often than the 'Mr. Sike's' of a misprint)."""
    singular = form.last[:-1] if form.last.endswith("s") and not form.last.endswith("ss") else None
    named = sum(n for f, n in uses.items() if f.last == singular and (f.title or f.first)) if singular else 0
    return named > 0 and named >= uses[form]


def own_gender(own: re.Match) -> str:
    """The gender of an OWN match: 'M' for himself, his, he; 'F' for herself, her, she."""
    reflexive, his, _, subject = own.groups()
    return "M" if (reflexive == "himself" or his or subject == "he") else "F"


def pronoun_votes(paragraphs: list[str], named: Named, forms: list[Form] | set[Form]) -> dict[Form, Counter]:
    """For each form used as a subject ('Ralph shook his head'), the gender of the pronouns that are its
    own: a reflexive (2 votes), a possessive (1), a subject pronoun (½), in the next few words before
    another name or a quotation."""
    votes: dict[Form, Counter] = defaultdict(Counter)
    wanted = set(forms)
    for paragraph, names in zip(paragraphs, named):
        for n, (match, form) in enumerate(names):
            if not SUBJECT_NEXT.match(paragraph, match.end()) or form not in wanted:
                continue
            stop = min(names[n + 1][0].start() if n + 1 < len(names) else len(paragraph), match.end() + OWN_WINDOW)
            quote = re.search(r"[“”\"«»]", paragraph[match.end():stop])
            for own in OWN.finditer(paragraph, match.end(), match.end() + quote.start() if quote else stop):
                reflexive, his, her, _ = own.groups()
                votes[form][own_gender(own)] += 2 if reflexive else 1 if (his or her) else 0.5
                break
    return votes


def full_names_before(named: Named, people: list[Form]) -> Counter:
    """(first name, full form) -> the uses of the first name alone ('John') that the full form ('John Andrew')
    is the last one opening with it to come before, within NEARBY paragraphs."""
    full = {form for form in people if form.first}
    latest: dict[str, tuple[int, Form]] = {}
    told = Counter()
    for p, names in enumerate(named):
        for _, form in names:
            if form in full:
                latest[form.first] = (p, form)
            elif form and not form.title and not form.first and p - latest.get(form.last, (-NEARBY, None))[0] < NEARBY:
                told[(form.last, latest[form.last][1])] += 1
    return told


def build_cast(paragraphs: list[str], tagged_names: Counter, words: WordUse | None = None) -> Cast:
    """The characters of a book from all its paragraphs and the (title, name) pairs its tags give."""
    words = words or WordUse.of(paragraphs)
    tagged = Counter()
    for (title, name), count in tagged_names.items():
        if form := form_of(title, name, words):
            tagged[form] += count
    named = named_forms(paragraphs, words)
    uses, evidence, surface = collect_forms(paragraphs, named, words, tagged)
    people = [form for form in uses if evidence[form] >= 2 or (tagged[form] and evidence[form] >= 0)]  # book order
    votes = pronoun_votes(paragraphs, named, people)
    told = full_names_before(named, people)
    groups, epithets = join_epithets(join_forms(people, uses, votes, told), paragraphs, words, uses, tagged)
    groups = [forms for forms in join_aliases(groups, paragraphs, words) if someone(forms, tagged, votes)]
    groups = join_married_names(join_name_halves(groups, uses), paragraphs, named)
    openers = Counter(first for forms in groups for first in {f.first for f in forms if f.first and uses[f] > 1})
    shared = {first for first, n in openers.items() if n > 1}  # 'John': 'John Andrew' and 'John Beaver', again and again
    characters, by_form = [], {}
    for forms in groups:
        label_form = label_of(forms - epithets or forms, lambda f: uses[f] + 3 * tagged[f], shared)  # 'Fagin', not 'Jew'
        gender = gender_of(forms, votes) or names_gender(forms)
        character = Character(surface[label_form], set(forms), gender, sum(uses[f] for f in forms))
        characters.append(character)
        by_form.update({form: character for form in forms})
    characters.sort(key=lambda c: -c.uses)
    return Cast(characters, by_form, words, surface)


def names_gender(forms: set[Form]) -> str:
    """The gender the given names of a character's forms tell where no title's does ('Veronica', 'Albert
    Smith', 'Cousin Caroline'), where they agree."""
    said = {given_name_gender(form.first or form.last) for form in forms if not TITLES.get(form.title or "")} - {""}
    return said.pop() if len(said) == 1 else ""


def whole_form(text: str, words: WordUse) -> Form | None:
    """The form a text names when the whole of it is one name ('Mr. Bumble', 'Fagin')."""
    match = NAME.fullmatch(text)
    return form_of(match["title"], match["name"], words) if match else None


def someone(forms: set[Form], tagged: Counter, votes: dict[Form, Counter]) -> bool:
    """A person, not a place or thing met as a subject ('London seemed', 'the Heat-Ray came'): a title, a
    full name, a tag naming it, or pronouns telling its gender."""
    return any(f.title or f.first or tagged[f] for f in forms) or gender_of(forms, votes) != ""


def join_epithets(groups: list[set[Form]], paragraphs: list[str], words: WordUse, uses: Counter,
                  tagged: Counter) -> tuple[list[set[Form]], set[Form]]:
    """Each epithet that tags name ('said the Jew') joined to the character it is (tasks/text/speakers/epithets.py);
    the groups, and the epithets joined."""
    group_of = {form: n for n, forms in enumerate(groups) for form in forms}
    epithets = {form.last: n for n, forms in enumerate(groups) if len(forms) == 1
                and not (form := next(iter(forms))).title and not form.first and tagged[form] >= EVIDENCE}

    def owner_of(text: str) -> int | None:
        n = group_of.get(whole_form(text, words))
        return n if n not in epithets.values() else None

    owners = epithet_owners(paragraphs, {word: uses[Form(None, (word,))] for word in epithets}, owner_of)
    for word, owner in owners.items():
        groups[owner] |= groups[epithets[word]]
    joined = {epithets[word] for word in owners}
    return [forms for n, forms in enumerate(groups) if n not in joined], {Form(None, (word,)) for word in owners}


def join_aliases(groups: list[set[Form]], paragraphs: list[str], words: WordUse) -> list[set[Form]]:
    """Characters the narration names one as the other ('Mr. John Dawkins, otherwise the Artful Dodger',
    'Mr. Claypole, otherwise Bolter', 'Mrs. Milvain, her aunt Celia' where the book calls her 'Aunt Celia'),
    joined."""
    group_of = {form: n for n, forms in enumerate(groups) for form in forms}

    def group(text: str, kin: str | None = None) -> int | None:
        form = whole_form(f"{kin.capitalize()} {text}" if kin else text, words)  # 'her aunt Celia': 'Aunt Celia'
        if form is None or form in group_of or kin:
            return group_of.get(form)
        bearers = {n for f, n in group_of.items() if f.last == form.last and not f.first}  # 'Dodger', 'Mr. Bolter'
        return bearers.pop() if len(bearers) == 1 else None

    into = {}  # a group -> the group it joins
    for paragraph in paragraphs:
        for match in ALIAS.finditer(paragraph):
            named = [m for m in NAME.finditer(paragraph, max(0, match.start() - 60), match.start())
                     if m.end() == match.start()]
            alias = NAME.match(paragraph, match.end())
            if not (named and alias):
                continue
            a, b = group(named[-1][0]), group(alias[0], match["kin"])
            while a in into:
                a = into[a]
            while b in into:
                b = into[b]
            if a is not None and b is not None and a != b:
                into[max(a, b)] = min(a, b)  # the one named first in the book keeps the other
    for n in sorted(into, reverse=True):
        groups[into[n]] |= groups[n]
    return [forms for n, forms in enumerate(groups) if n not in into]


def join_name_halves(groups: list[set[Form]], uses: Counter) -> list[set[Form]]:
    """A one-word name that opens a two-word name the book writes but no person holds ('the Artful' of 'the
    Artful Dodger'), whose second word is one character's name alone ('Dodger'), joined to that character; not a
    given name ('Catherine' of the 'Catherine Heathcliff' written twice is no Heathcliff)."""
    owners = {form.last: n for n, forms in enumerate(groups) for form in forms if not form.title and not form.first}
    alone = {last: n for last, n in owners.items() if len(groups[n]) == 1}  # characters known by one word only
    held = {form for forms in groups for form in forms}
    joined = set()
    for form in uses:
        if form.title or len(form.words) != 2 or form in held or form.first not in alone or given_name_gender(form.first):
            continue
        half, owner = alone[form.first], owners.get(form.last)
        if owner is not None and owner != half and half not in joined:
            groups[owner] |= groups[half]
            joined.add(half)
    return [forms for n, forms in enumerate(groups) if n not in joined]


MARRIAGE = re.compile(r"\s+(?:had\s+|has\s+|was\s+|is\s+)?(?:married|wedded)\s+(?:to\s+)?")  # 'Mr. Bumble had married'


def join_married_names(groups: list[set[Form]], paragraphs: list[str], named: Named) -> list[set[Form]]:
    """A wife's name the book starts using after it tells a marriage ('Mr. Bumble had married Mrs. Corney', then
    'Mrs. Bumble'): the character named only with a wife's title and the husband's surname joins the bride."""
    group_of = {form: n for n, forms in enumerate(groups) for form in forms}
    first_use: dict[Form, int] = {}
    for p, names in enumerate(named):
        for _, form in names:
            first_use.setdefault(form, p)
    joined = {}
    for p, (paragraph, names) in enumerate(zip(paragraphs, named)):
        for (a, form_a), (b, form_b) in zip(names, names[1:]):
            marriage = MARRIAGE.match(paragraph, a.end())
            if not (marriage and marriage.end() == b.start() and form_a in group_of and form_b in group_of):
                continue
            husband, bride = (form_a, form_b) if TITLES.get(form_a.title or "") == "M" else (form_b, form_a)
            if TITLES.get(husband.title or "") != "M" or TITLES.get(bride.title or "") == "M":
                continue
            wives = [n for n, forms in enumerate(groups) if n != group_of[bride] and all(
                f.title in MARRIED and not f.first and f.last == husband.last and first_use.get(f, -1) >= p
                for f in forms)]
            if len(wives) == 1 and wives[0] not in joined:
                joined[wives[0]] = group_of[bride]
    for wife, bride in joined.items():
        groups[bride] |= groups[wife]
    return [forms for n, forms in enumerate(groups) if n not in joined]


def label_of(forms: set[Form], weight, shared: set[str] = frozenset()) -> Form:
    """A character's label: its most used form, or its most used full one ('Mr. Turton', not 'Turton')
    where that is used at least a quarter as often or where the most used is a first name alone that
    opens another character's name too (`shared`: 'John Andrew', not 'John', beside 'John Beaver'), one
    holding the most used form first."""
    forms = sorted(forms, key=lambda f: (f.title or "", f.words))  # ties go the same way in every run
    top = max(forms, key=lambda f: (weight(f), len(f.words)))
    shared_alone = not (top.title or top.first) and top.last in shared
    full = [f for f in forms if (f.title or f.first) and (4 * weight(f) >= weight(top) or shared_alone)]
    holding = [f for f in full if set(top.words) <= set(f.words)]  # 'Tom Bertram' for 'Tom', not 'Mr. Bertram'
    return max(holding or full, key=weight, default=top)
