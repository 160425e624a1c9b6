"""Rules only English books need: links read out, 'St.' as Saint or Street, acronyms spelled, old money
(£ s. d.), decades ('the 1890s', "'82", 'mid-80s') and house numbers ('221B')."""

from __future__ import annotations

import re

from .languages.en import DIRECTIONS, SENTENCE_OPENERS, STREET_WORDS
from .numbers import plural, spell_house_number, spell_number, spell_numeral, spell_year
from .text import keep_period

# --- links ------------------------------------------------------------------------------------------

TLDS = "com|org|net|edu|gov|io|co|uk|de|fr|info|biz|ai|dev"
LINK = re.compile(
    r"\b(?:[a-z]+://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
    rf"|\b[\w-]+(?:\.[\w-]+)*\.(?:{TLDS})\b(?!\.\w)"
)
LINK_MARKS = (("@", " at "), (".", " dot "), ("/", " slash "), ("-", " dash "), ("_", " underscore "),
              ("?", " question mark "), ("=", " equals "), ("&", " and "), (":", " colon "))
LINK_HINT = re.compile(rf"@|://|www\.|\.(?:{TLDS})\b")


def speak_link(link: str) -> str:
    """'https://www.example.com/a-b' -> 'w w w dot example dot com slash a dash b'."""
    link = re.sub(r"^[a-z]+://", "", link).rstrip("/")
    link = re.sub(r"^www\.", "w w w.", link)
    for mark, word in LINK_MARKS:
        link = link.replace(mark, word)
    return re.sub(r"\s+", " ", link).strip()


def expand_links(text: str) -> str:
    """URLs, e-mail addresses and bare domains, read out the way people say them."""
    return LINK.sub(lambda m: speak_link(m.group(0)), text) if LINK_HINT.search(text) else text


# --- Saint or Street --------------------------------------------------------------------------------

SAINT = re.compile(r"(?<![\w.])(St|ST)\.|(?<![\w.])St(?=\s[A-Z][a-z])")
NAME_BEFORE = re.compile(r"(?:^|\s)[\"'(]?([A-Z][\w']*\.?)\s+$")
LOOK_BACK = 24  # characters before a word that can hold the word before it
BEFORE_SAINTS = {"Lord", "Lady", "Sir", "Dame", "Mr.", "Mrs.", "Miss", "Dr.", "Mr", "Mrs", "Dr", "Mister", "Missus",
                 "Doctor", "The", "At", "In", "Of", "To", "From", "By", "Near", "Old", "Great", "Little", "And"}
NEXT_WORD = re.compile(r"\s+[\"'(]?([A-Z][\w']*)")


def saint_or_street(match: re.Match) -> str:
    """'St.' is Saint before a name ('Lord St. Simon', "St. Paul's") and Street after one when no name follows
    ('Baker St.', 'Wimpole St. was', 'Baker St. Then ...')."""
    name_before = NAME_BEFORE.search(match.string, max(0, match.start() - LOOK_BACK), match.start())
    after_a_name = name_before and name_before.group(1) not in BEFORE_SAINTS and not name_before.group(1).endswith(".")
    name_after = NEXT_WORD.match(match.string, match.end())
    if name_after and not (after_a_name and name_after.group(1).split("'")[0] in SENTENCE_OPENERS):
        return "Saint"
    return keep_period(match, "Street") if match.group(0).endswith(".") else "Street"


def expand_saints_and_streets(text: str) -> str:
    return SAINT.sub(saint_or_street, text) if "St" in text or "ST" in text else text


# --- acronyms -----------------------------------------------------------------------------------------

PRONOUNCED_ACRONYMS = {"NASA", "NATO", "UNESCO", "UNICEF", "OPEC", "FIFA", "AIDS", "SCUBA",
                       "LASER", "RADAR", "SONAR", "ASAP", "NAFTA", "OK"}
SPELLED_ACRONYMS = {"USA", "UK", "EU", "UN", "AI", "IOU", "UFO", "CEO", "CIA", "IRA", "IRS", "MP", "QC", "KC",
                    "NBA", "ID", "DNA", "RNA", "ETA", "VIP", "USB", "UAE", "OECD", "IMF", "IQ", "TV", "PC"}
ENGLISH_ONSET = re.compile(  # consonant clusters English words start with
    r"(?:SCH|SCR|SPL|SPR|STR|SQU|THR|SHR|CHR|PHR|BL|BR|CH|CL|CR|DR|DW|FL|FR|GL|GR|GN|GW|KN|PH|PL|PR|PS|PT|"
    r"SC|SH|SK|SL|SM|SN|SP|ST|SW|TH|TR|TW|WH|WR)"
)
VOWEL = re.compile(r"[AEIOU]|(?<=.)Y")
ONSET = re.compile(r"[^AEIOUY]{2,3}")


