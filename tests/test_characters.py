"""How the book's names are joined into characters (tasks/text/speakers/characters.py): one character, one label."""

from collections import Counter

from tasks.text.speakers.characters import build_cast
from tasks.text.speakers.roles import book_roles


def cast_of(paragraphs: list[str], tags: dict[tuple[str | None, str], int]):
    return build_cast(paragraphs + ["It was late, and nobody knew it."], Counter(tags))


def test_a_nickname_and_the_full_given_name_with_one_surname_are_one_person():
    paragraphs = [*["“Yes,” said Bill Sikes, and he shook his head."] * 3,
                  *["“No,” said Mr. William Sikes."] * 2, *["“Go,” said Mr. Sikes."] * 4]
    cast = cast_of(paragraphs, {(None, "Bill Sikes"): 3, ("Mr", "William Sikes"): 2, ("Mr", "Sikes"): 4})
    assert cast.named(None, "Bill Sikes") is cast.named("Mr", "William Sikes") is cast.named("Mr", "Sikes")


def test_a_nickname_used_alone_as_often_as_the_full_name_is_another_person():
    paragraphs = [*["“Yes,” said Sir Thomas, and he shook his head."] * 6, "Sir Thomas Bertram came in.",
                  *["“No,” said Tom, and he shook his head."] * 6, "Tom Bertram came in."]
    cast = cast_of(paragraphs, {("Sir", "Thomas"): 6, (None, "Tom"): 6})
    assert cast.named("Sir", "Thomas") is not cast.named(None, "Tom")


def test_a_hyphened_name_is_the_person_its_last_part_names_alone():
    paragraphs = [*["“Oh,” said Pooh, and he shook his head."] * 5, "Winnie-the-Pooh sat down.",
                  "“Hallo,” said Winnie-the-Pooh."]
    cast = cast_of(paragraphs, {(None, "Pooh"): 5, (None, "Winnie-the-Pooh"): 1})
    assert cast.named(None, "Winnie-the-Pooh") is cast.named(None, "Pooh")


def test_a_titled_surname_joins_the_only_person_of_that_surname_whose_gender_nothing_tells():
    paragraphs = [*["“Yes,” said Tom Chitling."] * 2, *["“No,” said Tom."] * 3, *["“Go,” said Mr. Chitling."] * 4]
    cast = cast_of(paragraphs, {(None, "Tom Chitling"): 2, (None, "Tom"): 3, ("Mr", "Chitling"): 4})
    assert cast.named("Mr", "Chitling") is cast.named(None, "Tom")


def test_a_wifes_title_does_not_join_a_person_whose_gender_nothing_tells():
    paragraphs = [*["“Yes,” said Lilia Theobald."] * 2, *["“No,” said Lilia."] * 3, *["“Go,” said Mrs. Theobald."] * 4]
    cast = cast_of(paragraphs, {(None, "Lilia Theobald"): 2, (None, "Lilia"): 3, ("Mrs", "Theobald"): 4})
    assert cast.named("Mrs", "Theobald") is not cast.named(None, "Lilia")


def test_a_wifes_title_joins_the_only_woman_of_the_surname_where_the_husbands_title_is_used():
    paragraphs = [*["“Yes,” said Edna Pontellier."] * 2, *["“No,” said Edna."] * 3, "Edna shook her head.",
                  *["“Go,” said Mrs. Pontellier."] * 4, *["“Stay,” said Mr. Pontellier."] * 4]
    cast = cast_of(paragraphs, {(None, "Edna Pontellier"): 2, (None, "Edna"): 3, ("Mrs", "Pontellier"): 4,
                                ("Mr", "Pontellier"): 4})
    assert cast.named("Mrs", "Pontellier") is cast.named(None, "Edna") is not cast.named("Mr", "Pontellier")


def test_a_titled_surname_does_not_join_a_person_of_unknown_gender_where_the_other_genders_title_is_used():
    paragraphs = [*["“Yes,” said Edna Pontellier."] * 2, *["“Go,” said Mrs. Pontellier."] * 4,
                  *["“Stay,” said Mr. Pontellier."] * 4]
    cast = cast_of(paragraphs, {(None, "Edna Pontellier"): 2, ("Mrs", "Pontellier"): 4, ("Mr", "Pontellier"): 4})
    assert cast.named("Mr", "Pontellier") is not cast.named(None, "Edna Pontellier")


