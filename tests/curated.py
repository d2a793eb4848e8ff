"""The sample reports built with two analysts' corrections, through the command line: 河北's
520.49万名 party members corrected to 521万, its 21.78万个 party organisations rejected (both
in one sentence of one report). Shared by test_curation.py and the browser test of curation."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipeline import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = sorted((ROOT / "data" / "corpus").glob("*.txt"))
REPORT = "000_6e8a4dd470d8964e"        # holds both figures
OTHER = "001_effde1a65b477c46"         # a report no correction touches
CORRECTED_TEXT, CORRECTED_VALUE = "520.49万名", 5210000.0
REJECTED_TEXT = "21.78万个"
SENTENCE = "当前,全省有基层党组织21.78万个,党员520.49万名。"


def corpus(folder: Path) -> Path:
    """A writable copy of the sample reports in `folder`/corpus (corrections.jsonl goes beside it)."""
    dst = folder / "corpus"
    dst.mkdir(parents=True)
    for p in SAMPLE:
        shutil.copyfile(p, dst / p.name)
    return dst


def build(corpus: Path, db: Path) -> int:
    return cli.main(["build", "--corpus", str(corpus), "--db", str(db), "--quiet", "--workers", "1"])


def figure_id(db: Path, text: str, doc: str = REPORT) -> str:
    """The id the extractor gives the figure written `text` in `doc` now."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT figure_id FROM figures WHERE doc = ? AND text = ?", [doc, text]).fetchall()[0][0]
    finally:
        con.close()


def correct_two(db: Path) -> tuple[str, str]:
    """Correct one figure's value and reject another, as an analyst would; their ids."""
    corrected, rejected = figure_id(db, CORRECTED_TEXT), figure_id(db, REJECTED_TEXT)
    assert cli.main(["correct", corrected, "--value", "521e4", "--metric", "party_members", "--reason",
                     "the 2023 communiqué says 521万", "--author", "li", "--db", str(db)]) == cli.EXIT_OK
    assert cli.main(["correct", rejected, "--reject", "--reason", "organisations of the whole party, not 河北's",
                     "--author", "wang", "--db", str(db)]) == cli.EXIT_OK
    return corrected, rejected


def move_the_sentence(corpus: Path) -> None:
    """Edit the corrected sentence's report: a sentence written before it moves its figures' spans."""
    path = corpus / f"{REPORT}.txt"
    text = path.read_text(encoding="utf-8")
    at = text.index(SENTENCE)
    path.unlink()
    path.write_text(text[:at] + "据统计。" + text[at:], encoding="utf-8")
