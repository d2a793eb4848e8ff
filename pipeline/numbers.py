"""Parse the number part of a figure: 21.78万, 1,234.5, 两千三百万, 9514万8千, 3.5万亿.

Written by hand because cn2an (the library of the field) raises on forms that reports
use every day (3.5万亿, mixed 9514万8千 in traditional text) and is slow per call; this
parser accepts any mix of Arabic digits and Chinese numerals and never raises.
"""

from __future__ import annotations

from functools import cache

from pipeline import lexicon

ARABIC = "0123456789.,"


@cache
def _tables() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    data = lexicon.load("numbers")
    big = dict(data["big_units"])
    big.update({"萬": big["万"], "億": big["亿"]})
    digits = dict(data["digits"])
    digits.update({"兩": 2})
    return digits, dict(data["small_units"]), big


@cache
def _big_largest_first() -> list[tuple[str, int]]:
    return sorted(_tables()[2].items(), key=lambda kv: -kv[1])


def multiplier_chars() -> str:
    """The section multipliers (万, 亿 and their traditional forms)."""
    return "".join(sorted(_tables()[2]))


def numeral_chars() -> str:
    """Every character that can be part of a written number (besides ASCII digits)."""
    digits, small, big = _tables()
    return "".join(sorted(set(digits) | set(small) | set(big)))


def _section(text: str) -> float | None:
    """Value of a run below 万: 三千零五, 1.2千, 十九, 305, 8千."""
    digits, small, _ = _tables()
    total, current, i = 0.0, None, 0
    while i < len(text):
        ch = text[i]
        if ch.isdigit() or ch == ".":
            j = i
            while j < len(text) and (text[j].isdigit() or text[j] in ".,"):
                j += 1
            try:
                current = float(text[i:j].replace(",", ""))
            except ValueError:
                return None
            i = j
            continue
        if ch in digits:
            if i and text[i - 1] in digits:
                if digits[text[i - 1]] != 0:
                    return None  # 两三个, 五六名: a range, not a number
                current = digits[ch]
            else:
                current = digits[ch]
        elif ch in small:
            total += (1 if current is None else current) * small[ch]
            current = None
        else:
            return None
        i += 1
    return total + (current or 0)


def parse_number(text: str) -> float | None:
    """The value of a written number, or None when it is not one. Never raises."""
    if not text:
        return None
    if not text.strip(ARABIC) and text[0] != ",":
        # Arabic digits only (most figures): what _section would compute, without its loop
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None
    _, _, big = _tables()
    text = text.replace("，", ",")
    total = 0.0
    rest = text
    # split at the largest multipliers first: 3.5万亿 = 3.5 × 万 × 亿
    for unit_char, factor in _big_largest_first():
        if unit_char not in rest:
            continue
        head, _, tail = rest.rpartition(unit_char)
        # consecutive multipliers (万亿) multiply
        mult = factor
        while head and head[-1] in big:
            mult *= big[head[-1]]
            head = head[:-1]
        value = _section_or_big(head) if head else 1.0
        if value is None:
            return None
        total += value * mult
        rest = tail
    if rest:
        value = _section(rest)
        if value is None:
            return None
        # a trailing bare digit after a 万 section scales down: 1万5 = 15000
        if total and rest.isdigit() and len(rest) == 1 and text[-2:-1] in big:
            last_factor = big[text[-2]]
            value *= last_factor / 10
        total += value
    return total


def _section_or_big(text: str) -> float | None:
    _, _, big = _tables()
    return parse_number(text) if any(c in big for c in text) else _section(text)