def test_an_epithet_the_tags_use_is_the_character_addressed_just_before_its_speeches():
    paragraphs = []
    for _ in range(5):
        paragraphs += ["“Where is it, Fagin?” asked Oliver.", "“Here, my dear,” said the Jew.", "The Jew smiled."]
    paragraphs += ["“Yes,” said Fagin, and he shook his head."] * 3
    cast = cast_of(paragraphs, {(None, "Oliver"): 5, (None, "Jew"): 5, (None, "Fagin"): 3})
    assert cast.named(None, "Jew") is cast.named(None, "Fagin")
    assert cast.named(None, "Jew").label == "Fagin"


def test_an_epithet_nobody_is_addressed_before_stays_its_own_character():
    paragraphs = []
    for _ in range(5):
        paragraphs += ["“Where is it?” asked Alice.", "“Here,” said the Hatter.", "The Hatter smiled."]
    cast = cast_of(paragraphs, {(None, "Alice"): 5, (None, "Hatter"): 5})
    assert cast.named(None, "Hatter") is not cast.named(None, "Alice")


def test_miss_and_the_surname_is_the_one_sister_never_named_miss_and_her_first_name():
    paragraphs = [*["At once Jane Bennet shook her head."] * 3, *["At once Elizabeth Bennet shook her head."] * 3,
                  *["“Oh,” said Miss Elizabeth Bennet."] * 2, *["“Go,” said Miss Bennet."] * 4]
    cast = cast_of(paragraphs, {("Miss", "Elizabeth Bennet"): 2, ("Miss", "Bennet"): 4})
    assert cast.named(None, "Jane Bennet") is not cast.named(None, "Elizabeth Bennet")
    assert cast.named("Miss", "Bennet") is cast.named(None, "Jane Bennet")


def test_mr_and_the_surname_is_the_son_never_named_mr_and_his_first_name_nor_by_another_title():
    paragraphs = [*["“Well,” said Sir Thomas Bertram, and he shook his head."] * 3,
                  *["At once Frank Bertram shook his head."] * 3, *["At once Edmund Bertram shook his head."] * 3,
                  *["“Oh,” said Mr. Edmund Bertram."] * 2, *["“Go,” said Mr. Bertram."] * 4]
    cast = cast_of(paragraphs, {("Sir", "Thomas Bertram"): 3, ("Mr", "Edmund Bertram"): 2, ("Mr", "Bertram"): 4})
    assert cast.named(None, "Frank Bertram") not in (cast.named(None, "Edmund Bertram"), None)
    assert cast.named("Mr", "Bertram") is cast.named(None, "Frank Bertram")


def test_a_label_holds_the_most_used_name_where_a_full_form_does():
    paragraphs = [*["“Yes,” said Tom."] * 8, *["“No,” said Tom Bertram."] * 2, *["“Go,” said Mr. Bertram."] * 3,
                  "Tom Bertram shook his head."]
    cast = cast_of(paragraphs, {(None, "Tom"): 8, (None, "Tom Bertram"): 2, ("Mr", "Bertram"): 3})
    assert cast.named("Mr", "Bertram").label == "Tom Bertram"


def two_johns() -> list[str]:
    """John Beaver named more in all, John Andrew just before the 'John' alone."""
    return [*["“Yes,” said Beaver, and he shook his head."] * 12, *["John Beaver came in and shook his head."] * 3,
            *["John Andrew came in and shook his head.", *["“Look,” said John, and he pointed."] * 3] * 3]


def test_a_first_name_two_persons_share_joins_the_one_whose_full_name_comes_just_before_it():
    cast = cast_of(two_johns(), {(None, "Beaver"): 12, (None, "John"): 9})
    assert cast.named(None, "John") is cast.named(None, "John Andrew") is not cast.named(None, "Beaver")


def test_a_first_name_two_persons_share_is_no_label_the_full_name_is():
    cast = cast_of(two_johns(), {(None, "Beaver"): 12, (None, "John"): 9})
    assert cast.named(None, "John").label == "John Andrew"


def test_a_given_name_tells_the_gender_where_no_title_nor_pronoun_does():
    cast = cast_of(["“Yes,” said Veronica.", "“No,” said Albert."] * 3, {(None, "Veronica"): 3, (None, "Albert"): 3})
    assert (cast.named(None, "Veronica").gender, cast.named(None, "Albert").gender) == ("F", "M")


def test_a_nickname_tells_the_gender_of_the_given_names_it_is_short_for():
    cast = cast_of(["“Yes,” said Babs."] * 3, {(None, "Babs"): 3})
    assert cast.named(None, "Babs").gender == "F"


