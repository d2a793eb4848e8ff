"""Text shown to a person (warnings, error lines, `status`): file names and document strings
come from outside, so control characters in them are escaped, never sent to the terminal."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the format characters that reorder or hide text (bidi
# overrides, zero-width marks); \t is kept out too, since a tab in a name aligns nothing
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def printable(text: str) -> str:
    """`text` with each control character written as its escape (\\n, \\x1b, \\u202e): a file
    name with a newline cannot forge a line, an escape code cannot reach the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