def is_acronym(word: str) -> bool:
    """Whether an all-capitals word is letters to spell ('FBI', 'BBC') rather than a word ('NO', "I'LL", "SEWARD'S").

    Known ones aside, a word is spelled when it has no vowel or starts with two consonants that
    no English word starts with; a word with an apostrophe inside is always a word.
    """
    if "'" in word:
        return False
    if word in SPELLED_ACRONYMS:
        return True
    if word in PRONOUNCED_ACRONYMS:
        return False
    onset = ONSET.match(word)
    return not VOWEL.search(word) or bool(onset and not ENGLISH_ONSET.match(onset.group(0)))


DOTTED_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}")
CAPS_WORD = re.compile(r"(?<![\w'])([A-Z]{2,}|[A-Z]+(?:'[A-Z]+)+)('s)?(?![\w'])")


def spell_acronyms(text: str) -> str:
    """Acronyms are not emphasis: 'FBI' -> 'F B I', "BBC's" -> "B B C's", 'U.S.A.' -> 'U S A', 'NASA' -> 'Nasa'.

    Other capitalized words ('NO', "I'LL", "DON'T") are the author's emphasis and stay in capitals,
    which Bark reads as stress.
    """

    def caps(match: re.Match) -> str:
        word, suffix = match.group(1), match.group(2) or ""
        if is_acronym(word):
            return " ".join(word) + suffix
        if word in PRONOUNCED_ACRONYMS:
            return ("okay" if word == "OK" else word.capitalize()) + suffix
        return match.group(0)

    text = DOTTED_ACRONYM.sub(lambda m: keep_period(m, " ".join(m.group(0).replace(".", ""))), text)
    return CAPS_WORD.sub(caps, text)


# --- pounds, shillings and pence --------------------------------------------------------------------

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
PENCE = r"(\d{1,2}(?:½|¼|¾|\s\d/\d)?|½|¼|¾)\s?d\b\.?"
POUNDS_SHILLINGS = re.compile(rf"(?:£\s?(\d[\d,]*)|\b(\d+)\s?l\.)\s?(\d{{1,2}})\s?s\b\.?(?:\s?{PENCE})?")
COLON_MONEY = re.compile(r"£\s?(\d[\d,]*):(\d{1,2}):(\d{1,2}(?:½|¼|¾)?)(?!\d)")  # '£ 3:17:10½'
SHILLINGS_PENCE = re.compile(rf"\b(\d{{1,2}})\s?s\b\.?\s?{PENCE}")
SHILLINGS = re.compile(r"\b(1?\d)s\.")
POUNDS = re.compile(r"\b(\d[\d,]*)l\.")  # '500l. a year'
PENCE_ONLY = re.compile(rf"(?<!the )(?<![\w.]){PENCE}(?<=\.)(?!\s(?:of|{MONTHS})\b)")
PENNY_WORDS = {2: "twopence", 3: "threepence", 4: "fourpence", 5: "fivepence", 6: "sixpence", 7: "sevenpence",
               8: "eightpence", 9: "ninepence", 10: "tenpence", 11: "elevenpence"}
PART_OF_A_PENNY = {"¼": "farthing", "½": "halfpenny", "¾": "three farthings", " 1/3": "and a third",
                   " 2/3": "and two thirds", " 1/2": "halfpenny", " 1/4": "farthing", " 3/4": "three farthings"}


def spell_pence(written: str) -> str:
    """'6' -> 'sixpence', '1' -> 'one penny', '2½' -> 'twopence halfpenny', '½' -> 'a halfpenny',
    '1½' -> 'three halfpence', '7 1/3' -> 'sevenpence and a third', '¼' -> 'a farthing'."""
    whole = re.match(r"\d*", written).group(0)
    part = written[len(whole):]
    pence = int(whole or 0)
    if part and pence == 0:
        return "a " + PART_OF_A_PENNY[part] if part != "¾" else PART_OF_A_PENNY[part]
    if part == "½" and pence == 1:
        return "three halfpence"
    words = "one penny" if pence == 1 else PENNY_WORDS.get(pence) or f"{spell_number(pence)} pence"
    return words + (f" {PART_OF_A_PENNY[part]}" if part else "")


