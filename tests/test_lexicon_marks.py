"""Marks declared beside a pattern in data/lexicon (a paragraph without any is not searched)
must be in every match of that pattern."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import lexicon

PERIODS = lexicon.load("periods")
PARTIAL_YEAR = re.compile(PERIODS["partial_year"])
MARKS = PERIODS["partial_year_marks"]
# every character the pattern names, digits and white space: text where it often matches
ALPHABET = sorted(set(re.sub(r"\\[a-zA-Z]|[\\\[\]()?:|!<*+{},^$-]", "", PERIODS["partial_year"])) | set("0123456789 "))


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=12))
def test_every_partial_year_match_holds_a_mark(text: str) -> None:
    for m in PARTIAL_YEAR.finditer(text):
        assert any(mark in m.group() for mark in MARKS), m.group()


def test_the_marks_are_not_vacuous() -> None:
    assert PARTIAL_YEAR.search("截至5月底") and PARTIAL_YEAR.search("上半年") and PARTIAL_YEAR.search("前三季度")
    assert not PARTIAL_YEAR.search("全年共发展党员")