def test_a_given_name_after_a_title_of_no_gender_tells_the_gender():
    cast = cast_of(["“Yes,” said Cousin Caroline."] * 3, {("Cousin", "Caroline"): 3})
    assert cast.named("Cousin", "Caroline").gender == "F"


def test_the_pronouns_after_a_name_tell_the_gender_before_the_given_name_does():
    paragraphs = ["“Yes,” said Albert.", *["Albert shook her head and smiled at herself."] * 3]
    cast = cast_of(paragraphs, {(None, "Albert"): 1})
    assert cast.named(None, "Albert").gender == "F"


def test_a_title_and_the_last_words_of_one_longer_name_are_that_person():
    paragraphs = [*["“Yes,” said Jenny Abdul Akbar, and she smiled."] * 3, *["“No,” said Princess Abdul Akbar."] * 3]
    cast = cast_of(paragraphs, {(None, "Jenny Abdul Akbar"): 3, ("Princess", "Abdul Akbar"): 3})
    assert cast.named("Princess", "Abdul Akbar") is cast.named(None, "Jenny Abdul Akbar")


def test_a_name_the_narration_gives_as_otherwise_another_is_that_character():
    paragraphs = [*["“Yes,” said Mr. Claypole."] * 4, *["“No,” said Mr. Bolter."] * 3,
                  "“Where?” asked Mr. Claypole, otherwise Bolter, looking up."]
    cast = cast_of(paragraphs, {("Mr", "Claypole"): 5, ("Mr", "Bolter"): 3})
    assert cast.named("Mr", "Bolter") is cast.named("Mr", "Claypole")


def test_a_bare_word_met_as_a_subject_with_nothing_of_a_person_is_nobody():
    paragraphs = [*["Then London seemed a city of the dead, and the roads were empty."] * 3,
                  *["Then Ogilvy looked at the sky, and he shook his head."] * 3]
    cast = cast_of(paragraphs, {})
    assert cast.named(None, "London") is None
    assert cast.named(None, "Ogilvy") is not None  # his pronouns tell a man


def cast_with_roles(paragraphs: list[str], tags: dict[tuple[str | None, str], int]):
    cast = cast_of(paragraphs, tags)
    cast.roles = book_roles(paragraphs, cast)
    return cast


def test_a_role_written_as_a_name_joins_the_character_named_beside_it():
    paragraphs = ["They knew who it was: the Collector, Mr. Turton, with whom they had dined.",
                  *["“Come in,” said the Collector, and he shook his head."] * 3, *["“Yes,” said Mr. Turton."] * 2]
    cast = cast_with_roles(paragraphs, {(None, "Collector"): 3, ("Mr", "Turton"): 2})
    assert cast.named(None, "Collector") is cast.named("Mr", "Turton")
    assert cast.named(None, "Collector").label == "Mr. Turton"


def test_a_capitalized_role_after_a_name_may_carry_capitalized_words_before_its_noun():
    paragraphs = ["Mr. McBryde, the District Superintendent of Police, was reflective.",
                  *["“Go on,” said the Superintendent, and he shook his head."] * 3, *["“No,” said Mr. McBryde."] * 2]
    cast = cast_with_roles(paragraphs, {(None, "Superintendent"): 3, ("Mr", "McBryde"): 2})
    assert cast.named(None, "Superintendent") is cast.named("Mr", "McBryde")


def test_names_in_a_list_are_not_a_role_and_its_holder():
    paragraphs = ["He spent the evening with the Nawab Bahadur, Hamidullah, Mahmoud Ali, and others.",
                  *["“Yes,” said Hamidullah, and he shook his head."] * 3, *["“No,” said Bahadur."] * 3]
    cast = cast_with_roles(paragraphs, {(None, "Hamidullah"): 3, (None, "Bahadur"): 3})
    assert "bahadur" not in cast.roles


def test_a_role_written_as_a_name_stays_apart_from_a_holder_of_the_other_gender():
    paragraphs = ["There was a dispute between the executioner, the King, the Queen, and the cook.",
                  *["“Off with his head!” said the Queen.", "At this the Queen shook her head."] * 3,
                  *["“Well,” said the King.", "At this the King shook his head."] * 3]
    cast = cast_with_roles(paragraphs, {(None, "Queen"): 3, (None, "King"): 3})
    assert cast.named(None, "Queen") is not cast.named(None, "King")


