"""Our normalizer against NVIDIA's nemo-text-processing on the cases real books need.

    PYTHONPATH=. python benchmarks/normalize_compare.py [--nemo-python /work/venv-nemo/bin/python]

Prints each case's expected reading, ours and NeMo's, which agree with the expectation, and the time
per sentence of each. NeMo lives in its own environment (it needs pynini and brings transformers):
it runs in a subprocess of the interpreter given, and is skipped cleanly when that is missing or
cannot import it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tasks.text.normalize import normalize_for_speech, normalize_heading  # noqa: E402

CASES = [  # (written, heading?, what a narrator reads)
    ("CHAPTER I. Down the Rabbit-Hole", True, "Chapter One. Down the Rabbit-Hole."),
    ("CHAPTER XVI", True, "Chapter Sixteen."),
    ("BOOK THE FIRST—RECALLED TO LIFE", True, "Book the First — Recalled to Life."),
    ("VOLUME II", True, "Volume Two."),
    ("DR. SEWARD'S DIARY", True, "Doctor Seward's Diary."),
    ("I'LL do it, DON'T wait.", False, "I'LL do it, DON'T wait."),
    ("George III and Part I.", False, "George the Third and Part one."),
    ("It was Lord St. Simon.", False, "It was Lord Saint Simon."),
    ("We met at St. Paul's.", False, "We met at Saint Paul's."),
    ("Wimpole St. was quiet.", False, "Wimpole Street was quiet."),
    ("The FBI and the BBC met in the U.S.A. today.", False, "The F B I and the B B C met in the U S A today."),
    ("Darwin (1809-1882) wrote.", False, "Darwin (eighteen oh-nine to eighteen eighty-two) wrote."),
    ("from 1914 to 1918", False, "from nineteen fourteen to nineteen eighteen"),
    ("in the 1890s", False, "in the eighteen nineties"),
    ("It was the 21st June.", False, "It was the twenty-first of June."),
    ("From 3-4 October we rode.", False, "From the third to the fourth of October we rode."),
    ("On June 21st we rode.", False, "On June twenty-first we rode."),
    ("_3 May._ Bistritz.", False, "The third of May. Bistritz."),
    ("He stood 6 ft. 2 in. tall.", False, "He stood six feet two inches tall."),
    ("It weighed 12 lbs.", False, "It weighed twelve pounds."),
    ("It cost £3 7s. 6d. in all.", False, "It cost three pounds, seven shillings and sixpence in all."),
    ("A stamp cost 2d. then.", False, "A stamp cost twopence then."),
    ("It was 4½ miles.", False, "It was four and a half miles."),
    ("3/4 of it", False, "three quarters of it"),
    ("He lived at 221B Baker Street.", False, "He lived at two twenty-one B Baker Street."),
    ("Apples, pears, &c. Then plums.", False, "Apples, pears, et cetera. Then plums."),
    ("To J. Smith, Esq. of Leeds.", False, "To J. Smith, Esquire of Leeds."),
    ("Messrs. Lloyd and Mme. Roux came.", False, "Messers Lloyd and Madame Roux came."),
    ("Call 555-1234 now.", False, "Call five five five, one two three four now."),
    ("It cost $5.50 and 12% more.", False, "It cost five dollars and fifty cents and twelve percent more."),
    ("We met at 10:05.", False, "We met at ten oh five."),
    ("Well [laughs] that was NO joke.", False, "Well [laughs] that was NO joke."),
]
NEMO_WORKER = """
import json, sys, time
from nemo_text_processing.text_normalization.normalize import Normalizer
normalizer = Normalizer(input_case="cased", lang="en", cache_dir=sys.argv[1])
out = []
for text in json.load(sys.stdin):
    start = time.perf_counter()
    spoken = normalizer.normalize(text, punct_post_process=True)
    out.append([spoken, time.perf_counter() - start])
print(json.dumps(out))
"""


def run_ours() -> list[tuple[str, float]]:
    results = []
    for written, heading, _ in CASES:
        start = time.perf_counter()
        spoken = (normalize_heading if heading else normalize_for_speech)(written)
        results.append((spoken, time.perf_counter() - start))
    return results


def run_nemo(python: str | None, cache_dir: str) -> list[tuple[str, float]] | None:
    """NeMo's readings and times, or None (with the reason on stderr) when it cannot run here."""
    if not python or not Path(python).exists():
        print(f"nemo skipped: no interpreter at {python!r} (install nemo-text-processing in its own venv)", file=sys.stderr)
        return None
    texts = json.dumps([written for written, _, _ in CASES])
    done = subprocess.run([python, "-c", NEMO_WORKER, cache_dir], input=texts, capture_output=True, text=True)
    if done.returncode:
        print(f"nemo skipped: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}",
              file=sys.stderr)
        return None
    return [tuple(row) for row in json.loads(done.stdout.strip().splitlines()[-1])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nemo-python", help="python of a venv with nemo-text-processing")
    parser.add_argument("--nemo-cache", default="/tmp/nemo_cache", help="where NeMo keeps its compiled grammars")
    args = parser.parse_args()
    ours, nemo = run_ours(), run_nemo(args.nemo_python, args.nemo_cache)
    agree = {"ours": 0, "nemo": 0}
    for i, (written, _, expected) in enumerate(CASES):
        print(f"\n{written!r}\n  expected: {expected}\n  ours:     {ours[i][0]}  [{'ok' if ours[i][0] == expected else 'DIFF'}]")
        agree["ours"] += ours[i][0] == expected
        if nemo:
            print(f"  nemo:     {nemo[i][0]}  [{'ok' if nemo[i][0] == expected else 'DIFF'}]")
            agree["nemo"] += nemo[i][0] == expected
    print(f"\nagree with the expected reading: ours {agree['ours']}/{len(CASES)}"
          + (f", nemo {agree['nemo']}/{len(CASES)}" if nemo else ""))
    print(f"time per sentence: ours {1000 * sum(t for _, t in ours) / len(ours):.3f} ms"
          + (f", nemo {1000 * sum(t for _, t in nemo) / len(nemo):.1f} ms" if nemo else ""))


if __name__ == "__main__":
    main()
