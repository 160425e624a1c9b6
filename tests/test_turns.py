"""A conversation's speakers decoded as a whole: known turns anchor, the rest alternate."""

from collections import defaultdict

from benchmarks.train_turns import Example, search, train, train_orders, turn_gold
from tasks.text.speakers.characters import Character
from tasks.text.speakers.turn_features import (Lattice, TurnWeights, conversation_lattice, participant_features,
                                                  turn_weights)
from tasks.text.speakers.turns import OTHER, TRANSITIONS, decode, transition
from tasks.text.speakers.utterances import NARRATOR, Utterance


def test_untagged_turns_alternate_between_the_two_who_spoke():
    turns = [{"A": 0.0}, {"B": 0.0}, {"A": 0.0, "B": 0.0, OTHER: 0.0}, {"A": 0.0, "B": 0.0, OTHER: 0.0}]
    assert decode(turns) == ["A", "B", "A", "B"]


def test_a_tagged_turn_later_on_fixes_the_turns_before_it():
    open_turn = {"A": 0.0, "B": 0.0, OTHER: 0.0}
    assert decode([open_turn, dict(open_turn), dict(open_turn), {"B": 0.0}]) == ["A", "B", "A", "B"]


def test_evidence_in_a_turn_outweighs_alternation():
    turns = [{"A": 0.0}, {"B": 0.0}, {"A": 0.0, "B": 0.0, "C": 5.0, OTHER: 0.0}]
    assert decode(turns)[-1] == "C"


def test_nobody_answers_themselves_when_someone_else_can():
    assert decode([{"A": 0.0}, {"A": 0.5, "B": 0.0, OTHER: -1.0}]) == ["A", "B"]


def test_an_unknown_speaker_is_other():
    assert decode([{"A": 0.0}, {OTHER: 0.0}]) == ["A", OTHER]


def test_a_transition_fires_its_name_and_its_name_in_the_turns_context():
    assert transition("A", "B", "A", "bare") == ("alternation", "alternation bare")
    assert transition("A", "B", "B", "going on") == ("same", "same going on")
    assert transition("A", "B", OTHER, "bare") == ()


def test_a_context_weight_changes_the_decoded_speaker():
    turns = [{"A": 0.0}, {"A": 0.0, "B": 0.0, OTHER: -5.0}]
    assert decode(turns, ["", "going on"]) == ["A", "A"]
    assert decode(turns, ["", "bare"], TRANSITIONS | {"same bare": -9.0}) == ["A", "B"]


def test_the_perceptron_learns_the_feature_that_marks_the_speaker():
    options = [{"A": {}}, {"A": {"tag:subject": 0.0}, "B": {"tag:subject": 1.0}, OTHER: {"tag:other": 1.0}}]
    example = Example(Lattice([0, 1], options, ["", "pronoun"], ["", "tag: pronoun"]), [{"A"}, {"B"}])
    trained = train([example] * 3, epochs=2, start=TurnWeights({}, {"same": 1.0}))
    assert decode(trained.scores(example.lattice), example.lattice.contexts, trained.transition) == ["A", "B"]
    assert trained.emission["tag:subject"] > 0


def test_the_learned_weights_load_with_every_transition():
    weights = turn_weights()
    assert set(TRANSITIONS) <= set(weights.transition) and weights.emission


def test_the_mean_over_orders_learns_the_feature_that_marks_the_speaker():
    options = [{"A": {}}, {"A": {"tag:subject": 0.0}, "B": {"tag:subject": 1.0}, OTHER: {"tag:other": 1.0}}]
    example = Example(Lattice([0, 1], options, ["", "pronoun"], ["", "tag: pronoun"]), [{"A"}, {"B"}])
    trained = train_orders([example] * 3, epochs=2, start=TurnWeights({}, {"same": 1.0}), orders=3)
    assert decode(trained.scores(example.lattice), example.lattice.contexts, trained.transition) == ["A", "B"]
    assert trained.emission["tag:subject"] > 0


def test_a_pronoun_points_at_the_only_known_speaker_of_its_gender():
    man, woman, other_woman = Character("Tom", gender="M"), Character("Ann", gender="F"), Character("Kate", gender="F")
    found = defaultdict(dict)
    participant_features([man, woman], "F", found)
    assert found[woman] == {"only fitting participant": 1} and man not in found
    found = defaultdict(dict)
    participant_features([man, woman, other_woman], "F", found)
    assert not found


