"""Numbers, dates, money and abbreviations as a narrator reads them in each language we read (issue 40):
the old-book English forms, French, German, Spanish and Italian, and a language with no table of its own."""

from dataclasses import replace
from functools import reduce

import pytest

from tasks.text.normalize import leftovers, normalize_for_speech, normalize_heading, table_for, table_rules


@pytest.mark.parametrize("written, spoken", [
    ("It cost £ 3:17:10½ in all.", "It cost three pounds, seventeen shillings and tenpence halfpenny in all."),
    ("He had 4/5ths of it.", "He had four fifths of it."),
    ("It was 7 1/3d. a pound.", "It was sevenpence and a third a pound."),
    ("Some 11-12ths of the land.", "Some eleven twelfths of the land."),
    ("Henry the VIII. was king.", "Henry the Eighth was king."),
    ("Charles I. and II. reigned.", "Charles the First and the Second reigned."),
    ("Ed. III. made it law.", "Edward the Third made it law."),
    ("See tom. iii, p. 45.", "See tome three, page forty-five."),
    ("By 13 Geo. III. c. 5 it was.", "By thirteen George the Third chapter five it was."),
    ("He was born c. 1850.", "He was born circa eighteen fifty."),
    ("Letters from M. L. T. came.", "Letters from M. L. T. came."),
    ("It was 25 july 2012.", "It was the twenty-fifth of july, twenty twelve."),
    ("On Jan 15 2020 we met.", "On January fifteenth, twenty twenty we met."),
    ("On 15-01-2020 we met.", "On the fifteenth of January, twenty twenty we met."),
    ("On 10/06/2005 we met.", "On October sixth, two thousand and five we met."),
    ("In the mid-80s and the 1960s-80s.", "In the mid-eighties and the nineteen sixties to eighties."),
    ("It was .1665 of an inch.", "It was point one six six five of an inch."),
    ("It cost $.01 only.", "It cost one cent only."),
    ("It was 2°C and 5 km³.", "It was two degrees Celsius and five cubic kilometres."),
    ("A debt of US$76.3 trillion.", "A debt of seventy-six point three trillion US dollars."),
    ("At 14:10:30 exactly.", "At fourteen hours ten minutes and thirty seconds exactly."),
    ("Call +1 123-123-5678 now.", "Call plus one, one two three, one two three, five six seven eight now."),
    ("Call 555.555.5555 now.", "Call five five five, five five five, five five five five now."),
    ("In 340 A.D. it fell.", "In three forty A D it fell."),
    ("From 5pm-7 pm.", "From five p m to seven p m."),
])
def test_old_book_english_forms(written, spoken):
    assert normalize_for_speech(written, "en") == spoken


@pytest.mark.parametrize("written", ["It cost $20.506.", "It cost £1.111."])
def test_an_amount_whose_decimals_do_not_fit_its_currency_is_read_as_written(written):
    spoken = normalize_for_speech(written, "en")
    assert "point" in spoken and "cents" not in spoken and "pence" not in spoken


def test_initials_open_no_heading_with_a_number():
    assert normalize_heading("M. L. T.") == "M. L. T."
    assert normalize_heading("II. The Return") == "Two. The Return."


@pytest.mark.parametrize("written, spoken", [
    ("M. Homais parla à MM. Dupont et Durand.", "Monsieur Homais parla à Messieurs Dupont et Durand."),
    ("M. le maire et M. de Rênal.", "Monsieur le maire et Monsieur de Rênal."),
    ("Mme Bovary et Mlle Rouault.", "Madame Bovary et Mademoiselle Rouault."),
    ("Mᵐᵉ Arnoux et le Dʳ Larivière.", "Madame Arnoux et le Docteur Larivière."),
    ("Louis XIV régna au XVIIe siècle.", "Louis quatorze régna au dix-septième siècle."),
    ("François Iᵉʳ et Henri IV.", "François premier et Henri quatre."),
    ("Il y avait 6 492 000 habitants.", "Il y avait six millions quatre cent quatre-vingt-douze mille habitants."),
    ("Il paya 12,50 € le 3e jour.", "Il paya douze euros cinquante centimes le troisième jour."),
    ("Il fait -3,5 °C.", "Il fait moins trois virgule cinq degrés Celsius."),
    ("Le rendez-vous est à 14h30.", "Le rendez-vous est à quatorze heures trente."),
    ("Il but 1/2 litre, la 1re fois.", "Il but un demi litre, la première fois."),
    ("Ch. II, p. 45, n° 3.", "Chapitre deux, page quarante-cinq, numéro trois."),
    ("Le 17/18 juin et le 02.03.2003.", "Le dix-sept dix-huit juin et le deux mars deux mille trois."),
    ("À 21 heures, c.-à-d. 10 km/h.", "À vingt et une heures, c'est-à-dire dix kilomètres par heure."),
    ("Il paya 3 fr. 50 c. Puis 20.600 fr. Je donne.",
     "Il paya trois francs cinquante centimes. Puis vingt mille six cents francs. Je donne."),
])
def test_french(written, spoken):
    assert normalize_for_speech(written, "fr") == spoken


