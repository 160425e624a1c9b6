"""Bark's text tokenizer: cased multilingual WordPiece (`bert-base-multilingual-cased` vocab.txt).

The reference uses transformers' BertTokenizer; the same pipeline built directly on `tokenizers`
gives the same ids without pulling in transformers.
"""

from __future__ import annotations

from pathlib import Path

from tokenizers import AddedToken, Tokenizer, models, normalizers, pre_tokenizers

from .errors import CheckpointError

UNK = "[UNK]"
SPECIAL_TOKENS = ("[PAD]", UNK, "[CLS]", "[SEP]", "[MASK]")  # BertTokenizer's; written in a text they are kept whole


class TextTokenizer:
    """Encodes text to WordPiece ids without special tokens, as the reference's BertTokenizer does."""

    def __init__(self, tokenizer: Tokenizer):
        self._tokenizer = tokenizer

    @classmethod
    def from_vocab(cls, path: Path | str) -> TextTokenizer:
        """BERT's pipeline on a vocab.txt: clean text, split CJK characters, keep case and accents,
        split on whitespace and punctuation, then greedy longest-match WordPiece (words over 100
        characters become [UNK]); "[CLS]" and the other special tokens written in a text are one id."""
        try:
            wordpiece = models.WordPiece.from_file(str(path), unk_token=UNK, max_input_chars_per_word=100)
        except Exception as err:  # tokenizers raises a bare Exception for unreadable files
            raise CheckpointError(f"{path}: unreadable vocab.txt ({err})") from None
        tokenizer = Tokenizer(wordpiece)
        if tokenizer.token_to_id(UNK) is None:
            raise CheckpointError(f"{path}: not a WordPiece vocab.txt (no {UNK} entry)")
        tokenizer.normalizer = normalizers.BertNormalizer(
            clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=False
        )
        tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        tokenizer.add_special_tokens([AddedToken(t, normalized=False, special=True)
                                      for t in SPECIAL_TOKENS if tokenizer.token_to_id(t) is not None])
        return cls(tokenizer)

    @property
    def vocab_size(self) -> int:
        """One more than the largest id: the embedding rows the ids need."""
        return max(self._tokenizer.get_vocab().values()) + 1

    def encode(self, text: str) -> list[int]:
        """WordPiece ids of `text`, no [CLS]/[SEP]."""
        return self._tokenizer.encode(text, add_special_tokens=False).ids
