"""Speech tags as data, one table per language: the verbs of speaking, the words that stand for a
speaker (pronouns, titles, kinship and role nouns, with their gender), and the nouns of a speech
('was Lucy's reply'). Only data lives here; tasks/text/speakers/attribution.py reads it.

The verbs are the forms a tag uses (past and present, third person, and the inverted forms:
'said he', 'dit-il', 'sagte er', 'dijo', 'disse'). Gender is "M", "F" or "" (either)."""

from __future__ import annotations

from functools import lru_cache

ENGLISH_VERBS = """
said says say asked asks replied replies answered answers cried cries exclaimed exclaims whispered whispers
shouted shouts called calls muttered mutters added adds continued continues began begins remarked remarks
observed observes declared declares demanded demands laughed laughs sighed sighs told returned returns repeated
repeats interrupted interrupts inquired inquires enquired enquires murmured murmurs resumed resumes protested
protests pursued urged groaned growled screamed sobbed suggested suggests explained explains agreed agrees
insisted insists persisted retorted retorts rejoined rejoins responded responds faltered falters echoed echoes
interposed interposes subjoined stammered stammers stuttered gasped gasps snapped snaps snarled sneered chuckled
giggled grumbled grumbles hissed howled moaned pleaded pleads begged roared shrieked yelled bellowed bawled drawled
lisped mumbled mumbles announced announces admitted admits confessed concluded conceded ventured hazarded warned
warns whimpered wailed breathed objected objects stated asserted affirmed reasoned reflected reminded queried
questioned commanded ordered countered corrected assented acquiesced apologized apologised volunteered
persuaded prompted ejaculated vociferated thundered screeched squeaked piped chirped sang intoned recited
whined whinged complained complains grunted barked purred crooned cooed coaxed teased taunted jeered mocked
scoffed retorted rapped blurted blustered sputtered spluttered panted puffed wheezed croaked quavered trembled
choked sniffed sniffled snorted bleated boomed chimed chanted proposed promised predicted pronounced prayed
assured assures informed informs advised cautioned conjectured surmised supposed guessed wondered wonders
greeted hailed accused bade bid implored entreated beseeched besought shuddered smiled smiles grinned laughed
nodded exploded raged fumed babbled prattled gabbled stormed soothed consoled comforted encouraged urged
ruminated mused muses meditated considered speculated interjected exclaiming saying replying answering crying
asking whispering muttering murmuring laughing adding continuing observing remarking shouting calling declaring
demanding inquiring enquiring protesting repeating interrupting retorting rejoining resuming explaining suggesting
urging pleading begging sighing groaning
ask reply answer cry exclaim whisper shout call mutter add continue begin beginning remark observe declare demand inquire
enquire murmur repeat protest suggest explain insist retort respond interrupt interpose resume
thought thinks reported confided argued joined summed hooted yawned
offered finished nagged chattered contradicted counselled counseled remonstrated expostulated proceeded hinted
insinuated demurred admonished reproached reproved scolded lamented exulted gushed jested joked quipped mimicked
tittered simpered sniggered blubbered interpolated corroborated accosted intervened
"""
ENGLISH_PHRASES = """went on|goes on|broke in|breaks in|put in|puts in|cut in|cuts in|burst out|bursts out|cried out|
called out|calling out|crying out|spoke up|spoke out|chimed in|chipped in|struck in|slipped in|took up|went on to say|said to himself|said to herself"""
ENGLISH_PRONOUNS = {"he": "M", "she": "F", "they": "", "we": "", "I": "I"}
ENGLISH_POSSESSIVES = {"his": "M", "her": "F", "their": "", "my": "I", "our": "", "your": "", "the": "", "a": "",
                       "an": "", "this": "", "that": "", "its": ""}
# nouns that stand for a person in a tag ('said his wife', 'cried the old man'), with the gender they tell
ENGLISH_PERSON_NOUNS = {
    **dict.fromkeys("man gentleman boy husband father brother son uncle nephew king prince lord sir fellow lad "
                    "master monk priest waiter landlord butler footman groom bridegroom widower grandfather "
                    "youth chap duke earl baron count emperor squire vicar rector curate clergyman "
                    "policeman gardener coachman host".split(), "M"),
    **dict.fromkeys("woman lady girl wife mother sister daughter aunt niece queen princess mistress maid "
                    "landlady widow bride grandmother housekeeper nurse nanny governess duchess countess baroness "
                    "empress hostess actress waitress".split(), "F"),
    **dict.fromkeys("child stranger visitor guest doctor colonel captain major general admiral professor "
                    "inspector judge friend companion other servant officer soldier driver porter clerk "
                    "cook guard voice speaker lawyer magistrate collector nawab".split(), ""),
}
# Words a speech calls its listener by that tell the listener's gender ('Yes, sir.'), per language.
VOCATIVE_GENDERS = {
    "en": {**dict.fromkeys("sir|my lord|young man|my boy|my lad|my good man|my dear fellow|old fellow|old chap|old man|"
                           "papa|father|uncle|brother|my son|mister".split("|"), "M"),
           **dict.fromkeys("madam|ma'am|ma’am|my lady|young lady|my girl|my good woman|my dear girl|mamma|mama|mother|"
                           "aunt|sister|my daughter|miss".split("|"), "F")},
}
# Nouns for anyone ('the stranger', 'the girl', 'his wife'): never a role that names one character of a book
ENGLISH_ANYONE_NOUNS = set(
    "man woman gentleman lady girl boy child youth lad chap fellow person creature stranger visitor guest friend "
    "companion other voice speaker one husband wife father mother brother sister son daughter uncle aunt nephew niece "
    "grandfather grandmother bride bridegroom widow widower lord sir master mistress people crowd men women company "
    "party others".split())