def test_a_turn_is_trained_on_the_speaker_of_whichever_open_speech_holds_a_quote():
    fixed, short, long = Utterance(0, (0, 5), speaker="A"), Utterance(0, (6, 12)), Utterance(0, (20, 90))
    assert turn_gold([fixed, short, long], {0: "A", 2: "Ann"}) == "Ann"
    assert turn_gold([short, long], {}) is None


def test_a_transition_fires_one_name_per_context_of_its_turn():
    assert transition("A", "B", "A", ("bare", "after question")) == (
        "alternation", "alternation bare", "alternation after question")
    assert transition("A", "B", "A", ("bare", "")) == ("alternation", "alternation bare")


def tagged_chapter(paragraphs: list[str], later: list[str] | None = None):
    """The first chapter of a small book, tagged (pass 1); `later`: a second chapter's paragraphs."""
    from tasks.manuscript.book import Book, Chapter
    from tasks.text.speakers.speech import tagged_book

    chapters, _ = tagged_book(Book("Emma", "Austen", [Chapter("One", paragraphs), Chapter("Two", later or [
        "“I know it very well indeed,” said Emma."])]))
    return chapters[0]


def characters(chapter, *labels):
    return [next(c for c in chapter.cast.characters if c.label == label) for label in labels]


def question_and_answer():
    chapter = tagged_chapter([
        "Emma shook her head, and Mr. Knightley shook his.",
        "“You are late, Emma, and you know it,” said Mr. Knightley.",
        "“Where were you, Mr. Knightley?”",
        "“In the garden.”"])
    return chapter, conversation_lattice(chapter, [1, 2, 3])


def test_a_turn_after_a_question_has_that_context():
    _, lattice = question_and_answer()
    assert [context[1] for context in lattice.contexts] == ["", "", "after question"]


def test_the_one_a_question_calls_by_name_is_marked_as_asked():
    chapter, lattice = question_and_answer()
    [knightley] = characters(chapter, "Mr. Knightley")
    assert lattice.options[2][knightley].get("none:asked before") == 1
    assert not any("asked before" in name for c, f in lattice.options[2].items() if c is not knightley for name in f)


def test_one_called_by_name_earlier_in_the_conversation_is_marked_so():
    chapter, lattice = question_and_answer()
    emma, knightley = characters(chapter, "Emma", "Mr. Knightley")
    assert lattice.options[2][emma].get("none:addressed earlier") == 1
    assert "none:addressed earlier" not in lattice.options[2][knightley]  # addressed just before, not earlier


def test_a_pronoun_opening_the_narration_after_an_untagged_speech_marks_its_gender():
    chapter = tagged_chapter([
        "Emma shook her head, and Mr. Knightley shook his.",
        "“You are late, Emma,” said Mr. Knightley.",
        "“I was in the garden.” She smiled at him.",
        "“Were you, Emma?” asked Mr. Knightley."])
    emma, knightley = characters(chapter, "Emma", "Mr. Knightley")
    options = conversation_lattice(chapter, [1, 2, 3]).options[1]
    assert options[emma].get("none:beat gender match") == 1
    assert options[knightley].get("none:beat gender mismatch") == 1


def test_a_pronoun_tag_ranks_the_women_named_before_it_as_speakers_or_newcomers():
    chapter = tagged_chapter([
        "Emma shook her head, and Mr. Knightley shook his.",
        "“You are late,” said Emma.",
        "“Am I?” said Mr. Knightley.",
        "Harriet came in and took off her bonnet. “I am sorry,” she said."],
        ["“I know it very well indeed,” said Emma.", "“Yes,” said Harriet, shaking her head."])
    emma, harriet = characters(chapter, "Emma", "Harriet")
    options = conversation_lattice(chapter, [1, 2, 3]).options[2]
    assert options[harriet].get("pronoun:rank 1, newcomer") == options[harriet].get("pronoun:latest fit, newcomer") == 1
    assert options[emma].get("pronoun:rank 2, participant") == 1


def test_a_third_person_tag_never_names_the_first_person_narrator():
    chapter = tagged_chapter([
        "It was snowing.",
        "“Have you always lived here?” I asked.",
        "“No.”",
        "“Where do you come from?”",
        "“From Riga,” she answered reluctantly."], ["“Yes,” I said."])
    options = conversation_lattice(chapter, [1, 2, 3, 4]).options[3]
    assert NARRATOR not in options


def test_an_unknown_tag_may_take_a_character_of_the_conversation():
    chapter = tagged_chapter([
        "Emma shook her head, and Mr. Knightley shook his.",
        "“You are late, Emma,” said Mr. Knightley.",
        "“Yes,” they said."])
    emma, knightley = characters(chapter, "Emma", "Mr. Knightley")
    lattice = conversation_lattice(chapter, [1, 2])
    assert lattice.hows[1] == "tag: unknown"
    assert {emma, knightley, OTHER} <= set(lattice.options[1])
    assert lattice.options[1][OTHER] == {"unknown:other": 1.0}


