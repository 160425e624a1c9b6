"""What one line that names a chapter, part or volume looks like, in the languages barkbook reads.

A heading is a keyword and a number ("CHAPTER XII. The Storm", "Book the First--Recalled to Life",
"STAVE ONE", "LIVRE PREMIER", "Viertes Kapitel", "PREMIÈRE PARTIE", "Ensimmäinen runo", "第一回 …"),
a bare number ("IV. The Return", "12.", "-VII-"), or a named section ("Prologue", "Finale", "Vorwort").
Which of these are the book's chapters, and which a level above or below them, is decided from
what the book repeats (tasks/manuscript/structure/levels.py); this module only reads single lines. The words are
data tables per language, not branches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tasks.core.roman import ROMAN_PATTERN, roman_value

# --- the words, per language ---------------------------------------------------------------------

CARDINALS = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|(?:one )?hundred)"
)
ORDINAL_WORDS = {
    "en": r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:first|second|third|fourth|fifth|sixth"
          r"|seventh|eighth|ninth))?|(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)ieth|first|second|third|fourth"
          r"|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|(?:thir|four|fif|six|seven|eigh|nine)teenth"
          r"|last|final",
    "fr": r"premi[eè]re?|seconde?|[a-zé]+(?:-[a-zé]+)*i[eè]me|derni[eè]re?",
    "es": r"primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa]|s[eé]ptim[oa]|octav[oa]|noven[oa]"
          r"|d[eé]cim[oa]|[uú]ltim[oa]",
    "it": r"prim[oa]|second[oa]|terz[oa]|quart[oa]|quint[oa]|sest[oa]|settim[oa]|ottav[oa]|non[oa]|decim[oa]"
          r"|ultim[oa]",
    "pt": r"primeir[oa]|segund[oa]|terceir[oa]|quart[oa]|quint[oa]|sext[oa]|s[eé]tim[oa]|oitav[oa]|non[oa]"
          r"|d[eé]cim[oa]|[uú]ltim[oa]",
    "de": r"(?:(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun)und)?(?:erst|zweit|dritt|viert|fünft|sechst|siebt"
          r"|siebent|acht|neunt|zehnt|elft|zwölft|(?:drei|vier|fünf|sech|sieb|acht|neun)zehnt|zwanzigst|dreißigst"
          r"|vierzigst|fünfzigst|letzt)(?:e[rsn]?)?",
    "nl": r"eerste|tweede|derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|laatste",
    "fi": r"ensimmäinen|toinen|kolmas|neljäs|viides|kuudes|seitsemäs|kahdeksas|yhdeksäs|kymmenes",
}
ORDINALS = "(?:" + "|".join(ORDINAL_WORDS.values()) + ")"
ORDINAL_SEQUENCES = (  # each language's ordinals in order (1, 2, 3, …): a stem and the endings it takes
    ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
     "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth", ""),
    ("premier|première second|seconde|deuxième troisième quatrième cinquième sixième septième huitième neuvième "
     "dixième onzième douzième", ""),
    ("primer|primero|primera segund tercer|tercero|tercera cuart quint sext séptim|septim octav noven décim|decim", "[oa]?"),
    ("prim second terz quart quint sest settim ottav non decim", "[oa]"),
    ("primeir segund terceir quart quint sext sétim|setim oitav non décim|decim", "[oa]"),
    ("erst zweit dritt viert fünft sechst siebt|siebent acht neunt zehnt elft zwölft dreizehnt vierzehnt "
     "fünfzehnt sechzehnt siebzehnt achtzehnt neunzehnt zwanzigst", "(?:e[rsn]?)?"),
    ("eerste tweede derde vierde vijfde zesde zevende achtste negende tiende", ""),
    ("ensimmäinen toinen kolmas neljäs viides kuudes seitsemäs kahdeksas yhdeksäs kymmenes", ""),
)
ORDINAL_VALUES = [(re.compile(rf"(?:{stem}){ending}", re.I), value) for words, ending in ORDINAL_SEQUENCES
                  for value, stem in enumerate(words.split(), start=1)]
PART_WORDS = {  # levels that hold chapters
    "volume", "vol", "book", "part", "tome", "phase", "epoch", "period", "act",  # en
    "livre", "partie", "époque", "acte",  # fr
    "teil", "buch", "band", "abteilung", "akt", "aufzug",  # de
    "libro", "parte", "tomo", "acto", "atto", "jornada", "cantica",  # es, it, pt
    "deel", "boek", "bedrijf",  # nl
    "osa", "kirja", "näytös",  # fi
}
CHAPTER_WORDS = {
    "chapter", "chap", "chapitre", "kapitel", "capítulo", "capitulo", "capitolo", "hoofdstuk", "luku", "kapittel",
    "scene", "scène", "szene", "escena", "scena", "cena", "kohtaus", "canto", "runo", "letter", "lettre", "brief",
    "carta", "lettera", "stave", "section", "sección", "abschnitt",
}
NAMED_WORDS = (  # sections read as chapters under their own name
    r"prologue|prolog|pr[oó]logo|epilogue|[eé]pilogue|epilog|ep[ií]logo|preface|pr[eé]face|prefacio|prefazione"
    r"|pref[aá]cio|vorwort|vorrede|voorrede|voorbericht|foreword|afterword|nachwort|postface|introduction"
    r"|introducci[oó]n|introduzione|introdu[cç][aã]o|einleitung|inleiding|interlude|intermezzo|prelude|pr[eé]lude"
    r"|preludio|vorspiel|finale|coda|postscript|post-scriptum|conclusion|conclusi[oó]n|conclusione|conclus[aã]o"
    r"|schluss|besluit|appendix|appendice|ap[eé]ndice|anhang|aanhangsel|envoi|l'envoi|dedication|d[eé]dicace"
    r"|dedicatoria|widmung|zueignung|avant-propos|avertissement|advertencia|proem|overture|ouverture"
)
WEEKDAYS = (r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi"
            r"|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|martes|miércoles|jueves"
            r"|viernes|sábado|domingo")
MONTHS = (r"january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar"
          r"|apr|jun|jul|aug|sept?|oct|nov|dec|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre"
          r"|novembre|décembre|januar|februar|märz|juni|juli|oktober|dezember|enero|febrero|marzo|abril|mayo"
          r"|junio|julio|agosto|septiembre|octubre|noviembre|diciembre")

CHAPTER_WORD = {  # how a bare-numbered chapter under a part is named and announced: 'Deuxième partie, Chapitre III'
    "en": "Chapter", "fr": "Chapitre", "de": "Kapitel", "es": "Capítulo", "it": "Capitolo", "pt": "Capítulo",
    "nl": "Hoofdstuk", "fi": "Luku", "sv": "Kapitel", "da": "Kapitel", "no": "Kapittel", "pl": "Rozdział",
    "cs": "Kapitola", "ru": "Глава", "hu": "Fejezet", "tr": "Bölüm",
}

# --- the line forms ------------------------------------------------------------------------------

ROMAN = rf"(?=[IVXLCDM]){ROMAN_PATTERN}(?<=[IVXLCDM])"  # never empty
NUMBER = rf"(?:\d{{1,3}}\b|{ROMAN}\b|(?i:{ROMAN})\b|(?i:{CARDINALS})\b|(?i:{ORDINALS})\b)(?![-'’]\w)"
KEYWORDED = re.compile(
    rf"(?P<kw>[^\W\d_][^\W\d_'’]*)\.?\s+(?:(?i:the)\s+|(?i:no\.?|n[°º])\s*)?(?P<num>{NUMBER})(?P<rest>.*)")
ORDINAL_FIRST = re.compile(  # 'THE FIRST ACT', 'PREMIÈRE PARTIE', 'Viertes Kapitel': an ordinal before the keyword
    rf"(?:(?i:the|la|le|el|il|der|die|das|het|de|o|a)\s+)?(?P<num>(?i:{ORDINALS}))\s+(?P<kw>[^\W\d_]+)"
    rf"(?P<rest>(?:\s*[.:—–-].*)?)")
WORD_NUMBERED = re.compile(  # 'Kolmaskolmatta runo': an unknown number word before a keyword (counted if it repeats)
    r"(?P<num>[^\W\d_]{3,})\s+(?P<kw>[^\W\d_]{3,})(?P<rest>\s*[.:]?)")
BARE = re.compile(rf"-?(?P<num>{ROMAN}|\d{{1,3}})-?(?:(?P<mark>\s*[.:)]|\s*[—–]|\s+-+)(?P<rest>.*))?")
HAN = re.compile(r"第(?P<num>[一二三四五六七八九十百千零〇两\d]+)(?P<kw>[回章卷節节部篇幕场場])(?P<rest>(?:[\s\u3000].*)?)$")
NAMED = re.compile(  # 'Prologue', 'SECOND EPILOGUE', "TRANSLATOR'S PREFACE", 'Author’s Note' is not (note is no word here)
    rf"(?:(?i:{ORDINALS})\s+|[A-Z][\w’'-]*[’'](?i:s)?\s+)?(?P<kw>(?i:{NAMED_WORDS}))(?:\s+(?P<num>{NUMBER}))?(?P<rest>.*)")
DATE_LINE = re.compile(  # '6.30, Saturday', 'April 5.—', 'Wednesday, 24th September': a letter's or an entry's date
    rf"(?i)(?:\W*(?:\d{{1,2}}(?:[.:]\d{{2}})?\s*(?:a\.?m\.?|p\.?m\.?)?,?\s*)?(?:{WEEKDAYS})\b"
    rf"|\W*(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?:{MONTHS})\b|\W*(?:{MONTHS})\.?\s+\d{{1,2}}\b"
    rf"|\W*\d{{1,2}}[.:]\d{{2}}\b)")
PART_PREFIX = re.compile(r"[^\W\d_][^•·]{0,40}?\s[•·]\s(?P<heading>.+)")
PAGE_NUMBER = re.compile(r"(?:\s{2,}|\s*[.·…_]{2,}\s*|\s+\.\s+|(?<=[.,])\s+)(?:\d+|[ivxlc]+)\.?$")
MAX_HEADING_CHARS = 300  # a long titled heading is kept when its form repeats; a paragraph is longer
MAX_BARE_NUMBER = 200  # a bare numeral beyond this is a year or an initial, not a chapter
LETTER_NUMERALS = ("C", "D", "L", "M")  # alone, more often an initial or a speaker than chapter 100


@dataclass(frozen=True)
class Heading:
    """A line read as a heading: its form ('chapter', '#roman', '#named', …), number and own title."""

    text: str
    form: str
    number: str
    title: str
    rank: int = 0  # its markup rank (1-6 for <h1>-<h6>) where markup made it a heading

    @property
    def key(self) -> tuple[str, str]:
        """What a contents entry and the heading it names share: the number and the title, loosely."""
        return loose(self.number), loose(self.title)

    @property
    def value(self) -> int | None:
        return number_value(self.number)


def loose(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.lower()).split())


@lru_cache(maxsize=1 << 16)
def parse_heading(line: str) -> Heading | None:
    """Read one line (a block's lines joined) as a heading, or None when it is prose."""
    line = line.strip()
    if not line or len(line) > MAX_HEADING_CHARS or line[0].islower() or DATE_LINE.match(line):
        return None
    if (named_part := PART_PREFIX.fullmatch(line)) and (inner := parse_heading(named_part.group("heading"))):
        return Heading(line, inner.form, inner.number, inner.title)  # 'Inferno • Canto I': its part named first
    if match := HAN.match(line):
        return Heading(line, "#han", match.group("num"), match.group("rest").strip())
    for regex, read in ((NAMED, named), (KEYWORDED, keyworded), (ORDINAL_FIRST, ordinal_first), (BARE, bare)):
        match = regex.fullmatch(line)
        form = read(match) if match else None
        if form is None:
            continue
        rest = match.group("rest") or ""
        title = re.sub(r"^[\s.:,;—–-]+", "", rest).strip()
        letter = re.search(r"[^\W\d_]", title)
        if letter and letter.group().islower() and not re.match(r"\s*[.:,;—–-]", rest):
            continue  # 'Chapter one was long': a sentence, not a heading
        return Heading(line, form, match.group("num") or "", title)
    return None


def named(match: re.Match) -> str | None:
    return "#named"


def keyworded(match: re.Match) -> str | None:
    keyword, rest = match.group("kw"), match.group("rest")
    if not keyword[0].isupper() or re.fullmatch(ROMAN, keyword) or rest and not re.match(r"[\s.:,;—–-]", rest):
        return None
    form = keyword.lower()
    if not is_known_form(form) and rest.strip() and not re.match(r"\s*[.:—–-]", rest):
        return None  # 'On 6 July we sailed.': an unknown keyword takes its title after punctuation
    if not is_known_form(form) and len(keyword) == 1:
        return None  # 'A 4', 'I 2': not a keyword
    return form


def ordinal_first(match: re.Match) -> str | None:
    form = match.group("kw").lower()
    return form if is_known_form(form) else None  # 'First Love' is a title, not a numbered heading


def bare(match: re.Match) -> str | None:
    rest, number = match.group("rest") or "", match.group("num")
    if rest.strip() and not match.group("mark") or re.match(r"\s*[A-Z]\.", rest) or re.match(r"\d", rest):
        return None  # 'I went home', 'C. S. Lewis', '6.30'
    if number_value(number) > MAX_BARE_NUMBER:
        return None
    if number in LETTER_NUMERALS:
        return "#letter-numeral"  # a heading only where it continues a sequence ('XLIX.' then 'L.')
    return "#arabic" if number[0].isdigit() else "#roman"


def word_numbered_lines(lines: dict[int, str], at_least: int = 3) -> dict[int, Heading]:
    """'Viides runo', 'Kolmaskolmatta runo': lines of a number word the project does not know and a
    keyword, a heading form where many lines end in the same keyword after different words."""
    found = {i: m for i, line in lines.items() if (m := WORD_NUMBERED.fullmatch(line.strip()))
             and m.group("num")[0].isupper() and m.group("kw").islower() and m.group("kw") not in SMALL_WORDS}
    counts: dict[str, set[str]] = {}
    for m in found.values():
        counts.setdefault(m.group("kw"), set()).add(m.group("num").lower())
    return {i: Heading(m.group(0).strip(), "~" + m.group("kw"), m.group("num"), "") for i, m in found.items()
            if len(counts[m.group("kw")]) >= at_least}


SMALL_WORDS = {"the", "and", "was", "had", "has", "not", "but", "for", "you", "are", "his", "her", "him", "she", "they",
               "der", "die", "das", "und", "les", "des", "est", "que", "los", "las", "del", "con", "che", "non"}


CARDINAL_VALUES = {word: n for n, word in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty".split(), start=1)}


def number_value(number: str) -> int | None:
    """'XIV' -> 14, '12' -> 12, 'Two' -> 2, 'Fourth'/'quatrième'/'Viertes' -> 4; None for other number words."""
    if number.isdigit():
        return int(number)
    if number.lower() in CARDINAL_VALUES:
        return CARDINAL_VALUES[number.lower()]
    if roman := roman_value(number):
        return roman
    return next((value for regex, value in ORDINAL_VALUES if regex.fullmatch(number)), None)


def is_part_form(form: str) -> bool:
    return form in PART_WORDS


def is_known_form(form: str) -> bool:
    """Forms that are headings wherever they stand alone; other keywords must repeat to count."""
    return form in PART_WORDS or form in CHAPTER_WORDS or (form.startswith("#") and form != "#letter-numeral")


def without_page_number(line: str) -> str:
    """'The Period ........ 5' -> 'The Period' (the regular expression only where a line can end so)."""
    return PAGE_NUMBER.sub("", line).strip() if line[-1:].isdigit() or line[-1:] in "ivxlc." else line


def is_date_line(line: str) -> bool:
    """A letter's or diary entry's date ('Wednesday', '6.30, Saturday', 'April 5.—'): never a heading."""
    return bool(DATE_LINE.match(line.strip()))
