"""English: how a narrator reads numbers, dates, money, units and abbreviations (British spellings)."""

from ..table import SHARED_UNITS, Currency, DatePatterns, LanguageTable, TimePatterns, Unit

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

SENTENCE_OPENERS = {  # capitalised words that open sentences, not names ('Baker St. Then ...', 'And I, too')
    "The", "A", "An", "He", "She", "It", "I", "We", "They", "You", "His", "Her", "Its", "Our", "Their", "My", "Your",
    "There", "Then", "This", "That", "These", "Those", "But", "And", "Or", "So", "Yet", "In", "On", "At", "As", "When",
    "What", "Where", "Who", "Why", "How", "If", "Now", "No", "Yes", "Here", "After", "Before", "From", "To", "For",
    "With", "By", "Of", "One", "All", "Some", "Mr", "Mrs", "Mister", "Missus", "Doctor", "Dr", "Sir", "Lord", "Lady",
}

STREET_WORDS = {  # after a street's name: '1428 Elm St.' is an address, its number read 'fourteen twenty-eight'
    "Street": "Street", "St": "Street", "St.": "Street", "st": "Street", "Avenue": "Avenue", "Ave": "Avenue", "Ave.": "Avenue",
    "Road": "Road", "Rd": "Road", "Rd.": "Road", "Lane": "Lane", "Ln": "Lane", "Court": "Court", "Ct": "Court",
    "Ct.": "Court", "Boulevard": "Boulevard", "Blvd": "Boulevard", "Blvd.": "Boulevard", "Place": "Place",
    "Square": "Square", "Terrace": "Terrace", "Crescent": "Crescent", "Drive": "Drive", "Highway": "Highway",
    "Hwy": "Highway", "hwy": "highway", "Expy": "Expressway", "Gardens": "Gardens", "Row": "Row", "Walk": "Walk",
}
DIRECTIONS = {"N": "North", "S": "South", "E": "East", "W": "West", "NE": "North East", "NW": "North West",
              "SE": "South East", "SW": "South West"}

TITLES = {  # before a name (with its period); also matched in capitals ('DR.')
    "Mr.": "Mister", "Mrs.": "Missus", "Ms.": "Miz", "Dr.": "Doctor", "Prof.": "Professor",
    "Capt.": "Captain", "Gen.": "General", "Col.": "Colonel", "Lt.": "Lieutenant", "Sgt.": "Sergeant",
    "Rev.": "Reverend", "Hon.": "Honorable", "Mt.": "Mount", "Ft.": "Fort", "Gov.": "Governor",
    "Messrs.": "Messers", "Mme.": "Madame", "Mlle.": "Mademoiselle", "Mons.": "Monsieur", "Mmes.": "Mesdames",
    # British style, without the period: 'Mr Darcy'
    "Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Dr": "Doctor", "Messrs": "Messers", "Mme": "Madame",
    "Mlle": "Mademoiselle",
}
ABBREVIATIONS = {  # mid-sentence ones
    "vs.": "versus", "approx.": "approximately", "e.g.": "for example", "i.e.": "that is", "viz.": "namely",
    "cf.": "compare", "Fig.": "Figure", "fig.": "figure", "Vol.": "Volume", "vol.": "volume", "Vols.": "Volumes",
    "vols.": "volumes", "Ch.": "Chapter", "ch.": "chapter", "Chap.": "Chapter", "chap.": "chapter",
    "Jan.": "January", "Feb.": "February", "Mar.": "March", "Apr.": "April", "Jun.": "June", "Jul.": "July",
    "Aug.": "August", "Sep.": "September", "Sept.": "September", "Oct.": "October", "Nov.": "November",
    "Dec.": "December",
}
SENTENCE_FINAL = {  # may end a sentence: the period stays when they do
    "etc.": "et cetera", "&c.": "et cetera", "&c": "et cetera", "Jr.": "Junior", "Sr.": "Senior",
    "Inc.": "Incorporated", "Ltd.": "Limited", "Co.": "Company", "Ave.": "Avenue", "Rd.": "Road",
    "Blvd.": "Boulevard", "Esq.": "Esquire", "Bros.": "Brothers", "Bart.": "Baronet", "inst.": "instant",
    "ult.": "ultimo",
}
BEFORE_NUMBER = {"No.": "number", "no.": "number", "Nos.": "numbers", "pp.": "pages", "p.": "page",
                 "c.": "chapter", "cap.": "chapter", "tom.": "tome", "Tom.": "Tome", "art.": "article",
                 "Art.": "Article", "sect.": "section", "Sect.": "Section"}