# Nouns of rank that are also titles ('said the old lady'): anyone of the rank, not the book's one Lady
ENGLISH_RANK_NOUNS = set("lady lord sir master".split())
# Role nouns a book may use bare, as a name ('"…," said nanny')
ENGLISH_BARE_ROLES = ("nanny", "nurse", "cook")
# Words that end a role's noun phrase ('said the lawyer with an air', 'said the doctor, supporting her')
ENGLISH_PHRASE_ENDS = set("""with in at on of to from for by into upon through behind beside near and or but who whom
which that whose as than while when after before again now then once still too very was is had has would could did
himself herself not so yet aloud outside without close there here over under across along beyond against
toward towards among the a an""".split())
# Words that link clauses, never an adjective before a name ('To which Mrs. Inglethorp replied')
ENGLISH_LINKING_WORDS = "which who whom whose that and but or nor as when while then so yet if than".split()
# 'the latter', 'the eldest': words after 'the' that point at someone by place or age, never a role
ENGLISH_POINTING_NOUNS = set("latter former other first second elder younger eldest youngest last same one two three rest".split())
ENGLISH_REPLY_NOUNS = ("reply answer rejoinder response retort remark comment exclamation question cry words thought "
                       "thoughts reflection greeting verdict observation suggestion explanation injunction amendment "
                       "assurance conclusion").split()

# Titles that stand before a name, with the gender they tell ("" where they do not).
TITLES = {
    **dict.fromkeys("Mr Mister Sir Lord Master Monsieur M Herr Signor Señor Don Dom Father Brother Uncle King "
                    "Prince Duke Earl Baron Count Marquis Senhor".split(), "M"),
    **dict.fromkeys("Mrs Miss Ms Madam Madame Mme Mlle Mademoiselle Lady Dame Frau Fräulein Signora Signorina "
                    "Señora Señorita Doña Mother Sister Aunt Queen Princess Duchess Countess Baroness Marquise "
                    "Senhora".split(), "F"),
    **dict.fromkeys("Dr Doctor Colonel Captain Major General Admiral Professor Inspector Sergeant Lieutenant "
                    "Judge Reverend Rev Saint St Cousin".split(), ""),
}

FRENCH_VERBS = """
dit dis disait répondit répond répondait demanda demande demandait s'écria écria s'exclama exclama cria crie
murmura murmure chuchota ajouta ajoute reprit reprend continua poursuivit interrompit observa remarqua
répliqua riposta fit fait déclara expliqua insista protesta soupira gémit hurla balbutia bégaya grogna
lança affirma avoua conclut proposa supplia ordonna annonça objecta rétorqua pensa songea
"""
GERMAN_VERBS = """
sagte sagt fragte fragt antwortete antwortet rief ruft erwiderte erwidert flüsterte flüstert meinte meint
fuhr fort setzte hinzu fügte hinzu murmelte schrie seufzte entgegnete versetzte bemerkte erklärte begann
wiederholte unterbrach sprach spricht dachte lachte stammelte brummte knurrte rief aus warf ein
"""
SPANISH_VERBS = """
dijo dice decía respondió responde contestó contesta preguntó pregunta exclamó exclama gritó grita murmuró
susurró añadió agregó continuó prosiguió repuso replicó interrumpió observó advirtió declaró explicó
insistió suspiró gimió balbuceó afirmó concluyó pensó repitió siguió indicó comentó
"""
ITALIAN_VERBS = """
disse dice diceva rispose risponde domandò domanda chiese chiede esclamò esclama gridò grida mormorò
sussurrò aggiunse aggiunge continuò proseguì riprese replicò interruppe osservò dichiarò spiegò insistette
sospirò gemette balbettò affermò concluse pensò ripeté soggiunse fece
"""

