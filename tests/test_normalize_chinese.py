"""Chinese numbers, which num2words does not speak: counted as Chinese counts them, years digit by digit."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.text.normalize import leftovers, normalize_for_speech
from tasks.text.normalize.chinese import spell_number


@pytest.mark.parametrize("n, spoken", [(0, "零"), (10, "十"), (13, "十三"), (105, "一百零五"), (1010, "一千零一十"),
                                       (10001, "一万零一"), (10500, "一万零五百"), (123456789, "一亿二千三百四十五万六千七百八十九")])
def test_whole_numbers_are_counted_in_chinese(n, spoken):
    assert spell_number(n) == spoken


def test_a_year_is_read_digit_by_digit_and_no_digit_is_left():
    spoken = normalize_for_speech("第13回 他生于1791年，共10500人。", "zh")
    assert spoken == "第十三回 他生于一七九一年，共一万零五百人。"
    assert leftovers(spoken, "zh") == []


CHINESE_VALUES = {c: v for v, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def value_of(spoken: str) -> int:
    """Read a Chinese count back (the test's own reader): 万/亿 groups of 十/百/千 units."""
    total, group, digit = 0, 0, 0
    for c in spoken:
        if c in CHINESE_VALUES:
            digit = CHINESE_VALUES[c]
        elif c in "十百千":
            group += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[c]
            digit = 0
        elif c in "万亿":
            total += (group + digit) * {"万": 10**4, "亿": 10**8}[c]
            group, digit = 0, 0
    return total + group + digit


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.integers(0, 10**8 - 1))
def test_every_count_reads_back_as_its_number(n):
    assert value_of(spell_number(n)) == n
