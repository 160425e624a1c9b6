"""Chinese numbers, which num2words does not speak: a year before 年 digit by digit (二〇二三年), any other whole
number as Chinese counts it (13 十三, 205 二百零五, 10,000 一万), a number too long for that digit by digit."""

from __future__ import annotations

import re

DIGITS = "〇一二三四五六七八九"
UNITS = ("", "十", "百", "千")
GROUPS = ("", "万", "亿", "万亿")  # 10^0, 10^4, 10^8, 10^12
YEAR = re.compile(r"(\d{4})(?=\s*年)")
NUMBER = re.compile(r"\d+")


def spell_digits(run: str) -> str:
    return "".join(DIGITS[int(d)] for d in run)


def spell_group(n: int) -> str:
    """0 < n < 10,000: 205 '二百零五', 1010 '一千零一十'."""
    words, zero = [], False
    for power in range(3, -1, -1):
        digit = n // 10**power % 10
        if digit:
            if zero and words:
                words.append("零")
            words.append(DIGITS[digit] + UNITS[power])
            zero = False
        else:
            zero = True
    return "".join(words)


def spell_number(n: int) -> str:
    """A whole number as Chinese counts it (below 10^16); 10 to 19 without the leading 一 ('十三')."""
    if n == 0:
        return "零"
    groups = [n // 10**(4 * i) % 10**4 for i in range(len(GROUPS))]
    words, zero = [], False
    for i in range(len(GROUPS) - 1, -1, -1):
        if groups[i]:
            if zero and words or (words and groups[i] < 1000):
                words.append("零")
            words.append(spell_group(groups[i]) + GROUPS[i])
            zero = False
        elif words:
            zero = True
    text = "".join(words).replace("零零", "零")
    return text[1:] if text.startswith("一十") else text


def chinese_numbers(text: str) -> str:
    """Years before 年 digit by digit, other numbers counted; nothing else touched."""
    text = YEAR.sub(lambda m: spell_digits(m.group(1)), text)
    return NUMBER.sub(lambda m: spell_number(int(m.group(0))) if len(m.group(0)) <= 16 else spell_digits(m.group(0)),
                      text)
