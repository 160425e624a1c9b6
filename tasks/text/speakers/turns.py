"""A conversation's speakers decoded as a whole, not one turn at a time.

Each turn (a paragraph of speech) comes with a score for each candidate (a named tag fixes it; the
rest is weighed by tasks/text/speakers/turn_features.py), and the conversation adds what turns say
about each other: people take turns (A, B, A, B) and nobody answers themselves. The best sequence
under both is found exactly (a second-order Viterbi search: the score of a speaker depends on the
two before). OTHER stands for someone the book does not name.
"""

from __future__ import annotations

from typing import Hashable

OTHER = "?"  # someone unnamed: voiced as DIALOGUE
# what a turn's place in the conversation counts (defaults; the learned ones are in turn_weights.json).
# Each transition fires its own name and its name with the turn's context ('same going on').
TRANSITIONS = {"same": -1.0,  # a turn by the one who just spoke
               "alternation": 2.0,  # a turn by the one who spoke two turns back, after someone else
               "same going on": 3.5}  # … whose tag says they go on ('she added')
MAX_CANDIDATES = 6  # per open turn, besides OTHER


Context = str | tuple[str, ...]  # a turn's context, or several ('bare', 'after question')


def transition(before: Hashable, previous: Hashable, speaker: Hashable, context: Context = "") -> tuple[str, ...]:
    """The names of the transition a speaker makes after `previous` and `before` in a turn of this
    context ('going on', 'bare', …; or several: ('bare', 'after question')): none, or the general one and
    one per context."""
    if speaker == OTHER or previous is None:
        return ()
    name = "same" if speaker == previous else "alternation" if speaker == before else None
    contexts = (context,) if isinstance(context, str) else context
    return (name, *(f"{name} {c}" for c in contexts if c)) if name else ()


def shortlist(scores: dict[Hashable, float]) -> dict[Hashable, float]:
    """A turn's best candidates (OTHER always among them)."""
    ranked = sorted((item for item in scores.items() if item[0] != OTHER), key=lambda item: -item[1])
    return dict(ranked[:MAX_CANDIDATES]) | {OTHER: scores.get(OTHER, float("-inf"))}


def decode(turns: list[dict[Hashable, float]], contexts: list[Context] | None = None,
           transitions: dict[str, float] | None = None) -> list[Hashable]:
    """The speaker sequence with the best total of turn scores and transitions; a turn's dict maps each
    candidate to its score (a fixed turn has one candidate); `contexts`: each turn's context ('going on':
    its tag says the speaker goes on, 'she added'); `transitions`: a weight per transition name
    (TRANSITIONS by default)."""
    if not turns:
        return []
    weights = TRANSITIONS if transitions is None else transitions
    options = [scores if len(scores) == 1 else shortlist(scores) for scores in turns]
    best: dict[tuple, tuple[float, list]] = {(None, s): (score, [s]) for s, score in options[0].items()}
    contexts = contexts or [""] * len(turns)
    for scores, context in zip(options[1:], contexts[1:]):
        step: dict[tuple, tuple[float, list]] = {}
        for (before, previous), (total, path) in best.items():
            for speaker, score in scores.items():
                names = transition(before, previous, speaker, context)
                value = total + score + sum(weights.get(name, 0.0) for name in names)
                key = (previous, speaker)
                if key not in step or value > step[key][0]:
                    step[key] = (value, path)
        best = {key: (value, path + [key[1]]) for key, (value, path) in step.items()}
    return max(best.values(), key=lambda item: item[0])[1]