SPEECH_VERBS: dict[str, frozenset[str]] = {
    "en": frozenset(ENGLISH_VERBS.split()),
    "fr": frozenset(FRENCH_VERBS.split()),
    "de": frozenset(GERMAN_VERBS.split()),
    "es": frozenset(SPANISH_VERBS.split()),
    "it": frozenset(ITALIAN_VERBS.split()),
}
SPEECH_PHRASES: dict[str, tuple[str, ...]] = {
    "en": tuple(p.strip() for p in ENGLISH_PHRASES.replace("\n", "").split("|")),
}
# verbs by which a speaker goes on after a pause ('"…," she added'): the turn is most likely the last speaker's
CONTINUING_VERBS: dict[str, tuple[str, ...]] = {
    "en": ("added", "adds", "continued", "continues", "resumed", "resumes", "pursued", "persisted", "went on",
           "goes on"),
    "fr": ("ajouta", "ajoute", "reprit", "reprend", "continua", "poursuivit"),
    "de": ("fuhr fort", "setzte hinzu", "fügte hinzu"),
    "es": ("añadió", "agregó", "continuó", "prosiguió"),
    "it": ("aggiunse", "aggiunge", "continuò", "proseguì", "riprese"),
}
# subject pronouns after an inverted verb or before it, by language
PRONOUNS: dict[str, dict[str, str]] = {
    "en": ENGLISH_PRONOUNS,
    "fr": {"il": "M", "elle": "F", "je": "I"},
    "de": {"er": "M", "sie": "", "ich": "I"},
    "es": {"él": "M", "ella": "F", "yo": "I"},
    "it": {"egli": "M", "lui": "M", "ella": "F", "lei": "F", "io": "I"},
}


def split_by_language(table: dict[str, str]) -> dict[str, frozenset[str]]:
    """A per-language table of space-separated words as sets, split once."""
    return {language: frozenset(words.split()) for language, words in table.items()}


# Words after which a name is an object, not a tag's subject ('turning to Emma, he said'; 'In diesem
# Augenblick sagte Effi'): prepositions, articles and determiners.
NOT_BEFORE_A_SUBJECT = split_by_language({
    "en": "to at from with for by of in on upon toward towards into after before about than like over under near "
          "opposite behind beside the a an this that his her their",
    "de": "in im am an auf aus bei mit nach von vom zu zum zur für über unter vor hinter neben zwischen durch gegen "
          "ohne um der die das den dem des ein eine einen einem einer eines diesem dieser diesen jenem jeden jedem "
          "keinen seinem seiner ihrem ihrer",
    "fr": "à au aux de du des le la les un une en dans sur sous avec pour par chez vers sans ce cette son sa ses",
    "es": "a al de del el la los las un una en con por para sin sobre hacia este esta su sus",
    "it": "a al alla di del della il lo la gli le un una in nel nella con per su da questo questa suo sua",
})


# Words after which a pronoun is the subject of a clause inside a leading tag's sentence, not its speaker
# ('Brenda saw he was out of temper and said', 'Sir Thomas came to the table where she sat, and said').
CLAUSE_OPENERS = split_by_language(
    {"en": "where when while saw though although because till until since if what how why whether"})

# Words opening a subordinate clause, whose subject is no speaker where a speech's own tag goes on into it
# ('"I hope," said Oliver, when Mrs. Maylie returned, "that…"').
SUBORDINATORS = split_by_language({"en": "when as while till until before after", "fr": "quand lorsque pendant",
                                   "de": "als während wenn", "es": "cuando mientras", "it": "quando mentre"})

# Determiners that are conjunctions before a name ('so much about it that Lilia interrupted him'), by language.
CONJUNCTIONS_BEFORE_A_NAME = split_by_language({"en": "that"})

# Prepositions before a gerund tag verb ('Denham broke the silence by saying,'), whose subject is the sentence's first
GERUND_PREPOSITIONS = split_by_language({"en": "by", "fr": "en"})

# Words ending like a participle that are none ('That evening Emma said'), by language; English only for now.
PARTICIPLE_ENDINGS = {"en": "ing"}
NOT_PARTICIPLES = split_by_language({"en": "morning evening nothing something anything everything thing king ring spring "
                                           "darling wedding building ceiling feeling meeting during pudding shilling farthing"})

# Verbs after which a name or noun is their object, never a leading tag's subject ('saw her husband and exclaimed:')
VERBS_BEFORE_AN_OBJECT = split_by_language({"en": "saw met noticed perceived told addressed followed joined kissed"})


def is_participle(language: str, word: str) -> bool:
    """A participle ('addressing', 'seeing'), after which a name is an object."""
    ending = PARTICIPLE_ENDINGS.get(language, "")
    return bool(ending) and len(word) > len(ending) + 2 and word.endswith(ending) \
        and word not in language_words(NOT_PARTICIPLES, language)


def language_words(table: dict[str, frozenset[str]], language: str) -> frozenset[str]:
    """The words a per-language table gives for `language` (none where it has no entry)."""
    return table.get(language, frozenset())


@lru_cache(maxsize=None)
def not_before_a_subject(language: str) -> frozenset[str]:
    return NOT_BEFORE_A_SUBJECT["en"] | language_words(NOT_BEFORE_A_SUBJECT, language)


@lru_cache(maxsize=None)
def speech_verbs(language: str) -> frozenset[str]:
    """The language's verbs of speaking (English's where the language has no table)."""
    return SPEECH_VERBS.get(language, SPEECH_VERBS["en"]) | SPEECH_VERBS["en"]
