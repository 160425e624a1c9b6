"""Learn the turn features' weights (tasks/text/speakers/turn_weights.json) on PDNC's dev novels.

Each dev novel is read as `barkbook segment` reads it, up to the first pass (named tags decided:
tasks.text.speakers.speech.tagged_book); each conversation's lattice (its turns' candidates and
features: tasks/text/speakers/turn_features.py) is built, and each open turn gets its PDNC speaker
(PDNC's quotes located in the speeches as benchmarks/pdnc_score.py locates them in segments; a
candidate is right when its label names that PDNC character and no other, as the scorer judges).

The weights are an averaged structured perceptron's (Collins 2002) over the whole conversation:
decode the conversation with the weights as they are (the product's Viterbi search,
tasks/text/speakers/turns.py); decode it again held to the right speakers where the candidates hold
them (turns whose speaker is no candidate stay free); where the two differ, add the features of the
second and take away those of the first (transitions included). Only the 12 dev novels are read;
held-out novels never are. One perceptron's weights move with the order it is shown the
conversations in (dev right speaker 76.6-77.1 % over three orders): `--orders N` trains N, each on
its own order, and keeps their mean. `--folds 3` trains on two thirds of the dev novels and reports
on the rest (to choose the number of epochs), `--write` trains on all 12 and writes the weights file.

`--warm` starts from the weights file's weights (retraining them all from nothing moves the figures by a few
tenths either way); with `--only PART …` it learns only the features whose names hold one of the parts (a new
feature's weights against the rest as they are). `--search NAME …` instead sets each named feature's weight (full
names: 'pronoun:role 1 object') to the value of a grid that decodes most dev turns right, the others held, twice
over: for a feature or two whose signal the kept ones mostly hold already, where the perceptron's steps move the
other new weights about more than they help (the 'role' features: it lost 0.4 % of open turns, the search gained 0.1 %).

    PYTHONPATH=. python benchmarks/train_turns.py [--epochs N] [--orders N] [--folds 3] [--warm [--only PART …]] [--write]
    PYTHONPATH=. python benchmarks/train_turns.py --epochs 5 --orders 5 --warm --only unknown: --write   (the 'unknown' tag's)
    PYTHONPATH=. python benchmarks/train_turns.py --search 'pronoun:role 1 object' 'pronoun:role 2 object' --write
    PYTHONPATH=. python benchmarks/train_turns.py --epochs 10 --orders 5 --write   (the weights file's base; later features
        were learned onto it with --warm --only: 'unknown:', 'after tag', 'after narration')
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Hashable

from benchmarks.pdnc_score import DEV, PDNC, Novel, Stream, load_novel, locate
from tasks.text.speakers.turn_features import WEIGHTS_FILE, Lattice, TurnWeights, conversation_lattice, turn_weights
from tasks.text.speakers.turns import OTHER, TRANSITIONS, decode, transition
from tasks.text.speakers.utterances import NARRATOR, Utterance


@dataclass
class Example:
    """A conversation's lattice and, for each turn, the candidates that are its PDNC speaker
    (None: an open turn whose speaker is unknown or no candidate; fixed turns: their one candidate)."""

    lattice: Lattice
    gold: list[set[Hashable] | None]


def right_candidates(novel: Novel, options: dict, gold: str) -> set:
    return {c for c in options if (c == NARRATOR and gold == novel.narrator)
            or (c not in (NARRATOR, OTHER) and novel.characters_named(c.label) == {gold})}


def examples_of(name: str) -> list[Example]:
    """Every conversation of a dev novel with its open turns' PDNC speakers: the candidates PDNC's
    speaker names, else OTHER where no character of the book's cast is that speaker (or PDNC's
    _group, _unknowable); else unknown."""
    from tasks.manuscript.ingest import read_manuscript
    from tasks.text.speakers.attribution import conversations
    from tasks.text.speakers.speech import tagged_book

    novel = load_novel(name)
    chapters, cast = tagged_book(read_manuscript(PDNC / name / "novel_text.txt"))
    texts, owners = [], []
    for c, chapter in enumerate(chapters):
        for p, text in enumerate(chapter.paragraphs):
            at = 0
            for n, u in enumerate(chapter.said[p]):
                texts += [text[at:u.span[0]], text[u.span[0]:u.span[1]]]
                owners += [None, (c, p, n)]
                at = u.span[1]
            texts.append(text[at:])
            owners.append(None)
    stream = Stream.of(texts)
    gold: dict[tuple, dict[int, str]] = {}  # (chapter, paragraph) -> speech -> PDNC speaker
    for quote, ranges in zip(novel.quotes, locate(novel, stream)):
        if ranges:
            owner = owners[Counter(stream.segment[k] for r in ranges for k in r).most_common(1)[0][0]]
            if owner is not None:
                gold.setdefault(owner[:2], {}).setdefault(owner[2], quote.speaker)
    examples = []
    for c, chapter in enumerate(chapters):
        for turns in conversations(chapter):
            lattice = conversation_lattice(chapter, turns)
            golds = []
            for p, options in zip(turns, lattice.options):
                speaker = turn_gold(chapter.said[p], gold.get((c, p), {}))
                right = right_candidates(novel, options, speaker) if speaker and len(options) > 1 else set()
                unnamed = speaker and not right_candidates(novel, {c: {} for c in [NARRATOR, *cast.characters]}, speaker)
                golds.append(set(options) if len(options) == 1 else right or ({OTHER} if unnamed else None))
            examples.append(Example(lattice, golds))
    return examples


def turn_gold(utterances: list[Utterance], located: dict[int, str]) -> str | None:
    """An open turn's PDNC speaker: that of the first of its open speeches holding most of a located
    quote (its open speeches share one speaker, and its first is often too short to hold most of one:
    '"Yes," she said, "I went there alone."')."""
    return next((located[n] for n, u in enumerate(utterances)
                 if u.speaker is None and not u.continued and n in located), None)


def path_features(lattice: Lattice, path: list, transitions: Counter) -> Counter:
    """The features a speaker sequence fires: its candidates' own, and its transitions ('>' names them)."""
    total: Counter = Counter()
    for i, (options, speaker) in enumerate(zip(lattice.options, path)):
        total.update(options[speaker])
        for name in transition(path[i - 2] if i > 1 else None, path[i - 1] if i else None, speaker,
                               lattice.contexts[i]):
            total[">" + name] += 1
    return total


