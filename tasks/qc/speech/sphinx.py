"""The offline content engine: pocketsphinx 5 and its bundled US-English model (BSD), decoding
each take against a grammar built from its own text.

Why a grammar and not free recognition: free decoding with the 130k-word LM is slow (~0.3× real
time on one core) and, on a single take, no more accurate than the text we already know. The
grammar is the expected words as a chain, each skippable at a cost (a skip or a truncation shows
as skipped words), with a loop of the 39 ARPAbet phones before the first and after the last word:
speech there that is not the text (an invented tail, a wrong sentence) is heard as phones and
reported as extra speech. Words missing from CMUdict get a pronunciation guessed from their
spelling (`spelling.py`; pocketsphinx has no letter-to-sound rules); a word nothing can be guessed
for is left out of the score (`unscored`).
"""

from __future__ import annotations

import itertools
import re
import threading

import numpy as np

from tasks.qc.speech.spelling import guess_phones
from tasks.qc.speech.words import Heard, cue_slots, normalize_words

PHONES = ("AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH "
          "UH UW V W Y Z ZH").split()
PHONE_WORD = "ph_"  # phone "words" of the garbage loops; a run of them is reported as "/ah v s/"
FRAME_S = 0.01
ALTERNATE = re.compile(r"\(\d+\)$")  # CMUdict's second pronunciation of "was" is "was(2)"
# topn 2 / maxhmmpf 1500 / no bestpath: 3× faster than the defaults at the same words on the fixtures
DECODER_OPTIONS = dict(lm=None, topn=2, maxhmmpf=1500, bestpath=False, loglevel="FATAL")


class SphinxRecognizer:
    """Loads the decoder once, lazily; one take at a time (a lock: the decoder is stateful)."""

    def __init__(self, skip_probability: float, stop_probability: float, phone_probability: float):
        self.skip_probability = skip_probability
        self.stop_probability = stop_probability
        self.phone_probability = phone_probability
        self._decoder = None
        self._lock = threading.Lock()
        self._names = itertools.count()

    @property
    def decoder(self):
        if self._decoder is None:
            from pocketsphinx import Decoder

            decoder = Decoder(**DECODER_OPTIONS)
            for phone in PHONES:
                decoder.add_word(PHONE_WORD + phone.lower(), phone, update=phone == PHONES[-1])
            self._decoder = decoder
        return self._decoder

    def pronounce(self, word: str) -> bool:
        """Make sure the dictionary knows `word`: CMUdict, else its base + 's, else a spelling guess."""
        if self.decoder.lookup_word(word) is not None:
            return True
        base = self.decoder.lookup_word(word[:-2]) if word.endswith("'s") else None
        phones = f"{base} Z" if base else guess_phones(word)
        if phones:
            self.decoder.add_word(word, phones, update=True)
        return bool(phones)

    def hear(self, audio: np.ndarray, text: str) -> Heard:
        """16 kHz mono float audio → the expected words, what was heard (word, start_s, end_s) and the
        unscored words."""
        with self._lock:
            expected = normalize_words(text)
            unscored = {w for w in expected if not self.pronounce(w)}
            chain = [w for w in expected if w not in unscored]
            if not chain:
                return Heard(expected, [], unscored)
            slots = [sum(w not in unscored for w in expected[:k]) for k in cue_slots(text)]
            name = f"take{next(self._names)}"
            self.decoder.add_fsg(name, self._grammar(name, chain, slots))
            self.decoder.activate_search(name)
            pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()
            self.decoder.reinit_feat()  # else the noise estimate of the last take carries over into this one
            self.decoder.start_utt()
            self.decoder.process_raw(pcm, full_utt=True)
            self.decoder.end_utt()
            heard = merge_phones([(ALTERNATE.sub("", s.word), s.start_frame * FRAME_S, (s.end_frame + 1) * FRAME_S)
                                  for s in (self.decoder.seg() or []) if is_word(s.word)])
            self.decoder.remove_search(name)
            return Heard(expected, heard, unscored)

    def _grammar(self, name: str, chain: list[str], slots: list[int]):
        """The text's words as a chain of states 0..n, each word skippable at a cost; garbage phone
        loops at the start, the end and the place of every sound cue ([laughs] before word k: state k)."""
        n, skip, stop = len(chain), self.skip_probability, self.stop_probability
        arcs = [(i, i + 1, 1.0, word) for i, word in enumerate(chain)]
        arcs += [(i, i + 1, skip) for i in range(n)]
        # a late start or an early stop has one cost however many words it leaves out, so a
        # truncated take is heard as its first words and a wrong one as phones, not lost to the beam
        arcs += [(0, i, stop) for i in range(2, n + 1)] + [(i, n, stop) for i in range(1, n - 1)]
        loops = sorted({0, n} | {min(k, n) for k in slots})
        arcs += [(state, state, self.phone_probability, PHONE_WORD + p.lower()) for state in loops for p in PHONES]
        return self.decoder.create_fsg(name, 0, n, arcs)


def is_word(token: str) -> bool:
    """Drop pocketsphinx's silence, filler and null-arc tokens (<s>, <sil>, [NOISE], (NULL), …)."""
    return not token.startswith(("<", "[", "+", "(NULL)"))


def merge_phones(heard: list[tuple[str, float, float]]) -> list[tuple[str, float, float]]:
    """Consecutive garbage phones → one heard item "/ah v s/" spanning them."""
    merged: list[tuple[str, float, float]] = []
    for word, start, end in heard:
        if word.startswith(PHONE_WORD) and merged and merged[-1][0].startswith("/"):
            merged[-1] = (merged[-1][0][:-1] + " " + word[len(PHONE_WORD):] + "/", merged[-1][1], end)
        elif word.startswith(PHONE_WORD):
            merged.append(("/" + word[len(PHONE_WORD):] + "/", start, end))
        else:
            merged.append((word, start, end))
    return merged
