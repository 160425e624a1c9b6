"""Dialogue in every language we read: quote marks of each kind and dash dialogue, with its tags."""

from tasks.manuscript.book import Book, Chapter
from tasks.text.speakers import DIALOGUE, NARRATOR, book_runs


def runs(language: str, *paragraphs: str, filler: int = 25) -> list[list[tuple[str, str]]]:
    """The runs of the given paragraphs in a book of that language (filler paragraphs of dialogue make
    the book's style a dash style where the paragraphs use dashes)."""
    lead = [paragraphs[0]] * filler if paragraphs[0][:1] in "—–-" else []
    chapter = book_runs(Book("B", "A", [Chapter("One", lead + list(paragraphs))], language=language))[0]
    return chapter[len(lead):]


def test_spanish_dash_dialogue_parts_speech_from_a_tag_between_dashes():
    found = runs("es", "—Letras —respondió Sancho—, pocas tengo.")[0]
    assert [who == NARRATOR for who, _ in found] == [False, True, False]
    assert found[1][1] == "—respondió Sancho—"


def test_double_hyphen_dialogue_with_a_tag_between_dashes():
    found = runs("es", "--No puedo equivocarme--murmuró Golfín--. Me dijeron que atravesara el río.")[0]
    assert found[0] == ("Golfín", "--No puedo equivocarme")
    assert found[1][0] == NARRATOR


def test_french_dash_dialogue_parts_a_tag_after_a_comma():
    found = runs("fr", "--Mais, disait timidement Mme de Rênal, quel tort peut vous faire ce monsieur?",
                 "Mme de Rênal rougit, et Mme de Rênal se tut.")[0]
    assert [text for _, text in found] == ["--Mais,", "disait timidement Mme de Rênal,",
                                           "quel tort peut vous faire ce monsieur?"]
    assert found[0][0] == found[2][0] == "Mme de Rênal"


def test_french_inverted_pronoun_tag_is_a_tag():
    found = runs("fr", "—Ah ! monsieur, dit-il au curé, vous voilà.")[0]
    assert [who == NARRATOR for who, _ in found] == [False, True, False]


def test_guillemets_and_german_quotes_are_speech():
    assert runs("fr", "« Oui, monsieur », dit Julien. Puis il sortit.", filler=0)[0][0][1] == "« Oui, monsieur »,"
    german = runs("de", "„Nein, Mama“, sagte Effi, und lief hinaus.", filler=0)[0]
    assert german[0] == ("Effi", "„Nein, Mama“,")
    assert runs("de", "»Vielleicht, Mama«, sagte Effi.", filler=0)[0][0] == ("Effi", "»Vielleicht, Mama«,")


def test_cjk_corner_brackets_are_speech():
    found = runs("zh", "宝玉笑道：「妹妹可曾读书？」黛玉道：「不曾读。」", filler=0)[0]
    assert [text for who, text in found if who != NARRATOR] == ["「妹妹可曾读书？」", "「不曾读。」"]


def test_a_book_without_dash_dialogue_keeps_its_dashes_in_narration():
    found = runs("en", "--and so the matter rested, for the present at least.", filler=0)[0]
    assert found == [(NARRATOR, "--and so the matter rested, for the present at least.")]


def test_an_untagged_dash_line_is_speech_not_narration():
    assert runs("es", "—¿Esas tenemos, señor planeta?")[-1] == [(DIALOGUE, "—¿Esas tenemos, señor planeta?")]


def test_a_quoted_title_inside_a_sentence_is_narration():
    paragraph = "The gate bore the legend “Beware of the Dog,” and a faded picture of a bear."
    assert runs("en", paragraph) == [[(NARRATOR, paragraph)]]
    title = "I found it in Mr. Thompson's “Land and the Book.”"
    assert runs("en", title) == [[(NARRATOR, title)]]


def test_a_lone_lower_case_word_in_quotes_is_narration_but_a_sentence_is_speech():
    assert runs("en", "I admire “cheek.”") == [[(NARRATOR, "I admire “cheek.”")]]
    said = runs("en", "She turned to the door. “Come in,” said Tom.")
    assert said[0][1] == ("Tom", "“Come in,”")