def test_a_name_after_a_tag_is_marked_as_whom_the_speaker_faces():
    chapter = tagged_chapter([
        "Emma and Harriet sat by the fire.",
        "“You are late,” said Emma.",
        "“I am sorry,” she said, turning to Emma."],
        ["“I know it very well indeed,” said Emma.", "“Yes,” said Harriet, shaking her head."])
    emma, harriet = characters(chapter, "Emma", "Harriet")
    options = conversation_lattice(chapter, [1, 2]).options[1]
    assert options[emma].get("pronoun:after tag") == 1 and "pronoun:after tag" not in options[harriet]


def test_an_untagged_turn_after_a_paragraph_of_narration_has_that_context():
    chapter = tagged_chapter([
        "Emma and Harriet sat by the fire.",
        "“You are late,” said Emma.",
        "“Am I?” said Harriet.",
        "Harriet took off her bonnet and looked at the fire for a long while.",
        "“I walked by the river.”",
        "“Did you?” she said."],
        ["“I know it very well indeed,” said Emma.", "“Yes,” said Harriet, shaking her head."])
    contexts = conversation_lattice(chapter, [1, 2, 4, 5]).contexts
    assert [context[2] for context in contexts] == ["", "", "after narration", ""]


def test_after_narration_the_one_who_spoke_last_goes_on_rather_than_the_one_before():
    turns = [{"A": 0.0}, {"B": 0.0}, {"A": 0.0, "B": 0.0, OTHER: -5.0}]
    weights = turn_weights().transition
    assert decode(turns, ["", "", ("bare", "", "")], weights)[-1] == "A"
    assert decode(turns, ["", "", ("bare", "", "after narration")], weights)[-1] == "B"


def test_narration_that_tells_of_nobody_does_not_break_an_exchange():
    chapter = tagged_chapter([
        "Emma and Harriet sat by the fire.",
        "“You are late,” said Emma.",
        "“Am I?” said Harriet.",
        "The fire crackled.",
        "“You are.”",
        "She paused.",
        "“Very late.”"],
        ["“I know it very well indeed,” said Emma.", "“Yes,” said Harriet, shaking her head."])
    contexts = conversation_lattice(chapter, [1, 2, 4, 6]).contexts
    assert [context[2] for context in contexts] == ["", "", "", "after narration"]


def pronoun_turn_after(narration: str):
    """Emma and Mr. Knightley speak; then `narration` names Emma and Harriet before Harriet's 'she said': the
    pronoun turn's options, and Emma and Harriet."""
    chapter = tagged_chapter([
        "Emma shook her head, and Mr. Knightley shook his.",
        "“You are late,” said Emma.",
        "“Am I?” said Mr. Knightley.",
        f"{narration} “I am sorry,” she said."],
        ["“I know it very well indeed,” said Emma.", "“Yes,” said Harriet, shaking her head."])
    return conversation_lattice(chapter, [1, 2, 3]).options[2], characters(chapter, "Emma", "Harriet")


def test_a_woman_named_as_an_object_is_marked_so_for_a_pronoun_tag():
    options, (emma, harriet) = pronoun_turn_after("Harriet came in and looked at Emma.")
    assert options[emma].get("pronoun:role 1 object") == 1
    assert not any(name.startswith("pronoun:role") for name in options[harriet])


def test_a_woman_named_as_an_owner_is_marked_so_and_one_opening_a_clause_is_not():
    options, (emma, harriet) = pronoun_turn_after("Then Harriet took Emma's hand.")
    assert options[emma].get("pronoun:role 1 object") == 1
    assert "pronoun:role 2 object" not in options[harriet]


def test_the_search_sets_a_new_feature_to_the_grid_value_that_decodes_the_speaker():
    options = [{"A": {}}, {"B": {}}, {"A": {"tag:role 1 object": 1.0}, "B": {}, OTHER: {"tag:other": 1.0}}]
    example = Example(Lattice([0, 1, 2], options, ["", "", "pronoun"], ["", "", "tag: pronoun"]), [{"A"}, {"B"}, {"B"}])
    start = TurnWeights({"tag:other": -9.0}, {"alternation": 1.0})
    found = search([example], start, ["tag:role 1 object"])
    assert found.emission["tag:role 1 object"] < 0 and found.emission["tag:other"] == -9.0
    assert decode(found.scores(example.lattice), example.lattice.contexts, found.transition)[-1] == "B"
