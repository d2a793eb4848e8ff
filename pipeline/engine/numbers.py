"""Parse the number part of a figure: 21.78万, 1,234.5, 两千三百万, 9514万8千, 3.5万亿.

Written by hand because cn2an (the library of the field) raises on forms that reports
use every day (3.5万亿, mixed 9514万8千 in traditional text) and is slow per call; this
parser accepts any mix of Arabic digits and Chinese numerals and never raises. The
numerals and multipliers are data/lexicon/numbers.yaml's.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.knowledge import Knowledge, derived

ARABIC = "0123456789.,"
FULL_WIDTH_COMMA = "\uff0c"


@dataclass(frozen=True)
class Numerals:
    digits: dict[str, int]
    small: dict[str, int]               # multipliers inside a section (十, 百, 千)
    big: dict[str, int]                 # section multipliers (万, 亿)
    big_largest_first: list[tuple[str, int]]
    multiplier_chars: str               # the section multipliers as one string
    numeral_chars: str                  # every character that can be part of a written number, besides ASCII digits


@derived
def numerals(k: Knowledge) -> Numerals:
    data = k.words("numbers")
    digits, small, big = dict(data["digits"]), dict(data["small_units"]), dict(data["big_units"])
    return Numerals(digits=digits, small=small, big=big,
                    big_largest_first=sorted(big.items(), key=lambda kv: -kv[1]),
                    multiplier_chars="".join(sorted(big)),
                    numeral_chars="".join(sorted(set(digits) | set(small) | set(big))))


def _section(n: Numerals, text: str) -> float | None:
    """Value of a run below the section multipliers: 三千零五, 三千五, 1.2千, 十九, 305, 8千."""
    digits, small = n.digits, n.small
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
                    return None  # two digits in a row (两三个, 五六名): a range, not a number
                current = digits[ch]
            else:
                current = digits[ch]
        elif ch in small:
            total += (1 if current is None else current) * small[ch]
            current = None
        else:
            return None
        i += 1
    if current is not None and len(text) >= 2 and text[-2] in small and (text[-1] in digits or text[-1].isdigit()):
        current *= small[text[-2]] / 10  # 三千五 = 3500, 千二 = 1200: a last digit counts the unit below
    return total + (current or 0)


def parse_number(k: Knowledge, text: str) -> float | None:
    """The value of a written number, or None when it is not one. Never raises."""
    if not text:
        return None
    if not text.strip(ARABIC) and text[0] != ",":
        # Arabic digits only (most figures): what _section would compute, without its loop
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None
    n = numerals(k)
    big = n.big
    text = text.replace(FULL_WIDTH_COMMA, ",")
    total = 0.0
    rest = text
    # split at the largest multipliers first: 3.5万亿 = 3.5 × 万 × 亿
    for unit_char, factor in n.big_largest_first:
        if unit_char not in rest:
            continue
        head, _, tail = rest.rpartition(unit_char)
        # consecutive multipliers (万亿) multiply
        mult = factor
        while head and head[-1] in big:
            mult *= big[head[-1]]
            head = head[:-1]
        value = _section_or_big(k, n, head) if head else 1.0
        if value is None:
            return None
        total += value * mult
        rest = tail
    if rest:
        value = _section(n, rest)
        if value is None:
            return None
        # a trailing bare digit after a 万 section scales down: 1万5 = 15000
        if total and rest.isdigit() and len(rest) == 1 and text[-2:-1] in big:
            last_factor = big[text[-2]]
            value *= last_factor / 10
        total += value
    return total


def _section_or_big(k: Knowledge, n: Numerals, text: str) -> float | None:
    return parse_number(k, text) if any(c in n.big for c in text) else _section(n, text)
