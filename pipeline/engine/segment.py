"""Sentences and paragraphs of a text, as offset ranges (cut once per document, read by
every decision so that all cut the text the same way)."""

from __future__ import annotations

import bisect
import itertools


def sentence_bounds(text: str, marks: str) -> list[tuple[int, int]]:
    """Start and end of each sentence: it ends at one of `marks` or at a line break."""
    # mark by mark with str.split, which scans in C several times faster than `re`
    # tests a character class at every character
    ends: list[int] = []
    for mark in marks + "\n":
        if mark in text:
            ends.extend(itertools.accumulate(len(piece) + 1 for piece in text.split(mark)[:-1]))
    ends.sort()
    if (ends[-1] if ends else 0) < len(text):
        ends.append(len(text))  # the last sentence may lack its end mark
    return list(itertools.pairwise([0, *ends]))


def paragraph_starts(text: str) -> list[int]:
    """Offsets where paragraphs (lines) begin."""
    return list(itertools.accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))


def containing(starts: list[int], offset: int) -> int:
    """Index of the range (given by sorted start offsets) that holds `offset`."""
    return bisect.bisect_right(starts, offset) - 1


CJK_RANGE = "\u4e00-\u9fff"  # the CJK Unified Ideographs block, for a regex character class


def is_cjk(ch: str) -> bool:
    """Is `ch` a Chinese character (the CJK Unified Ideographs block)?"""
    return "\u4e00" <= ch <= "\u9fff"
