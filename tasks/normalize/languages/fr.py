"""French: numbers, dates, money, units and abbreviations as a French narrator reads them."""

from ..table import SHARED_UNITS, Currency, DatePatterns, LanguageTable, TimePatterns

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")

TABLE = LanguageTable(
    code="fr", babel_locale="fr_FR",
    decimal_mark=",", group_marks=" .", decimal_word="virgule", decimal_digits="grouped",
    minus="moins", plus="plus", and_word="et", range_word="à", percent="pour cent", slash_word="sur",
    dot_word="point", by_word="sur", times_word="fois", per_word="par", ratio_word="contre", scale_of="de", elisions=((r"\bde (?=[aeiouyéèêh])", "d'"),),
    scale_words={"mille": "mille", "million": "million", "millions": "millions", "milliard": "milliard",
                 "milliards": "milliards", "billion": "billion", "billions": "billions"},
    before_feminine=((r"\bun$", "une"), (r"\bun\b(?= (?:cent|mille))", "une")),
    feminine_nouns=frozenset("heure heures minute minutes seconde secondes livre livres tonne tonnes once onces "
                             "couronne couronnes roupie roupies lire lires".split()),
    ordinal_marks={"er": "", "re": "f", "ère": "f", "e": "", "ème": "", "eme": "", "è": "", "°": "", "nd": "second",
                   "nde": "seconde", "d": "second", "de": "seconde"},
    ordinal_forms={"fix": ((r"(cent|vingt)s(?=ième$)", r"\1"),),  # num2words: 'quatre-vingtsième', 'deux centsième'
                   "f": ((r"^premier$", "première"),), "second": ((r"^deuxième$", "second"),),
                   "seconde": ((r"^deuxième$", "seconde"),)},
    fraction_names={2: ("demi", "demis"), 3: ("tiers", "tiers"), 4: ("quart", "quarts")},
    months=MONTHS,
    month_abbreviations={"janv": 1, "févr": 2, "fév": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
                         "déc": 12},
    dates=DatePatterns(day_month="{day} {month}", with_year="{date} {year}", day="cardinal",
                       day_words={1: "premier"}),
    times=TimePatterns(hour_minute="{hours} {minute}", full_hour="{hours}", with_seconds="{hours} {minutes} {seconds}",
                       hour_noun="heure", hour_words=("h",), hour_mark=True, am="du matin", pm="de l'après-midi"),
    currencies={
        "€": Currency("euro", "euros", "centime", "centimes"), "$": Currency("dollar", "dollars", "cent", "cents"),
        "£": Currency("livre", "livres", "penny", "pence", feminine=True), "¥": Currency("yen", "yens"),
        "F": Currency("franc", "francs", "centime", "centimes"), "fr.": Currency("franc", "francs", "centime", "centimes"),
        "FF": Currency("franc", "francs", "centime", "centimes"),
    },
    money="{major} {minor}", money_scaled="{amount} {scale} de {currency}",
    units={**SHARED_UNITS},
    titles={"M.": "Monsieur", "MM.": "Messieurs", "Mme": "Madame", "Mmes": "Mesdames", "Mlle": "Mademoiselle",
            "Mlles": "Mesdemoiselles", "Me": "Maître", "Mgr": "Monseigneur", "Dr": "Docteur", "Dr.": "Docteur",
            "Pr": "Professeur", "St": "Saint", "Ste": "Sainte", "Mme.": "Madame", "Mlle.": "Mademoiselle",
            "Drs": "Docteurs", "Dres": "Docteures", "Mlles.": "Mesdemoiselles", "Dre": "Docteure"},
    abbreviations={"c.-à-d.": "c'est-à-dire", "cf.": "voir", "env.": "environ", "av. J.-C.": "avant Jésus-Christ",
                   "apr. J.-C.": "après Jésus-Christ", "J.-C.": "Jésus-Christ", "chap.": "chapitre", "Cie": "Compagnie",
                   "Cie.": "Compagnie", "éd.": "édition", "vol.": "volume", "t.": "tome", "ex.": "exemple",
                   "p. ex.": "par exemple", "S. M.": "Sa Majesté", "LL. MM.": "Leurs Majestés", "S. A.": "Son Altesse",
                   "Mme.": "Madame"},
    sentence_final={"etc.": "et cetera", "&c.": "et cetera", "&c": "et cetera"},
    before_number={"p.": "page", "pp.": "pages", "Ch.": "Chapitre", "Chap.": "Chapitre", "Liv.": "Livre", "n°": "numéro", "no": "numéro", "No": "numéro", "N°": "numéro",
                   "nº": "numéro", "t.": "tome", "ch.": "chapitre", "chap.": "chapitre", "vol.": "volume",
                   "art.": "article"},
    before_year={"v.": "vers", "vers": "vers"},
    roman_keywords=("Chapitre", "Livre", "Partie", "Tome", "Acte", "Scène", "Volume", "Chant", "Titre", "Article",
                    "Lettre", "Leçon", "Section", "chap", "liv", "t", "vol"),
    regnal="{cardinal}", regnal_words={1: "premier"}, roman_ordinal_marks=("er", "re", "ère", "e", "ème", "eme", "è"),
    symbols={"&": " et ", "+": " plus ", "=": " égale ", "°": " degrés", "§": " paragraphe ", "#": " numéro ",
             "@": " arobase ", "~": " environ ", "×": " fois ", "|": " ", "*": " ", "_": " ", "<": " ", ">": " ",
             "\\": " ", "^": " "},
)
