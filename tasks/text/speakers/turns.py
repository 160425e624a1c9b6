"""A conversation's speakers decoded as a whole, not one turn at a time.

Each turn (a paragraph of speech) comes with what its own text says for each candidate (a named
tag fixes it; a pronoun keeps its gender; narration, addressees and mentions weigh in), and the
conversation adds what turns say about each other: people take turns (A, B, A, B) and nobody answers
themselves. The best sequence under both is found exactly (a second-order Viterbi search: the
score of a speaker depends on the two before). OTHER stands for someone the book does not name.
"""

from __future__ import annotations

from typing import Hashable

OTHER = "?"  # someone unnamed: voiced as DIALOGUE
SAME_SPEAKER = -1.0  # a turn by the one who just spoke (a tenth of PDNC's dev turns are; weights fitted on them)
ALTERNATION = 2.0  # a turn by the one who spoke two turns back, after someone else
GOING_ON = 2.5  # a turn by the one who just spoke, whose tag says they go on ('she added')
MAX_CANDIDATES = 6  # per open turn, besides OTHER


def transition(before: Hashable, previous: Hashable, speaker: Hashable, goes_on: bool = False) -> float:
    if speaker == OTHER or previous is None:
        return 0.0
    if speaker == previous:
        return GOING_ON if goes_on else SAME_SPEAKER
    return ALTERNATION if speaker == before else 0.0


def shortlist(scores: dict[Hashable, float]) -> dict[Hashable, float]:
    """A turn's best candidates (OTHER always among them)."""
    ranked = sorted((item for item in scores.items() if item[0] != OTHER), key=lambda item: -item[1])
    return dict(ranked[:MAX_CANDIDATES]) | {OTHER: scores.get(OTHER, float("-inf"))}


def decode(turns: list[dict[Hashable, float]], going_on: list[bool] | None = None) -> list[Hashable]:
    """The speaker sequence with the best total of turn scores and transitions; a turn's dict maps each
    candidate to its score (a fixed turn has one candidate); `going_on`: turns whose tag says the speaker
    goes on ('she added')."""
    if not turns:
        return []
    options = [scores if len(scores) == 1 else shortlist(scores) for scores in turns]
    best: dict[tuple, tuple[float, list]] = {(None, s): (score, [s]) for s, score in options[0].items()}
    going_on = going_on or [False] * len(turns)
    for scores, goes_on in zip(options[1:], going_on[1:]):
        step: dict[tuple, tuple[float, list]] = {}
        for (before, previous), (total, path) in best.items():
            for speaker, score in scores.items():
                value = total + score + transition(before, previous, speaker, goes_on)
                key = (previous, speaker)
                if key not in step or value > step[key][0]:
                    step[key] = (value, path)
        best = {key: (value, path + [key[1]]) for key, (value, path) in step.items()}
    return max(best.values(), key=lambda item: item[0])[1]