def test_a_kin_title_and_first_name_in_apposition_is_the_character_named_before_it():
    paragraphs = ["This had been discovered by Mrs. Milvain, her aunt Celia, a zealous inquirer.",
                  *["“No,” said Mrs. Milvain."] * 3, *["“Yes,” said Aunt Celia."] * 2]
    cast = cast_of(paragraphs, {("Mrs", "Milvain"): 3, ("Aunt", "Celia"): 2})
    assert cast.named("Aunt", "Celia") is cast.named("Mrs", "Milvain")


def test_a_kin_word_and_a_first_name_the_book_never_titles_so_join_nobody():
    paragraphs = ["She met Katharine, her cousin Cassandra, and the rest.",
                  *["“No,” said Katharine."] * 3, *["“Yes,” said Cassandra."] * 3]
    cast = cast_of(paragraphs, {(None, "Katharine"): 3, (None, "Cassandra"): 3})
    assert cast.named(None, "Cassandra") is not cast.named(None, "Katharine")


def test_a_role_whose_tagged_speech_names_its_speaker_is_that_character():
    paragraphs = ["Noah Claypole came in.", *["“Yes,” said Noah Claypole."] * 2,
                  "“I'm Noah Claypole,” said the charity-boy, “and you're under me.”",
                  "“Take down the shutters,” said the charity-boy."]
    cast = cast_with_roles(paragraphs, {(None, "Noah Claypole"): 2})
    assert cast.roles["charity-boy"] is cast.named(None, "Noah Claypole")


def test_a_name_a_speaker_owns_something_of_does_not_name_the_speaker():
    paragraphs = ["Oliver came in.", *["“Yes,” said Oliver."] * 2,
                  "“I'm Oliver's friend,” said the charity-boy.", "“Go,” said the charity-boy."]
    cast = cast_with_roles(paragraphs, {(None, "Oliver"): 2})
    assert cast.roles["charity-boy"] is not cast.named(None, "Oliver")


def test_one_title_in_two_languages_names_one_person():
    paragraphs = [*["“Yes,” said Monsieur Poirot, and he shook his head."] * 3, *["“No,” said Mr. Poirot."] * 2,
                  *["“Ah,” said Poirot."] * 5]
    cast = cast_of(paragraphs, {("Monsieur", "Poirot"): 3, ("Mr", "Poirot"): 2, (None, "Poirot"): 5})
    assert cast.named("Monsieur", "Poirot") is cast.named("Mr", "Poirot") is cast.named(None, "Poirot")


def test_a_name_written_mostly_after_at_or_to_is_a_place_and_no_speaker():
    paragraphs = [*["They stayed at Mansfield all the winter."] * 7, *["She longed to go to Mansfield."] * 3,
                  *["The lawns of Mansfield were green."] * 9, "“Hush,” said Mansfield.",
                  *["“Come,” said Fanny, and she smiled."] * 3]
    cast = cast_of(paragraphs, {(None, "Mansfield"): 1, (None, "Fanny"): 3})
    assert cast.named(None, "Mansfield") is None and cast.named(None, "Fanny") is not None


def test_a_one_word_name_that_opens_a_two_word_nickname_is_the_character_its_second_word_names():
    paragraphs = [*["“Hush,” said the Dodger, and he shook his head."] * 6, "Here was the Artful Dodger.",
                  *["“Yes,” said the Artful, and he laughed."] * 2, "The Artful was gone."]
    cast = cast_of(paragraphs, {(None, "Dodger"): 6, (None, "Artful"): 2})
    assert cast.named(None, "Artful") is cast.named(None, "Dodger") is not None


def test_a_wifes_name_first_used_after_the_marriage_is_the_brides():
    paragraphs = [*["“Well,” said Mrs. Corney, and she smiled."] * 5, *["“Yes,” said Mr. Bumble."] * 5,
                  "In the spring Mr. Bumble had married Mrs. Corney.", *["“Oh,” said Mrs. Bumble."] * 3]
    cast = cast_of(paragraphs, {("Mrs", "Corney"): 5, ("Mr", "Bumble"): 5, ("Mrs", "Bumble"): 3})
    assert cast.named("Mrs", "Bumble") is cast.named("Mrs", "Corney")
    assert cast.named("Mr", "Bumble") is not cast.named("Mrs", "Corney")


def test_a_wifes_name_used_before_any_marriage_is_told_stays_apart():
    paragraphs = [*["“Oh,” said Mrs. Bennet."] * 3, *["“Well,” said Lydia, and she smiled."] * 5,
                  *["“Yes,” said Mr. Bennet."] * 5, "Mr. Bennet married Lydia in the play."]
    cast = cast_of(paragraphs, {("Mrs", "Bennet"): 3, (None, "Lydia"): 5, ("Mr", "Bennet"): 5})
    assert cast.named("Mrs", "Bennet") is not cast.named(None, "Lydia")


