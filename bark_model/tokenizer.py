"""Bark's text tokenizer: cased multilingual WordPiece (`bert-base-multilingual-cased` vocab.txt)."""

from __future__ import annotations

from pathlib import Path

from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

from .errors import CheckpointError


class TextTokenizer:
    """Encodes text to WordPiece ids without special tokens, as the reference's BertTokenizer does."""

    def __init__(self, tokenizer: Tokenizer):
        self._tokenizer = tokenizer

    @classmethod
    def from_vocab(cls, path: Path | str) -> TextTokenizer:
        try:
            wordpiece = models.WordPiece.from_file(str(path), unk_token="[UNK]", max_input_chars_per_word=100)
        except Exception as err:  # tokenizers raises a bare Exception on unreadable files
            raise CheckpointError(f"{path}: not a WordPiece vocab.txt ({err})") from None
        tokenizer = Tokenizer(wordpiece)
        tokenizer.normalizer = normalizers.BertNormalizer(
            clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=False
        )
        tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        return cls(tokenizer)

    def encode(self, text: str) -> list[int]:
        return self._tokenizer.encode(text, add_special_tokens=False).ids