def spell_old_money(pounds: str | None, shillings: str | None, pence: str | None) -> str:
    """('3', '7', '6') -> 'three pounds, seven shillings and sixpence'."""
    high = []
    if pounds:
        high.append(f"{spell_numeral(pounds)} {'pound' if pounds == '1' else 'pounds'}")
    if shillings and int(shillings):
        high.append(f"{spell_number(int(shillings))} {'shilling' if int(shillings) == 1 else 'shillings'}")
    spoken = ", ".join(high)
    if pence and not re.fullmatch(r"0+", pence):
        return f"{spoken} and {spell_pence(pence)}" if spoken else spell_pence(pence)
    return spoken


def expand_old_money(text: str) -> str:
    """'£3 7s. 6d.', '£ 3:17:10½' -> 'three pounds, seventeen shillings and tenpence halfpenny', '2d.', '500l.'."""

    def said(match: re.Match, words: str) -> str:
        return keep_period(match, words) if match.group(0).endswith(".") else words

    text = COLON_MONEY.sub(lambda m: spell_old_money(*m.groups()), text)
    text = POUNDS_SHILLINGS.sub(lambda m: said(m, spell_old_money(m.group(1) or m.group(2), m.group(3), m.group(4))), text)
    text = SHILLINGS_PENCE.sub(lambda m: said(m, spell_old_money(None, m.group(1), m.group(2))), text)
    text = SHILLINGS.sub(lambda m: said(m, spell_old_money(None, m.group(1), None)), text)
    text = POUNDS.sub(lambda m: said(m, spell_old_money(m.group(1), None, None)), text)
    return PENCE_ONLY.sub(lambda m: said(m, spell_pence(m.group(1))), text)


# --- decades and house numbers ----------------------------------------------------------------------

DECADE = re.compile(r"\b(1\d\d|20\d)0'?s\b")
SHORT_DECADE = re.compile(r"(?<![\w'])'?([1-9]0)'?s\b")  # "the '60s", 'mid-80s', "80's"
DECADE_SPAN = re.compile(r"(?<=0s)\s?[-–—]\s?(?=(?:1\d|20)?\d0'?s\b)")  # '1960s-80s'
SHORT_YEAR = re.compile(r"(?<![\w'])'(\d\d)\b")  # 'the years '82 and '90'


def expand_decades(text: str) -> str:
    """'1890s' -> 'eighteen nineties', "'60s" and 'mid-80s' -> 'sixties', 'eighties', "'82" -> 'eighty-two'."""
    text = DECADE_SPAN.sub(" to ", text)
    text = DECADE.sub(lambda m: plural(spell_year(int(m.group(1)) * 10)), text)
    text = SHORT_DECADE.sub(lambda m: plural(spell_number(int(m.group(1)))), text)
    return SHORT_YEAR.sub(lambda m: spell_number(int(m.group(1))), text)


HOUSE_NUMBER = re.compile(r"\b(\d{1,4})([A-Z])\b")
LETTER_NUMBER = re.compile(r"\b([A-Z])-?(\d{1,3})\b")


def expand_house_numbers(text: str) -> str:
    """'221B' -> 'two twenty-one B', 'A1' -> 'A one', 'M25' -> 'M twenty-five'."""
    text = HOUSE_NUMBER.sub(lambda m: f"{spell_house_number(m.group(1))} {m.group(2)}", text)
    return LETTER_NUMBER.sub(lambda m: f"{m.group(1)} {spell_numeral(m.group(2))}", text)


STREET_NAME = r"(?:[A-Z][a-z]+|\d+(?:st|nd|rd|th))"
ADDRESS = re.compile(
    rf"(?<![\w.,])(\d{{1,5}})\s(?:({'|'.join(DIRECTIONS)})\s)?((?:{STREET_NAME}\s){{1,3}})"
    rf"({'|'.join(re.escape(w) for w in sorted(STREET_WORDS, key=len, reverse=True))})(?![\w.])(\.)?")


def expand_addresses(text: str) -> str:
    """'1428 Elm St.' -> 'fourteen twenty-eight Elm Street', '1211 E Arques Ave' -> 'twelve eleven East Arques Avenue'."""

    def address(match: re.Match) -> str:
        number, direction, name, street, period = match.groups()
        spoken = f"{spell_house_number(number)} {DIRECTIONS[direction] + ' ' if direction else ''}{name}"
        words = spoken + STREET_WORDS[street + (period or "")] if street + (period or "") in STREET_WORDS \
            else spoken + STREET_WORDS[street]
        return keep_period(match, words) if period else words

    return ADDRESS.sub(address, text)