@pytest.mark.parametrize("written, spoken", [
    ("Hr. Müller und Fr. Schmidt, Dr. Weber.", "Herr Müller und Frau Schmidt, Doktor Weber."),
    ("Siehe S. 5 und Nr. 7, z. B. hier.", "Siehe Seite fünf und Nummer sieben, zum Beispiel hier."),
    ("Um 08:00 Uhr kam er, um 14:30 Uhr ging er.", "Um acht Uhr kam er, um vierzehn Uhr dreißig ging er."),
    ("Er zahlte 1.000,50 € am 5. Mai 1890.", "Er zahlte eintausend Euro fünfzig Cent am fünften Mai achtzehnhundertneunzig."),
    ("Im 19. Jahrhundert, am 3.10.1990.", "Im neunzehnten Jahrhundert, am dritten Oktober neunzehnhundertneunzig."),
    ("Sie kam zum 2. Mal, d. h. gestern.", "Sie kam zum zweiten Mal, das heißt gestern."),
    ("Der 1. FC und 300 v. Chr.", "Der erste FC und dreihundert vor Christus."),
    ("Es waren −5 °C und 2,5 kg.", "Es waren minus fünf Grad Celsius und zwei Komma fünf Kilogramm."),
    ("Ludwig XIV. und Kapitel IV.", "Ludwig der Vierzehnte und Kapitel vier."),
    ("Es war 1 Stunde, 1/3 davon.", "Es war eine Stunde, ein Drittel davon."),
    ("Es kostete 5 Mk. 50 Pf. und 3 Thlr.", "Es kostete fünf Mark fünfzig Pfennig und drei Taler."),
])
def test_german(written, spoken):
    assert normalize_for_speech(written, "de") == spoken


@pytest.mark.parametrize("written, spoken", [
    ("El Sr. García y la Sra. López con D. Juan.", "El señor García y la señora López con don Juan."),
    ("Ud. tiene 21 libras y 1 millón.", "Usted tiene veintiuna libras y un millón."),
    ("Vino el 1.º de mayo, la 3.ª vez, el 1.ᵉʳ día.", "Vino el primero de mayo, la tercera vez, el primer día."),
    ("Costó 1.250,75 € y £20.", "Costó mil doscientos cincuenta euros setenta y cinco céntimos y veinte libras."),
    ("Eran las 13.30 h y hacía -2 °C.", "Eran las trece y treinta y hacía menos dos grados Celsius."),
    ("Felipe II y Alfonso XIII.", "Felipe segundo y Alfonso trece."),
    ("El 25 % de 1/2 kg y 3,1415.", "El veinticinco por ciento de un medio kilogramo y tres coma catorce quince."),
    ("El 3 de mayo de 1808, capítulo XII.", "El tres de mayo de mil ochocientos ocho, capítulo doce."),
    ("Eran 245 mph y 1 h.", "Eran doscientas cuarenta y cinco millas por hora y una hora."),
    ("D.ª Perfecta pagó 10 rs. a D. Teodoro.", "Doña Perfecta pagó diez reales a don Teodoro."),
])
def test_spanish(written, spoken):
    assert normalize_for_speech(written, "es") == spoken


@pytest.mark.parametrize("written, spoken", [
    ("Il Sig. Rossi e la Sig.ra Bianchi.", "Il signor Rossi e la signora Bianchi."),
    ("Costa 33,32 € e 1.000 lire.", "Costa trentatré euro trentadue centesimi e mille lire."),
    ("Alle 16:00 del 5 maggio 1890.", "Alle sedici del cinque maggio milleottocentonovanta."),
    ("Luigi XIV e il 2º piano, la 3ª volta.", "Luigi quattordicesimo e il secondo piano, la terza volta."),
    ("Il 18% di 5 km, ecc.", "Il diciotto percento di cinque chilometri, eccetera."),
])
def test_italian(written, spoken):
    assert normalize_for_speech(written, "it") == spoken


@pytest.mark.parametrize("language, written, spoken", [
    ("pt", "Em 3 de maio custou 2,5 km.", "Em três de maio custou dois vírgula cinco quilômetros."),
    ("nl", "Het was 2,5 km en 1.000 man.", "Het was twee komma vijf kilometer en duizend man."),
])
def test_a_language_without_a_table_gets_one_from_cldr(language, written, spoken):
    assert normalize_for_speech(written, language) == spoken


@pytest.mark.parametrize("language", ["en", "fr", "de", "es", "it"])
def test_barks_cues_pass_untouched_in_every_language(language):
    assert normalize_for_speech("[laughs] NO ♪ [sighs] JA", language) == "[laughs] NO ♪ [sighs] JA"


def test_a_contributor_extends_a_table_without_touching_the_engine():
    french = table_for("fr")
    extended = replace(french, titles={**french.titles, "Pdt": "Président"})
    read = lambda text, table: reduce(lambda s, rule: rule(s), table_rules(table), text)  # noqa: E731
    assert read("Le Pdt Dupont.", french) == "Le Pdt Dupont."
    assert read("Le Pdt Dupont.", extended) == "Le Président Dupont."


@pytest.mark.parametrize("language, spoken, left", [
    ("en", "It cost 5 pounds.", ["digit '5'"]),
    ("en", "It was three:four.", ["':' between numbers: 'three:four'"]),
    ("fr", "M. Homais et vingt/trois.", ["'/' between numbers: 'vingt/trois'", "abbreviation 'M.'"]),
    ("de", "Das ist z. B. gut.", ["abbreviation 'z. B.'"]),
    ("es", "Nada queda: tres de mayo.", []),
])
def test_leftovers_names_what_a_narrator_could_not_read(language, spoken, left):
    assert leftovers(spoken, language) == left
