"""The extractor's fast paths find exactly what the plain regex scan or loop they replace
finds: on the sample corpus and on generated text made of the characters that matter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import knowledge
from pipeline.engine import figures, numbers, place, subject, text
from pipeline.engine.segment import paragraph_starts, sentence_bounds

K = knowledge.default()
MARKS = text.forms(K).sentence_marks
CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
SAMPLES = [text.analysis_text(K, p.read_text(encoding="utf-8"))[0] for p in sorted(CORPUS.glob("*.txt"))]
# digits, numerals, units, settlement suffixes, clause marks, full-width forms, letters; short,
# because the figure pattern itself backtracks exponentially over a long run of digits
SOUP = st.text(alphabet="0123456789.,，。、；\n 一二两三十百千万亿成年个名人元%村镇乡社区街道县有限公司"
                        "全省“”ＡＢ１２％　AZ余多以上左右第", max_size=16)
TEXTS = pytest.mark.parametrize("sample", SAMPLES)


def spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]


def check_figure_matches(t: str) -> None:
    g = figures.grammar(K)
    assert spans(figures._figure_matches(g, t)) == spans(g.figure.finditer(t))


def check_settlement_suffixes(t: str) -> None:
    words = place.place_words(K)
    suffixes = sorted(words.level_of_suffix, key=len, reverse=True)
    plain = re.compile(r"(?<=[\u4e00-\u9fff])(?:" + "|".join(map(re.escape, suffixes)) + ")")
    assert place._word_matches(words, t)[place.SETTLEMENT] == spans(plain.finditer(t))


def check_clause_bounds(t: str) -> None:
    pattern = subject.cues(K).clause_break
    for sentence in sentence_bounds(t, MARKS):
        for start in range(sentence[0], sentence[1]):
            lo, hi = sentence
            for brk in pattern.finditer(t, lo, start):
                lo = brk.end()
            after = pattern.search(t, start + 1, hi)
            assert subject.clause_bounds(K, t, sentence, start, start + 1) == (lo, after.start() if after else hi)


def check_sentence_bounds(t: str) -> None:
    bounds, start = [], 0
    for m in re.finditer(f"[{re.escape(MARKS)}\n]", t):
        bounds.append((start, m.end()))
        start = m.end()
    if start < len(t):
        bounds.append((start, len(t)))
    assert sentence_bounds(t, MARKS) == bounds


def check_paragraph_starts(t: str) -> None:
    assert paragraph_starts(t) == [0] + [m.end() for m in re.finditer(r"\n", t)]


@TEXTS
def test_fast_paths_on_the_sample_corpus(sample: str) -> None:
    check_figure_matches(sample)
    check_settlement_suffixes(sample)
    check_sentence_bounds(sample)
    check_paragraph_starts(sample)


@settings(max_examples=300, deadline=None)
@given(SOUP)
def test_fast_paths_on_generated_text(soup: str) -> None:
    check_figure_matches(soup)
    check_settlement_suffixes(soup)
    check_sentence_bounds(soup)
    check_paragraph_starts(soup)
    check_clause_bounds(soup)
    forms = text.forms(K)
    half = forms.half_width
    assert forms.full_width_run.sub(lambda m: m.group().translate(half), soup) == soup.translate(half)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,", min_size=1, max_size=12))
def test_arabic_numbers_read_as_the_general_parser_reads_them(digits: str) -> None:
    assert numbers.parse_number(K, digits) == numbers._section(numbers.numerals(K), digits)