def test_a_word_mostly_after_the_that_a_tag_names_once_is_no_speaker():
    paragraphs = [*["He walked over to the College that morning."] * 8, "“Yes,” said College.",
                  *["“Come,” said Aziz, and he smiled."] * 3]
    cast = cast_of(paragraphs, {(None, "College"): 1, (None, "Aziz"): 3})
    assert cast.named(None, "College") is None and cast.named(None, "Aziz") is not None


def test_a_ladys_title_with_a_surname_the_book_also_gives_miss_is_the_mother_not_the_daughter():
    paragraphs = [*["“Yes,” said Charlotte Lucas, and she smiled."] * 3, *["“No,” said Miss Lucas."] * 5,
                  *["“Well,” said Lady Lucas."] * 3]
    cast = cast_of(paragraphs, {(None, "Charlotte Lucas"): 3, ("Miss", "Lucas"): 5, ("Lady", "Lucas"): 3})
    assert cast.named("Lady", "Lucas") is not cast.named("Miss", "Lucas")


def robbery(times: int) -> list[str]:
    scene = ["“Come, Bill, what is it?” asked Nancy.", "“Nothing,” growled the robber."]
    return [*["“Go,” said Bill Sikes, and he shook his head."] * 3, *["“Yes,” said Nancy."] * 2, *scene * times]


def test_a_role_whose_speeches_answer_one_name_again_and_again_is_that_character():
    cast = cast_with_roles(robbery(3), {(None, "Bill Sikes"): 3, (None, "Nancy"): 5})
    assert cast.roles["robber"] is cast.named(None, "Bill Sikes")


def test_a_role_whose_speeches_answer_a_name_once_or_twice_is_its_own_character():
    cast = cast_with_roles(robbery(2), {(None, "Bill Sikes"): 3, (None, "Nancy"): 4})
    assert cast.roles["robber"].label == "The Robber"


def test_a_name_repeating_a_word_is_two_mentions_and_the_later_one_is_the_name():
    paragraphs = [*["“Yes,” said William Shakespeare, and he shook his head."] * 3,
                  "“Ah, my William--William Shakespeare,” she said."]
    cast = cast_of(paragraphs, {(None, "William Shakespeare"): 3})
    assert cast.named(None, "William Shakespeare").uses == 4
    assert all(character.label != "William William Shakespeare" for character in cast.characters)


def test_a_role_whose_tags_put_the_subject_before_the_verb_is_a_character():
    paragraphs = ["“Two coffees,” said Tom.", "“Yes, sir,” the waiter said, and he went away.",
                  "“Anything else?” the waiter asked."]
    cast = cast_with_roles(paragraphs, {(None, "Tom"): 1})
    assert cast.roles["waiter"].label == "The Waiter"


def test_a_title_and_a_first_name_join_the_one_person_that_first_name_opens():
    paragraphs = [*["“Yes,” said Maria Bertram, and she shook her head."] * 3, *["“No,” said Maria."] * 4,
                  *["“Come,” said Miss Maria."] * 2, *["“Go,” said Henry Crawford."] * 3, "“Well,” said Mr. Crawford.",
                  *["“Stay,” said Sir Henry."] * 2]
    cast = cast_of(paragraphs, {(None, "Maria Bertram"): 3, (None, "Maria"): 4, ("Miss", "Maria"): 2,
                                (None, "Henry Crawford"): 3, ("Mr", "Crawford"): 1, ("Sir", "Henry"): 2})
    assert cast.named("Miss", "Maria") is cast.named(None, "Maria Bertram")
    assert cast.named("Sir", "Henry") is not cast.named(None, "Henry Crawford")  # a Mr. is no Sir


def test_spellings_of_one_diminutive_and_the_full_given_name_are_one_person():
    paragraphs = [*["“Yes,” said Charley Bates, and he shook his head."] * 3, *["“No,” said Charley."] * 6,
                  *["“Come,” said Master Charles Bates."] * 5, *["“Go,” said Master Bates."] * 9, "“Hush,” said Charly."]
    cast = cast_of(paragraphs, {(None, "Charley Bates"): 3, (None, "Charley"): 6, ("Master", "Charles Bates"): 5,
                                ("Master", "Bates"): 9, (None, "Charly"): 1})
    charley = cast.named(None, "Charley Bates")
    assert cast.named("Master", "Charles Bates") is charley is cast.named(None, "Charly")
    assert cast.named("Master", "Bates") is charley  # another form of his first name keeps no one from the short name