class Perceptron:
    """An averaged perceptron over emission features and transitions ('>same', '>alternation', …)."""

    def __init__(self, start: TurnWeights, only: tuple[str, ...] = ()) -> None:
        self.only = only  # learn only the features whose names hold one of these (the rest stay as started)
        self.w: dict[str, float] = defaultdict(float, start.emission)
        self.w.update({">" + k: v for k, v in start.transition.items()})
        self.sums: dict[str, float] = defaultdict(float)  # step-weighted updates, for the average
        self.step = 1

    def weights(self, averaged: bool = False) -> TurnWeights:
        w = {k: v - self.sums[k] / self.step for k, v in self.w.items()} if averaged else dict(self.w)
        return TurnWeights({k: v for k, v in w.items() if not k.startswith(">")},
                           {k[1:]: v for k, v in w.items() if k.startswith(">")})

    def learn(self, example: Example, weights: TurnWeights) -> None:
        scores = weights.scores(example.lattice)
        guess = decode(scores, example.lattice.contexts, weights.transition)
        held = [{c: s for c, s in turn.items() if gold is None or c in gold} or turn
                for turn, gold in zip(scores, example.gold)]
        target = decode(held, example.lattice.contexts, weights.transition)
        if guess != target:
            delta = path_features(example.lattice, target, Counter())
            delta.subtract(path_features(example.lattice, guess, Counter()))
            for name, value in delta.items():
                if value and (not self.only or any(part in name for part in self.only)):
                    self.w[name] += value
                    self.sums[name] += self.step * value
        self.step += 1


def train(examples: list[Example], epochs: int, start: TurnWeights, seed: int = 0,
          only: tuple[str, ...] = ()) -> TurnWeights:
    model, order = Perceptron(start, only), list(examples)
    for _ in range(epochs):
        random.Random(seed).shuffle(order)
        for example in order:
            model.learn(example, model.weights())
    return model.weights(averaged=True)


