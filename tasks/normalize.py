"""Speech normalization: turn written text into what a narrator reads aloud, in a form Bark reads well.

Rules are small functions `str -> str` composed into a pipeline per language (the shape of Coqui's
text cleaners), so another language adds its own list. Unlike those cleaners nothing is
lowercased and Bark's intended cues survive: Bark reads `[laughs]`-style brackets, `♪` and
ALL-CAPS as stage directions, so brackets outside an allow-list and acronyms are neutralized
while the listed cues and emphatic capitals pass through.

Every rule is local (it looks at a word or a few neighbours), so normalizing a paragraph equals
normalizing its sentences one by one: the segmenter relies on that to stay lossless.
"""

from __future__ import annotations

import re
from typing import Callable

Rule = Callable[[str], str]

# Bark's documented cues (its README); compared lower-case, emitted in this spelling.
BARK_CUES = {
    "laughter": "[laughter]",
    "laughs": "[laughs]",
    "sighs": "[sighs]",
    "music": "[music]",
    "gasps": "[gasps]",
    "clears throat": "[clears throat]",
    "man": "[MAN]",
    "woman": "[WOMAN]",
}

# --- numbers -----------------------------------------------------------------------------------

ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
ORDINAL_ENDINGS = {"one": "first", "two": "second", "three": "third", "five": "fifth",
                   "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}
MAX_SPELLED = 10**15  # longer digit strings are read digit by digit (phone numbers, codes)


def spell_number(n: int) -> str:
    """An integer in English words: 1234 -> 'one thousand two hundred thirty-four'."""
    if n < 0:
        return "minus " + spell_number(-n)
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + (f"-{ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        return f"{ONES[n // 100]} hundred" + (f" {spell_number(n % 100)}" if n % 100 else "")
    for scale, name in SCALES:
        if n >= scale:
            high, rest = divmod(n, scale)
            return f"{spell_number(high)} {name}" + (f" {spell_number(rest)}" if rest else "")
    raise AssertionError("unreachable")


def spell_ordinal(n: int) -> str:
    """21 -> 'twenty-first': the cardinal with its last word made ordinal."""
    head, last = re.fullmatch(r"(.*[ -])?(\w+)", spell_number(n)).groups()
    if last in ORDINAL_ENDINGS:
        last = ORDINAL_ENDINGS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return (head or "") + last


def spell_year(n: int) -> str:
    """Years as people say them: 1984 'nineteen eighty-four', 1900 'nineteen hundred', 2005 'two thousand five'."""
    high, low = divmod(n, 100)
    if 2000 <= n < 2010 or n % 1000 == 0:
        return spell_number(n)
    if low == 0:
        return f"{spell_number(high)} hundred"
    return f"{spell_number(high)} " + (f"oh {ONES[low]}" if low < 10 else spell_number(low))


def spell_digits(digits: str) -> str:
    return " ".join(ONES[int(d)] for d in digits)


def spell_numeral(integer: str, fraction: str | None = None) -> str:
    """A written numeral ('1,234', '007', '3' + '14') in words; decimals digit by digit after 'point'."""
    plain = integer.replace(",", "")
    if (len(plain) > 1 and plain.startswith("0")) or int(plain) >= MAX_SPELLED:
        words = spell_digits(plain)
    else:
        words = spell_number(int(plain))
    return words + (f" point {spell_digits(fraction)}" if fraction else "")


def plural(words: str) -> str:
    """'nineteen eighty' -> 'nineteen eighties' (decades)."""
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed upper-case Roman numeral, else None ('MIX' 1009, 'IIII' None)."""
    if not numeral or not ROMAN.fullmatch(numeral):
        return None
    values = [ROMAN_VALUES[c] for c in numeral]
    return sum(-v if v < nxt else v for v, nxt in zip(values, values[1:] + [0]))


# --- helpers -----------------------------------------------------------------------------------


def ends_sentence(match: re.Match) -> bool:
    """Whether an abbreviation's period also closes the sentence (end of text, or a capital follows)."""
    rest = match.string[match.end():]
    return not rest.strip() or bool(re.match(r"\s+[\"']?[A-Z]", rest))


def keep_period(match: re.Match, words: str) -> str:
    return words + ("." if ends_sentence(match) else "")


# --- language-independent rules ------------------------------------------------------------------

PUNCTUATION = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
    "\u2014": "—", "\u2015": "—", "\u2012": "–",
    "\u2026": "...", "\u266b": "♪", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})


def unify_punctuation(text: str) -> str:
    """One kind of quote, dash and ellipsis: curly quotes straight, '--' and spaced hyphens to '—', '…' to '...'."""
    text = text.translate(PUNCTUATION)
    text = re.sub(r"(?<=\d)\s?–\s?(?=\d)", " to ", text)  # number ranges: 10–12
    text = re.sub(r"\s?(?:--+|–)\s?|\s-\s", " — ", text)
    return re.sub(r"\.\s\.\s\.", "...", text)


FOOTNOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹⁰†‡"


def remove_footnote_markers(text: str) -> str:
    """Footnote references are for the eye: '[^3]', '[12]', superscript digits and daggers go."""
    text = re.sub(r"\[\^?\w{0,8}\d\w{0,8}\]|\[\^\w+\]", "", text)
    return re.sub(f"[{FOOTNOTE_MARKS}]+", "", text)


def neutralize_brackets(text: str) -> str:
    """Bark reads any [bracket] as a stage direction: allow-listed cues stay, editorial asides go.

    '[sic]' is dropped (a note to the reader), other asides keep their words, stray brackets vanish.
    """

    def bracket(match: re.Match) -> str:
        inner = (match.group(1) or "").strip()
        if inner.lower() in BARK_CUES:
            return BARK_CUES[inner.lower()]
        return "" if inner.lower().rstrip("!") == "sic" else inner

    return re.sub(r"\[([^\[\]]*)\]|[\[\]{}]", bracket, text)


def collapse_whitespace(text: str) -> str:
    """Single spaces, none before closing punctuation (a removed marker leaves 'word .')."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(r" (?=[,.;:!?)])", "", text).strip()


# --- English -----------------------------------------------------------------------------------

MONTHS = ("January February March April May June July August September October November "
          "December").split()
MONTH = "(" + "|".join(MONTHS) + ")"
TLDS = "com|org|net|edu|gov|io|co|uk|de|fr|info|biz|ai|dev"

ABBREVIATIONS = {  # written form (with its period) -> spoken; titles come before a name
    "Mr.": "Mister", "Mrs.": "Missus", "Ms.": "Miz", "Dr.": "Doctor", "Prof.": "Professor",
    "Capt.": "Captain", "Gen.": "General", "Col.": "Colonel", "Lt.": "Lieutenant",
    "Sgt.": "Sergeant", "Rev.": "Reverend", "Hon.": "Honorable", "Mt.": "Mount", "Ft.": "Fort",
    "vs.": "versus", "approx.": "approximately", "e.g.": "for example", "i.e.": "that is",
    "cf.": "compare", "Fig.": "Figure", "fig.": "figure", "Vol.": "Volume", "vol.": "volume",
    "Ch.": "Chapter", "Jan.": "January", "Feb.": "February", "Mar.": "March", "Apr.": "April",
    "Jun.": "June", "Jul.": "July", "Aug.": "August", "Sep.": "September", "Sept.": "September",
    "Oct.": "October", "Nov.": "November", "Dec.": "December",
}
BEFORE_NUMBER_ABBREVIATIONS = {"No.": "number", "pp.": "pages", "p.": "page"}
SENTENCE_FINAL_ABBREVIATIONS = {  # may end a sentence: the period stays when they do
    "etc.": "et cetera", "Jr.": "Junior", "Sr.": "Senior", "Inc.": "Incorporated",
    "Ltd.": "Limited", "Co.": "Company", "Ave.": "Avenue", "Rd.": "Road", "Blvd.": "Boulevard",
}
PRONOUNCED_ACRONYMS = {"NASA", "NATO", "UNESCO", "UNICEF", "OPEC", "FIFA", "AIDS", "SCUBA",
                       "LASER", "RADAR", "SONAR", "ASAP", "NAFTA", "OK"}
SPELLED_ACRONYMS = {"USA", "UK", "EU", "UN", "AI", "IOU", "UFO", "CEO", "CIA", "IRA", "IRS",
                    "NBA", "ID", "DNA", "RNA", "ETA", "VIP", "USB", "UAE", "OECD", "IMF", "IQ"}
ENGLISH_ONSET = re.compile(  # consonant clusters English words start with
    r"(?:SCH|SCR|SPL|SPR|STR|SQU|THR|SHR|CHR|PHR|BL|BR|CH|CL|CR|DR|DW|FL|FR|GL|GR|GN|KN|PH|PL|PR|"
    r"SC|SH|SK|SL|SM|SN|SP|ST|SW|TH|TR|TW|WH|WR)"
)
ROMAN_KEYWORDS = r"Chapter|Part|Book|Volume|Act|Scene|Section|Canto|War"
SYMBOLS = {"&": " and ", "+": " plus ", "=": " equals ", "°": " degrees", "§": " section ",
           "#": " number ", "@": " at ", "~": " about ", "×": " times ", "|": " ", "*": " ",
           "_": " ", "<": " ", ">": " ", "\\": " ", "^": " "}
CURRENCIES = {  # symbol -> (one, many, one hundredth, many hundredths)
    "$": ("dollar", "dollars", "cent", "cents"), "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"), "¥": ("yen", "yen", "sen", "sen"),
}


def speak_link(link: str) -> str:
    """'https://www.example.com/a-b' -> 'w w w dot example dot com slash a dash b'."""
    link = re.sub(r"^[a-z]+://", "", link).rstrip("/")
    link = re.sub(r"^www\.", "w w w.", link)
    for mark, word in (("@", " at "), (".", " dot "), ("/", " slash "), ("-", " dash "), ("_", " underscore "),
                       ("?", " question mark "), ("=", " equals "), ("&", " and "), (":", " colon ")):
        link = link.replace(mark, word)
    return re.sub(r"\s+", " ", link).strip()


def expand_links(text: str) -> str:
    """URLs, e-mail addresses and bare domains, read out the way people say them."""
    url = r"\b(?:[a-z]+://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]]"
    email = r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
    domain = rf"\b[\w-]+(?:\.[\w-]+)*\.(?:{TLDS})\b(?!\.\w)"
    return re.sub(f"{url}|{email}|{domain}", lambda m: speak_link(m.group(0)), text)


def expand_abbreviations(text: str) -> str:
    """Mr. -> Mister, St. -> Street after a name and Saint before one, etc. -> et cetera (keeping a final period)."""
    for written, spoken in ABBREVIATIONS.items():
        text = re.sub(rf"(?<![\w.]){re.escape(written)}", spoken, text)
    for written, spoken in SENTENCE_FINAL_ABBREVIATIONS.items():
        text = re.sub(rf"(?<![\w.]){re.escape(written)}", lambda m, s=spoken: keep_period(m, s), text)
    for written, spoken in BEFORE_NUMBER_ABBREVIATIONS.items():
        text = re.sub(rf"(?<![\w.]){re.escape(written)}(?=\s?\d)", spoken + " ", text)

    def saint_or_street(match: re.Match) -> str:
        after_name = re.search(r"[A-Z][a-z]*\s$", match.string[: match.start()])
        if after_name or not re.match(r"\s+[A-Z]", match.string[match.end():]):
            return keep_period(match, "Street")
        return "Saint"

    return re.sub(r"(?<![\w.])St\.", saint_or_street, text)


def expand_currency(text: str) -> str:
    """$5 -> 'five dollars', £3.50 -> 'three pounds and fifty pence', $2.5 million -> 'two point five million dollars'."""

    def money(match: re.Match) -> str:
        one, many, sub_one, sub_many = CURRENCIES[match.group(1)]
        whole, fraction, scale = match.group(2), match.group(3), match.group(4)
        if scale:
            return f"{spell_numeral(whole, fraction)} {scale} {many}"
        amount = int(whole.replace(",", ""))
        cents = int(fraction.ljust(2, "0")[:2]) if fraction else 0
        main = f"{spell_numeral(whole)} {one if amount == 1 else many}"
        change = f"{spell_number(cents)} {sub_one if cents == 1 else sub_many}"
        if not cents:
            return main
        return change if amount == 0 else f"{main} and {change}"

    pattern = r"([$£€¥])\s?(\d[\d,]*)(?:\.(\d+))?(?:\s(thousand|million|billion|trillion)\b)?"
    return re.sub(pattern, money, text)


def expand_percentages(text: str) -> str:
    text = re.sub(r"(\d[\d,]*)(?:\.(\d+))?\s?%", lambda m: f"{spell_numeral(m.group(1), m.group(2))} percent", text)
    return text.replace("%", " percent")


def expand_times(text: str) -> str:
    """10:05 -> 'ten oh five', 3:00 -> "three o'clock", 7 p.m. -> 'seven p m'."""

    def clock(match: re.Match) -> str:
        hour, minute, meridiem = int(match.group(1)), match.group(2), match.group(3)
        if minute and minute != "00":
            spoken = f"{spell_number(hour)} " + (f"oh {ONES[int(minute)]}" if minute[0] == "0" else spell_number(int(minute)))
        else:
            spoken = spell_number(hour) + ("" if meridiem else " o'clock")
        if not meridiem:
            return spoken
        spoken += " a m" if meridiem[0].lower() == "a" else " p m"
        return keep_period(match, spoken) if meridiem.endswith(".") else spoken

    meridiem = r"\s?([ap]\.m\.|[AaPp][Mm]\b)"
    text = re.sub(rf"\b(\d{{1,2}}):([0-5]\d)\b(?:{meridiem})?", clock, text)
    return re.sub(rf"\b(\d{{1,2}})()(?:{meridiem})", clock, text)


def expand_dates(text: str) -> str:
    """2021-01-05 and 'January 5, 2021' -> 'January fifth, twenty twenty-one'; '5 January 2021' -> 'the fifth of January, ...'."""

    def iso(match: re.Match) -> str:
        year, month, day = (int(g) for g in match.groups())
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return match.group(0)
        return f"{MONTHS[month - 1]} {spell_ordinal(day)}, {spell_year(year)}"

    text = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", iso, text)
    text = re.sub(
        rf"\b{MONTH}\s(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s(\d{{4}})\b)?",
        lambda m: f"{m.group(1)} {spell_ordinal(int(m.group(2)))}" + (f", {spell_year(int(m.group(3)))}" if m.group(3) else ""),
        text,
    )
    return re.sub(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s{MONTH}\b(?:,?\s(\d{{4}})\b)?",
        lambda m: f"the {spell_ordinal(int(m.group(1)))} of {m.group(2)}" + (f", {spell_year(int(m.group(3)))}" if m.group(3) else ""),
        text,
    )


def expand_years(text: str) -> str:
    """Four-digit numbers from 1000 to 2099 read as years, decades too: 1980s -> 'nineteen eighties'."""
    text = re.sub(r"\b(1\d\d|20\d)0s\b", lambda m: plural(spell_year(int(m.group(1)) * 10)), text)
    return re.sub(r"(?<![\d,.$£€¥-])\b(1\d{3}|20\d{2})\b(?![,.]\d|%)", lambda m: spell_year(int(m.group(1))), text)


def expand_ordinals(text: str) -> str:
    return re.sub(r"\b(\d[\d,]*)(st|nd|rd|th)\b", lambda m: spell_ordinal(int(m.group(1).replace(",", ""))), text)


def expand_numbers(text: str) -> str:
    """Remaining numerals: '1,234' 'one thousand two hundred thirty-four', '3.14' 'three point one four', '-5' 'minus five'."""

    def number(match: re.Match) -> str:
        return ("minus " if match.group(1) else "") + spell_numeral(match.group(2), match.group(3))

    return re.sub(r"(?:(?<!\S)(-))?(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?!\w)", number, text)


def expand_roman_numerals(text: str) -> str:
    """'Chapter IV' -> 'Chapter four'; regnal numbers after a name: 'Henry VIII' -> 'Henry the eighth'."""

    def after_keyword(match: re.Match) -> str:
        value = roman_value(match.group(2))
        return f"{match.group(1)} {spell_number(value)}" if value else match.group(0)

    def regnal(match: re.Match) -> str:
        value = roman_value(match.group(2))
        return f"{match.group(1)} the {spell_ordinal(value)}" if value else match.group(0)

    text = re.sub(rf"\b({ROMAN_KEYWORDS})\s([IVXLCDM]+)\b", after_keyword, text)
    return re.sub(r"\b([A-Z][a-z]+)\s([IVX]{2,})\b", regnal, text)


def is_acronym(word: str) -> bool:
    """Whether an all-capitals word is letters to spell ('FBI', 'BBC', 'USA') rather than a shouted word ('NO').

    Known ones aside, a word is spelled when it has no vowel or starts with two consonants that
    no English word starts with.
    """
    if word in SPELLED_ACRONYMS:
        return True
    if word in PRONOUNCED_ACRONYMS:
        return False
    has_vowel = re.search(r"[AEIOU]|(?<=.)Y", word)
    onset = re.match(r"[^AEIOUY]{2,3}", word)
    return not has_vowel or bool(onset and not ENGLISH_ONSET.match(onset.group(0)))


def spell_acronyms(text: str) -> str:
    """Acronyms are not emphasis: 'FBI' -> 'F B I', 'U.S.A.' -> 'U S A', 'NASA' -> 'Nasa'.

    Other capitalized words ('NO', 'STOP') are the author's emphasis and stay in capitals, which
    Bark reads as stress.
    """

    def caps(match: re.Match) -> str:
        word = match.group(0)
        if is_acronym(word):
            return " ".join(word)
        if word in PRONOUNCED_ACRONYMS:
            return "okay" if word == "OK" else word.capitalize()
        return word

    text = re.sub(r"\b(?:[A-Z]\.){2,}", lambda m: keep_period(m, " ".join(m.group(0).replace(".", ""))), text)
    return re.sub(r"\b[A-Z]{2,}\b", caps, text)


def expand_symbols(text: str) -> str:
    """Symbols a narrator says as words; decorative ones become spaces."""
    return re.sub("|".join(map(re.escape, SYMBOLS)), lambda m: SYMBOLS[m.group(0)], text)


COMMON_RULES: list[Rule] = [unify_punctuation, remove_footnote_markers, neutralize_brackets]
LANGUAGE_RULES: dict[str, list[Rule]] = {
    "en": [
        expand_links,
        expand_abbreviations,
        expand_currency,
        expand_percentages,
        expand_times,
        expand_dates,
        expand_years,
        expand_ordinals,
        expand_roman_numerals,
        expand_numbers,
        expand_symbols,
        spell_acronyms,
    ],
}


def normalize_for_speech(text: str, language: str = "en") -> str:
    """What a narrator reads for `text`: common rules, then the language's own (none for unknown ones)."""
    for rule in COMMON_RULES + LANGUAGE_RULES.get(language.split("-")[0].lower(), []):
        text = rule(text)
    return collapse_whitespace(text)


def title_case_shouting(text: str) -> str:
    """A heading typed in capitals ('CHAPTER ONE') is not shouting: Title Case it, acronyms kept."""
    if re.search(r"[a-z]", text):
        return text

    def word(match: re.Match) -> str:
        caps = match.group(0)
        keep = is_acronym(caps) or (re.fullmatch(r"[IVXLC]+", caps) and roman_value(caps))
        return caps if keep else caps.capitalize()

    return re.sub(r"[A-Z][A-Z']+", word, text)


def normalize_heading(text: str, language: str = "en") -> str:
    """A chapter heading as read aloud: 'CHAPTER IV' -> 'Chapter four.', 'II. The Return' -> 'Two. The Return.'."""
    text = title_case_shouting(text.strip())
    match = re.match(r"([IVXLCDM]+)(?=[.:]|\s*$)", text)
    if match and roman_value(match.group(1)):
        text = spell_number(roman_value(match.group(1))).capitalize() + text[match.end():]
    spoken = normalize_for_speech(text, language)
    return spoken if not spoken or spoken[-1] in ".!?:;" else spoken + "."