def test_a_diminutives_spellings_are_one_given_name_and_its_full_forms_nickname():
    from tasks.text.speakers.name_variants import same_given_name

    assert same_given_name("Charly", "Charley") and same_given_name("Charley", "Charles")
    assert same_given_name("Lizzie", "Elizabeth") and not same_given_name("Mary", "Maria")
    assert not same_given_name("Guy", "Gay")  # too short a stem to respell


def test_a_mans_title_does_not_join_a_person_whose_given_name_is_a_womans():
    paragraphs = [*["“Yes,” said Louisa Eshton."] * 2, *["“No,” said Louisa."] * 3, *["“Go,” said Mr. Eshton."] * 4]
    cast = cast_of(paragraphs, {(None, "Louisa Eshton"): 2, (None, "Louisa"): 3, ("Mr", "Eshton"): 4})
    assert cast.named("Mr", "Eshton") is not cast.named(None, "Louisa")
    assert cast.named(None, "Louisa") is cast.named(None, "Louisa Eshton")


def test_a_given_name_that_opens_a_two_word_name_nobody_holds_is_not_the_character_its_second_word_names():
    paragraphs = [*["“Yes,” said Heathcliff, and he shook his head."] * 6, *["“No,” said Catherine."] * 6,
                  "The name was varied to Catherine Heathcliff, and then to Catherine Linton."]
    cast = cast_of(paragraphs, {(None, "Heathcliff"): 6, (None, "Catherine"): 6})
    assert cast.named(None, "Catherine") is not cast.named(None, "Heathcliff")


def test_mr_and_a_surname_is_not_the_man_the_book_calls_sir():
    paragraphs = [*["At once Sir Walter Elliot shook his head."] * 2, *["“Yes,” said Sir Walter."] * 6,
                  *["“No,” said Mr. Elliot, and he smiled."] * 6]
    cast = cast_of(paragraphs, {("Sir", "Walter"): 6, ("Mr", "Elliot"): 6})
    assert cast.named("Mr", "Elliot") is not cast.named("Sir", "Walter Elliot")


def test_a_title_and_full_name_written_once_links_the_first_name_and_the_titled_surname():
    paragraphs = [*["At once Brett shook her head."] * 6, "At once Lady Brett Ashley came in.",
                  *["“Well,” said Lady Ashley."] * 2]
    cast = cast_of(paragraphs, {(None, "Brett"): 3, ("Lady", "Ashley"): 2})
    assert cast.named("Lady", "Ashley") is cast.named(None, "Brett") is cast.named("Lady", "Brett Ashley")


def test_a_role_whose_speaker_names_himself_in_the_speech_after_the_tag_is_that_character():
    paragraphs = [*["“A damp week,” said Blenkinsop."] * 2,
                  "“This is my colleague,” said the senior detective. “My name is Blenkinsop. He is new.”",
                  "“Good evening,” said the senior detective."]
    cast = cast_with_roles(paragraphs, {(None, "Blenkinsop"): 2})
    assert cast.roles["detective"] is cast.named(None, "Blenkinsop")


def test_a_mans_surname_alone_is_not_the_woman_titled_with_it():
    paragraphs = [*["“Yes,” said Archer.", "Archer shook his head."] * 5, *["“No,” said Mrs. Archer."] * 3]
    cast = cast_of(paragraphs, {(None, "Archer"): 5, ("Mrs", "Archer"): 3})
    assert cast.named(None, "Archer") is not cast.named("Mrs", "Archer")
    assert cast.named(None, "Archer").gender == "M"


def speakers_of(paragraphs: list[str]) -> set[str]:
    from tasks.manuscript.book import Book, Chapter
    from tasks.text.speakers import book_runs
    runs = book_runs(Book("B", "A", [Chapter("One", paragraphs)], language="en"))[0]
    return {who for paragraph in runs for who, _ in paragraph}


def test_a_name_that_is_also_a_common_word_or_a_day_speaks_where_tags_name_it_again_and_again():
    common = ["You may go, and they may stay; it may rain, and we may not."] * 3
    assert "May" in speakers_of(common + ["“You are too kind,” said May. “Thank you.”"] * 4)
    assert "Sunday" in speakers_of(["It rained on Sunday."] + ["“Sit down,” said Sunday, smiling."] * 4)