UNITS = {  # British names; written without their period
    "ft": Unit("foot", "feet"), "in": Unit("inch", "inches", period_only=True), "yd": Unit("yard", "yards"),
    "yds": Unit("yard", "yards"), "mi": Unit("mile", "miles", period_only=True), "lb": Unit("pound", "pounds"),
    "lbs": Unit("pound", "pounds"), "oz": Unit("ounce", "ounces"), "cwt": Unit("hundredweight", "hundredweight"),
    "st": Unit("stone", "stone", period_only=True), "mph": Unit("mile per hour", "miles per hour"),
    "km": Unit("kilometre", "kilometres"), "kg": Unit("kilogram", "kilograms"), "cm": Unit("centimetre", "centimetres"),
    "mm": Unit("millimetre", "millimetres"), "hrs": Unit("hour", "hours"), "hr": Unit("hour", "hours"),
    "min": Unit("minute", "minutes", period_only=True), "sec": Unit("second", "seconds", period_only=True),
    "m.p.h": Unit("mile per hour", "miles per hour"), "KG": Unit("kilogram", "kilograms"),
    "mbps": Unit("megabit per second", "megabits per second"),
}

TABLE = LanguageTable(
    code="en", babel_locale="en_GB",
    decimal_mark=".", group_marks=",", decimal_word="point", decimal_digits="digits",
    minus="minus", plus="plus", and_word="and", range_word="to", percent="percent",
    eras=("A.D.", "A. D.", "A.D", "AD", "B.C.", "B. C.", "B.C", "BC", "BCE", "CE", "B.C.E.", "C.E."),
    scale_words={"thousand": "thousand", "million": "million", "billion": "billion", "trillion": "trillion",
                 "bn": "billion", "b": "billion", "B": "billion", "m": "million"},
    ordinal_marks={"st": "", "nd": "", "rd": "", "th": "", "d": "", "ST": "", "ND": "", "RD": "", "TH": ""},
    ordinal_mark_fits={"1": "st", "2": "nd|d", "3": "rd|d", "11": "th", "12": "th", "13": "th", "": "th"},
    fraction_names={2: ("half", "halves"), 4: ("quarter", "quarters")},
    fraction_one="a", fraction_one_fixes=((r"^a (?=[aeiou])", "an "),), fraction_named_up_to=1000,
    months=MONTHS,
    month_abbreviations={"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                         "sept": 9, "oct": 10, "nov": 11, "dec": 12},
    dates=DatePatterns(day_month="the {day} of {month}", month_day="{month} {day}", with_year="{date}, {year}",
                       day="ordinal", numeric_order="mdy", article="the", day_joiner=" to the ",
                       connectors=("of",)),
    times=TimePatterns(hour_minute="{hour} {minute}", full_hour="{hour} o'clock",
                       with_seconds="{hours} {minutes} and {seconds}", minute_zero="oh",
                       plain_meridiem=True),
    currencies={
        "$": Currency("dollar", "dollars", "cent", "cents"), "US$": Currency("US dollar", "US dollars", "cent", "cents"),
        "£": Currency("pound", "pounds", "penny", "pence"), "€": Currency("euro", "euros", "cent", "cents"),
        "¥": Currency("yen", "yen", "sen", "sen"), "₩": Currency("won", "won"), "₹": Currency("rupee", "rupees"),
    },
    money="{major} and {minor}", money_scaled="{amount} {scale} {currency}",
    money_per={"mo": "month", "yr": "year", "wk": "week", "d": "day", "hr": "hour", "h": "hour"},
    units={**{k: v for k, v in SHARED_UNITS.items() if len(k) > 1 and k not in ("ms",)}, **UNITS},
    titles=TITLES, abbreviations=ABBREVIATIONS, sentence_final=SENTENCE_FINAL, before_number=BEFORE_NUMBER,
    before_year={"c.": "circa", "ca.": "circa", "circ.": "circa"},
    name_abbreviations={"Ed.": "Edward", "Edw.": "Edward", "Geo.": "George", "Hen.": "Henry", "Wm.": "William",
                        "Will.": "William", "Eliz.": "Elizabeth", "Chas.": "Charles", "Jac.": "James", "Ric.": "Richard"},
    roman_keywords=("Chapter", "Part", "Book", "Volume", "Vol", "Act", "Scene", "Section", "Canto", "War", "Letter",
                    "Stave", "Appendix", "Plate", "Psalm", "Article", "Lecture", "Essay", "Sonnet", "Epistle", "Fit",
                    "Phase", "Period", "Epoch", "Lesson", "Story", "Tale", "Number", "Type", "Class", "Grade", "Stage",
                    "Mark", "Model", "Form", "Level", "Group", "Division", "Schedule", "Table", "Figure", "Item",
                    "Rule", "Clause", "Title", "Round", "Tome", "Tom", "Ch", "Chap", "Cap", "Lib", "Sect", "Art"),
    regnal="the {Ordinal}", regnal_article="the", roman_i_is_pronoun=True, not_names=frozenset(SENTENCE_OPENERS),
    symbols={"&": " and ", "+": " plus ", "=": " equals ", "°": " degrees", "§": " section ", "#": " number ",
             "@": " at ", "~": " about ", "×": " times ", "|": " ", "*": " ", "_": " ", "<": " ", ">": " ",
             "\\": " ", "^": " "},
    extra_rules=("links", "saint_or_street", "acronyms", "old_money", "addresses", "decades", "house_numbers"),
)
