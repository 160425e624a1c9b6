"""A conversation's speakers decoded as a whole: known turns anchor, the rest alternate."""

from tasks.text.speakers.turns import OTHER, decode


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
