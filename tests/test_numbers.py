"""The number parser: written forms from real reports, and properties over any input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import knowledge
from pipeline.engine import numbers

K = knowledge.default()


def parse_number(text: str) -> float | None:
    return numbers.parse_number(K, text)

CASES = [
    ("21.78万", 217800), ("520.49万", 5204900), ("1,234.5", 1234.5), ("10539", 10539),
    ("两千三百万", 23000000), ("一百零五", 105), ("十九", 19), ("三千", 3000), ("两万", 20000),
    ("1.2亿", 120000000), ("9514萬8千", 95148000), ("3.5万亿", 3.5e12), ("12万3千", 123000),
    ("1万5", 15000), ("0.695", 0.695), ("三十五万", 350000), ("一千零一十", 1010), ("86.6億", 8.66e9),
    ("二十一", 21), ("1.97万", 19700), ("100", 100),
]


@pytest.mark.parametrize(("text", "value"), CASES)
def test_written_numbers(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("text", ["", "abc", ".", "1..2", "两三", "五六", "万x"])
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


@given(st.text())
def test_never_raises_on_any_string(text: str) -> None:
    value = parse_number(text)
    assert value is None or isinstance(value, float)


@given(st.text(alphabet="0123456789.,万亿千百十一二三四五六七八九零两萬億", max_size=12))
def test_never_raises_on_numeral_soup(text: str) -> None:
    parse_number(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@given(st.integers(min_value=1, max_value=99999), st.sampled_from([("万", 10**4), ("亿", 10**8)]))
def test_multiplier_round_trip(n: int, mult: tuple[str, int]) -> None:
    word, factor = mult
    assert parse_number(f"{n / 100}{word}") == pytest.approx(n / 100 * factor)


DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Write 1 ≤ n < 10^8 the way reports do (一千零五, 三万二千)."""
    def below_10k(k: int) -> str:
        out, zero = "", False
        for value, word in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = k // value % 10
            if d:
                if zero and out:
                    out += "零"
                out += DIGITS[d] + word
                zero = False
            else:
                zero = True
        return out
    high, low = divmod(n, 10000)
    if not high:
        return below_10k(low)
    return below_10k(high) + "万" + ("零" if 0 < low < 1000 else "") + below_10k(low)


@given(st.integers(min_value=1, max_value=10**8 - 1))
def test_chinese_round_trip(n: int) -> None:
    assert parse_number(to_chinese(n)) == n


def test_numeral_chars_cover_traditional_multipliers() -> None:
    assert {"萬", "億", "两"} <= set(numbers.numerals(K).numeral_chars)
