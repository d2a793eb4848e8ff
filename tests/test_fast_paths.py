"""The extractor's fast paths find exactly what the plain regex scan or loop they replace
finds: on the sample corpus and on generated text made of the characters that matter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import extract, numbers, resolve, subjects
from pipeline.normalize import FULL_WIDTH_RUN, HALF_WIDTH, analysis_text
from pipeline.segment import paragraph_starts, sentence_bounds

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
SAMPLES = [analysis_text(p.read_text(encoding="utf-8"))[0] for p in sorted(CORPUS.glob("*.txt"))]
# digits, numerals, units, settlement suffixes, clause marks, full-width forms, letters; short,
# because the figure pattern itself backtracks exponentially over a long run of digits
SOUP = st.text(alphabet="0123456789.,，。、；\n 一二两三十百千万亿成年个名人元%村镇乡社区街道县有限公司"
                        "全省“”ＡＢ１２％　AZ余多以上左右第", max_size=16)
TEXTS = pytest.mark.parametrize("text", SAMPLES)


def spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]


def check_figure_matches(text: str) -> None:
    g = extract.grammar()
    assert spans(extract._figure_matches(g, text)) == spans(g.figure.finditer(text))


def check_settlement_suffixes(text: str) -> None:
    suffixes = sorted(resolve.place_words().level_of_suffix, key=len, reverse=True)
    plain = re.compile(r"(?<=[\u4e00-\u9fff])(?:" + "|".join(map(re.escape, suffixes)) + ")")
    assert resolve._word_matches(text)[resolve.SETTLEMENT] == spans(plain.finditer(text))


def check_clause_bounds(text: str) -> None:
    pattern = subjects.cues().clause_break
    for sentence in sentence_bounds(text):
        for start in range(sentence[0], sentence[1]):
            lo, hi = sentence
            for brk in pattern.finditer(text, lo, start):
                lo = brk.end()
            after = pattern.search(text, start + 1, hi)
            assert subjects.clause_bounds(text, sentence, start, start + 1) == (lo, after.start() if after else hi)


def check_sentence_bounds(text: str) -> None:
    bounds, start = [], 0
    for m in re.finditer(r"[。！？!?；;\n]", text):
        bounds.append((start, m.end()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    assert sentence_bounds(text) == bounds


def check_paragraph_starts(text: str) -> None:
    assert paragraph_starts(text) == [0] + [m.end() for m in re.finditer(r"\n", text)]


@TEXTS
def test_fast_paths_on_the_sample_corpus(text: str) -> None:
    check_figure_matches(text)
    check_settlement_suffixes(text)
    check_sentence_bounds(text)
    check_paragraph_starts(text)


@settings(max_examples=300, deadline=None)
@given(SOUP)
def test_fast_paths_on_generated_text(text: str) -> None:
    check_figure_matches(text)
    check_settlement_suffixes(text)
    check_sentence_bounds(text)
    check_paragraph_starts(text)
    check_clause_bounds(text)
    assert FULL_WIDTH_RUN.sub(lambda m: m.group().translate(HALF_WIDTH), text) == text.translate(HALF_WIDTH)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,", min_size=1, max_size=12))
def test_arabic_numbers_read_as_the_general_parser_reads_them(text: str) -> None:
    assert numbers.parse_number(text) == numbers._section(text)
