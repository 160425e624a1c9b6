"""The text tokenizer gives the ids the reference's BertTokenizer gives, without special tokens."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from transformers import BertTokenizer
from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

from bark_model.errors import CheckpointError
from bark_model.random_tiny import tiny_vocab
from bark_model.tokenizer import TextTokenizer

TEXTS = [
    "Hello world, this is a test.",
    "Café déjà vu, naïve señor — ¿qué tal? Müller's Œuvre",
    "你好，世界。我们走吧！",
    "こんにちは、カタカナ。 안녕하세요 세계",
    "Привет, мир! Γειά σου κόσμε",
    "[laughs] well ♪ la la ♪ [clears throat] [MAN] hm...",
    "Mr. Smith paid $3.50 at 10:30 a.m.! 1,000,000 (approx.) 3.14159",
    "unbelievably-long-hyphenated words/with slashes & ampersands",
    "emoji 🙂👍🏽 and tabs\tand\nnewlines\r\n and  double  spaces",
    "ALL CAPS SHOUTING, MiXeD cAsE",
    "x" * 100,
    "x" * 101,
    "zero\u200bwidth soft\u00adhyphen control\x07char nbsp\u00a0here",
    "special tokens as text: [UNK] a[CLS]b [MASK] [SEP] [PAD] but not [cls] or [unused1]",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def vocab_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("vocab") / "vocab.txt"
    path.write_text("\n".join(tiny_vocab()) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ours(vocab_file):
    return TextTokenizer.from_vocab(vocab_file)


@pytest.fixture(scope="module")
def bert(vocab_file):
    """What the reference calls here (transformers 5: BertTokenizer on the Rust `tokenizers`)."""
    return BertTokenizer(str(vocab_file), do_lower_case=False)


@pytest.fixture(scope="module")
def slow_bert(vocab_file):
    """What the reference called when Bark was published (transformers 4's pure-Python BertTokenizer)."""
    return BertTokenizerLegacy(str(vocab_file), do_lower_case=False)


@pytest.mark.parametrize("text", TEXTS)
def test_ids_equal_the_references_bert_tokenizer(ours, bert, text):
    assert ours.encode(text) == bert.encode(text, add_special_tokens=False)


@pytest.mark.parametrize("text", TEXTS)
def test_ids_equal_the_slow_bert_tokenizer_bark_was_published_with(ours, slow_bert, text):
    assert ours.encode(text) == slow_bert.encode(text, add_special_tokens=False)


RANDOM_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.lists(
    st.sampled_from(["[UNK]", "[CLS]", "[MASK]", "the", "é", "你", " ", "##", "[", "]", "!"]), max_size=8).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(RANDOM_TEXT)
def test_random_unicode_text_gets_the_references_ids(ours, bert, text):
    assert ours.encode(text) == bert.encode(text, add_special_tokens=False)


def _stable(char: str) -> bool:
    """Assigned, with the same category, in Unicode 3.2 and in Python's tables (14.0 on 3.11)."""
    return unicodedata.category(char) not in ("Cn", "Cs") and unicodedata.ucd_3_2_0.category(char) == unicodedata.category(char)


NFC_TEXT = st.text(alphabet=st.characters(max_codepoint=0xFFFF).filter(_stable), max_size=40).map(
    lambda text: unicodedata.normalize("NFC", text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(NFC_TEXT)
def test_random_nfc_text_gets_the_slow_tokenizers_ids(ours, slow_bert, text):
    """The slow tokenizer NFC-normalizes first and classifies characters with Python's Unicode tables;
    the `tokenizers` pipeline (and today's reference) does neither and has older tables. On NFC text
    of characters both tables agree on, what manuscripts hold once normalized, the two agree.
    (Basic Multilingual Plane only: for CJK Extension B-F the slow tokenizer's "is Chinese" ranges
    differ too. Characters added after Unicode 3.2 are pinned in the test below.)"""
    assert ours.encode(text) == slow_bert.encode(text, add_special_tokens=False)


def test_every_stable_bmp_character_gets_the_slow_tokenizers_ids(ours, slow_bert):
    """Exhaustive over the alphabet above, each character between a letter and a digit."""
    texts = [unicodedata.normalize("NFC", f"a{chr(code)}0") for code in range(0x10000) if _stable(chr(code))]
    assert len(texts) > 50_000
    differing = [text for text in texts if ours.encode(text) != slow_bert.encode(text, add_special_tokens=False)]
    assert differing == []


def test_characters_newer_than_the_rust_tables_follow_todays_reference(ours, bert, slow_bert):
    """U+061D (Unicode 14) is punctuation to the slow tokenizer but unknown to `tokenizers`: we
    follow today's reference, so the digit before it is not split off."""
    text = "0\u061d"
    assert ours.encode(text) == bert.encode(text, add_special_tokens=False) == [100]
    assert slow_bert.encode(text, add_special_tokens=False) != ours.encode(text)


def test_text_is_not_nfc_normalized_like_todays_reference(ours, bert):
    decomposed = "Cafe\u0301"
    assert ours.encode(decomposed) == bert.encode(decomposed, add_special_tokens=False)
    assert ours.encode(decomposed) != ours.encode(unicodedata.normalize("NFC", decomposed))


def test_no_special_tokens_are_added(ours):
    assert ours.encode("") == []
    assert 101 not in ours.encode("the") and 102 not in ours.encode("the")


def test_case_and_accents_are_kept(ours):
    assert len({tuple(ours.encode(w)) for w in ("the", "The", "THE", "thé")}) == 4


def test_unknown_characters_and_over_long_words_become_unk(ours):
    assert ours.encode("\U0001d11e") == [100]  # 𝄞 is in no script of the vocab
    assert ours.encode("a" * 101) == [100]
    assert 100 not in ours.encode("a" * 100)


def test_vocab_size_counts_every_id(ours):
    assert ours.vocab_size == len(tiny_vocab())


def test_a_missing_vocab_file_is_named(tmp_path):
    with pytest.raises(CheckpointError, match=r"vocab\.txt"):
        TextTokenizer.from_vocab(tmp_path / "vocab.txt")


def test_a_vocab_without_unk_is_refused(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("[PAD]\nhello\n", encoding="utf-8")
    with pytest.raises(CheckpointError, match=r"vocab\.txt: not a WordPiece vocab.txt \(no \[UNK\]"):
        TextTokenizer.from_vocab(path)