def train_orders(examples: list[Example], epochs: int, start: TurnWeights, orders: int,
                 only: tuple[str, ...] = ()) -> TurnWeights:
    """The mean of perceptrons trained on `orders` different orders of the conversations (one
    perceptron's weights move with the order it saw them in; their mean does much less)."""
    trained = [train(examples, epochs, start, seed, only) for seed in range(orders)]
    def mean(part: str) -> dict[str, float]:
        names = {k for t in trained for k in getattr(t, part)}
        return {k: sum(getattr(t, part).get(k, 0.0) for t in trained) / orders for k in names}
    return TurnWeights(mean("emission"), mean("transition"))


SEARCH_GRID = (-6.0, -4.0, -3.0, -2.0, -1.5, -1.0, -0.5, 0.0, 1.0)


def search(examples: list[Example], start: TurnWeights, names: list[str], rounds: int = 2) -> TurnWeights:
    """Each named feature's weight set in turn to the grid's value that decodes most open turns right
    (ties: the one nearest its weight before), the rest held; `rounds` passes over the names."""
    emission = dict(start.emission)
    for _ in range(rounds):
        for name in names:
            before, right = emission.get(name, 0.0), {}
            for value in SEARCH_GRID:
                emission[name] = value
                right[value] = accuracy(examples, TurnWeights(emission, start.transition))[0]
            emission[name] = max(right, key=lambda v: (right[v], -abs(v - before)))
            print(f"{name}: {emission[name]} ({right[emission[name]]} right)", file=sys.stderr)
    return TurnWeights(emission, start.transition)


def accuracy(examples: list[Example], weights: TurnWeights) -> tuple[int, int]:
    """Open turns whose PDNC speaker is a candidate decoded right, of those."""
    right = total = 0
    for example in examples:
        decoded = decode(weights.scores(example.lattice), example.lattice.contexts, weights.transition)
        for options, gold, speaker in zip(example.lattice.options, example.gold, decoded):
            if len(options) > 1 and gold is not None and gold != {OTHER}:
                right += speaker in gold
                total += 1
    return right, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--orders", type=int, default=1, help="average perceptrons trained on this many orders")
    parser.add_argument("--folds", type=int, default=0, help="train on part of dev, report on the rest")
    parser.add_argument("--write", action="store_true", help=f"train on all dev novels, write {WEIGHTS_FILE.name}")
    parser.add_argument("--warm", action="store_true", help=f"start from {WEIGHTS_FILE.name}'s weights (new features: 0)")
    parser.add_argument("--only", nargs="+", default=(), help="with --warm: learn only features whose names hold one of these")
    parser.add_argument("--search", nargs="+", default=(), help="search these features' weights on a grid (the rest kept)")
    args = parser.parse_args(argv)
    start = turn_weights() if args.warm or args.search else TurnWeights({}, dict(TRANSITIONS))
    data = {name: examples_of(name) for name in DEV}
    print("open turns whose speaker is a candidate:", sum(
        1 for ex in data.values() for e in ex for o, g in zip(e.lattice.options, e.gold) if len(o) > 1 and g
        and g != {OTHER}), file=sys.stderr)
    for fold in range(args.folds):
        test = DEV[fold::args.folds]
        trained = train_orders([e for n in DEV if n not in test for e in data[n]], args.epochs, start, args.orders, args.only)
        right, total = accuracy([e for n in test for e in data[n]], trained)
        print(f"fold {fold} ({len(test)} novels held): {right}/{total} = {100 * right / total:.1f} % of open turns")
    if args.write:
        every = [e for n in DEV for e in data[n]]
        trained = search(every, start, args.search) if args.search else train_orders(every, args.epochs, start, args.orders, args.only)
        right, total = accuracy(every, trained)
        print(f"all dev (trained on): {right}/{total} = {100 * right / total:.1f} % of open turns")
        how = f"--search {' '.join(repr(n) for n in args.search)}" if args.search else \
            f"--epochs {args.epochs} --orders {args.orders}{' --warm' * args.warm}{' --only ' + ' '.join(args.only) if args.only else ''}"
        weights = {"emission": {k: round(v, 3) for k, v in sorted(trained.emission.items()) if round(v, 3)},
                   "transition": {k: round(v, 3) for k, v in sorted(trained.transition.items())},
                   "trained": f"benchmarks/train_turns.py {how} on PDNC's {len(DEV)} dev novels"}
        WEIGHTS_FILE.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE} ({WEIGHTS_FILE.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
