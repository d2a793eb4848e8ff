"""OpenCC is skipped on a text that holds none of the keys t2s rewrites: the list of keys
must be the installed OpenCC's, and skipping must never change a text's analysis."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import normalize

ROOT = Path(__file__).resolve().parent.parent
KEYS = json.loads((ROOT / "data" / "opencc_t2s.json").read_text(encoding="utf-8"))
PHRASES = [k for ks in KEYS["phrases"].values() for k in ks]
# characters of simplified reports, the characters phrases are filed under, phrases and
# characters t2s rewrites (some beyond the BMP)
PIECES = st.one_of(
    st.sampled_from(list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也"
                         "能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高打土拉毛布")),
    st.sampled_from(sorted(KEYS["phrases"])),
    st.sampled_from(PHRASES),
    st.sampled_from(KEYS["chars"][::50]),
    st.sampled_from([c for c in KEYS["chars"] if c > "\uffff"][:20]),
)


def test_the_keys_are_those_of_the_installed_opencc() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "opencc_keys.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_a_text_judged_unchanged_is_one_opencc_leaves_unchanged(text: str) -> None:
    assert normalize._may_change(text) or normalize._converter().convert(text) == text


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "corpus").glob("*.txt")), ids=lambda p: p.name)
def test_on_the_sample_corpus(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert normalize._may_change(text) or normalize._converter().convert(text) == text


def test_a_rewritten_phrase_of_unchanged_characters_is_seen() -> None:
    phrase = KEYS["phrases"]["覆"][0]
    assert all(ch not in KEYS["chars"] for ch in phrase)
    assert normalize._may_change(f"全覆盖。{phrase}。")
    assert not normalize._may_change("全覆盖。")
