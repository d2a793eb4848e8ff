"""Ingest of text files, article exports and metadata: encodings, offsets, rejects with
their reasons, sidecars and manifests, and a build over a folder of good and bad files."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import duckdb
import pytest

from pipeline.build import build
from pipeline.ingest import Rejected, content_id, ingest_file, iso_date, read_metadata

SIMPLIFIED = ("河北频道 > 全景河北\n筑牢坚强堡垒 夯实执政根基\n来源: 河北日报\n2023-05-27 08:52\n"
              "截至2022年底，全省共有基层党组织21.78万个，党员四百余万名。\n"
              "2022年，全省培训村党组织书记4720人次，村集体收入100多万元。\n")
TRADITIONAL = ("臺灣新聞 2021年6月5日\n截至2021年6月，全縣共有基層黨組織3.8萬餘個，"
               "黨員人數超過二十萬名。縣政府投入資金86.6億元，幫助村民發展產業。\n")


def rejected(name: str, data: bytes, **kw) -> str:
    with pytest.raises(Rejected) as e:
        ingest_file(name, data, **kw)
    return str(e.value)


# ---- text files -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "encoding"), [
    (SIMPLIFIED, "gb18030"), (SIMPLIFIED, "gbk"), (TRADITIONAL, "big5"), (SIMPLIFIED, "utf-8"),
])
def test_text_encodings_are_detected(text: str, encoding: str) -> None:
    [doc] = ingest_file("report.txt", text.encode(encoding))
    assert doc.text == text
    assert doc.doc == "report"
    assert doc.doc_id == content_id(text)
    assert doc.chars == len(text)
    assert doc.bytes == len(text.encode(encoding))


@pytest.mark.parametrize("bom_codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(bom_codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if bom_codec.endswith("le") else codecs.BOM_UTF16_BE
    [doc] = ingest_file("report.txt", bom + TRADITIONAL.encode(bom_codec))
    assert doc.text == TRADITIONAL


def test_bom_dropped_and_crlf_kept_so_offsets_hold() -> None:
    text = SIMPLIFIED.replace("\n", "\r\n")
    [doc] = ingest_file("report.md", codecs.BOM_UTF8 + text.encode("utf-8"))
    assert doc.text == text  # CRLF as in the file, BOM gone
    start = text.index("21.78万个")
    assert doc.text[start:start + 7] == "21.78万个"
    assert doc.encoding == "utf-8-sig"


def test_utf8_with_a_character_cut_off_is_kept() -> None:
    text = (SIMPLIFIED * 10).rstrip("\n")
    [doc] = ingest_file("cut.txt", text.encode("utf-8")[:-1])  # the last 。 is three bytes
    assert doc.text == text[:-1] + "\ufffd"
    assert doc.encoding == "utf-8 (last character cut off)"


def test_same_content_under_two_names_is_one_document() -> None:
    [a] = ingest_file("a.txt", SIMPLIFIED.encode("utf-8"))
    [b] = ingest_file("b.txt", SIMPLIFIED.encode("gb18030"))
    assert a.doc_id == b.doc_id
    assert a.doc != b.doc


@pytest.mark.parametrize(("name", "data", "category"), [
    ("empty.txt", b"", "empty:"),
    ("blank.txt", b" \r\n\t\n", "empty:"),
    ("nul.txt", b"PK\x03\x04\x00\x00binary\x00data" * 20, "binary:"),
    ("late-nul.txt", SIMPLIFIED.encode("utf-8") * 200 + b"\x00", "binary:"),
    ("controls.txt", bytes(range(1, 9)) * 200, "binary:"),
    ("bad-bom.txt", codecs.BOM_UTF16_LE + b"\x00\xd8", "undecodable:"),
    ("table.xlsx", b"PK\x03\x04 spreadsheet", "unsupported format:"),
    ("README", b"no extension", "unsupported format:"),
])
def test_bad_input_is_rejected_with_its_reason(name: str, data: bytes, category: str) -> None:
    reason = rejected(name, data)
    assert reason.startswith(category), reason
    assert "\n" not in reason


def test_size_limit_is_configurable() -> None:
    data = SIMPLIFIED.encode("utf-8")
    assert rejected("big.txt", data, max_bytes=100).startswith("too large:")
    assert ingest_file("big.txt", data, max_bytes=len(data))


# ---- dates and metadata -----------------------------------------------------------------

@pytest.mark.parametrize(("value", "iso"), [
    ("2023-05-27 08:52:50", "2023-05-27"), ("2023/5/1", "2023-05-01"), ("2023年5月1日", "2023-05-01"),
    ("20230501", "2023-05-01"), ("2023-05", "2023-05"), ("2023年5月", "2023-05"), (2023, "2023"),
    ("2023-02-30", None), ("2023-13", None), ("昨天", None), ("", None),
    ("Mon, 04 Apr 2022 02:15:24 GMT", "2022-04-04"), ("Sun, 4 Apr 2022 23:59:00 +0800", "2022-04-04"),
    ("Mon, 32 Apr 2022 02:15:24 GMT", None),
])
def test_iso_date(value: object, iso: str | None) -> None:
    assert iso_date(value) == iso


def test_given_metadata_wins_over_what_the_file_says() -> None:
    meta = {"title": "给定标题", "source": "河北日报", "published": "2023/5/27", "region": "河北省"}
    [doc] = ingest_file("report.txt", SIMPLIFIED.encode("utf-8"), meta=meta)
    assert {k: getattr(doc, k) for k in meta} == {**meta, "published": "2023-05-27"}


@pytest.mark.parametrize(("meta", "reason"), [
    ({"error": "malformed: sidecar x.meta.json: bad JSON"}, "malformed: sidecar x.meta.json: bad JSON"),
    ({"published": "someday"}, "malformed: published 'someday' is not a date"),
    ({"author": "x"}, "malformed: unknown keys ['author']"),
])
def test_bad_metadata_rejects_the_file(meta: dict, reason: str) -> None:
    assert rejected("report.txt", SIMPLIFIED.encode("utf-8"), meta=meta).startswith(reason)


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_read_metadata_from_sidecars_and_manifests(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", SIMPLIFIED)
    write(tmp_path / "a.txt.meta.json", json.dumps({"title": "甲", "published": "2023-05-27"}))
    write(tmp_path / "b.html", "<p>x</p>")
    write(tmp_path / "b.meta.json", codecs.BOM_UTF8 + json.dumps({"source": "新华网"}).encode())  # stem form
    write(tmp_path / "sub" / "manifest.csv",
          "文件,标题,发布时间,地区,text_column\r\nc.txt,丙,2021年6月,沧县,\r\nd.txt,丁,2021-06-05,,\r\n"
          "e.txt,戊,not a date,,\r\nf.csv,,,,story\r\n".encode("gb18030"))
    write(tmp_path / "sub" / "d.txt", SIMPLIFIED)
    write(tmp_path / "sub" / "d.meta.json", json.dumps({"title": "丁（更正）"}))
    write(tmp_path / "bad.meta.json", "{not json")
    write(tmp_path / "bad.txt", SIMPLIFIED)
    write(tmp_path / "orphan.meta.json", json.dumps({"title": "无主"}))

    metas = read_metadata(tmp_path)

    assert metas["a.txt"] == {"title": "甲", "published": "2023-05-27"}
    assert metas["b.html"] == {"source": "新华网"}
    assert metas["sub/c.txt"] == {"title": "丙", "published": "2021-06", "region": "沧县"}
    assert metas["sub/d.txt"] == {"title": "丁（更正）", "published": "2021-06-05"}  # the sidecar wins
    assert metas["sub/f.csv"] == {"text_column": "story"}
    assert metas["sub/e.txt"]["error"].startswith("malformed: manifest sub/manifest.csv row 3: published")
    assert metas["bad.txt"]["error"].startswith("malformed: sidecar bad.meta.json:")
    assert metas["orphan.meta.json"]["error"] == "malformed: sidecar orphan.meta.json names no file beside it"


@pytest.mark.parametrize(("data", "reason"), [
    ("标题,来源\n甲,新华网\n".encode(),
     "malformed: manifest manifest.csv has no file column "
     "(one of ['file', 'path', 'filename', 'file_name', '文件', '文件名', '路径'])"),
    (b"", "malformed: manifest manifest.csv: empty: no header row"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8", "malformed: manifest manifest.csv: undecodable:"),
])
def test_unreadable_manifest_is_reported_under_its_path(tmp_path: Path, data: bytes, reason: str) -> None:
    write(tmp_path / "manifest.csv", data)
    metas = read_metadata(tmp_path)
    assert list(metas) == ["manifest.csv"]
    assert metas["manifest.csv"]["error"].startswith(reason)


# ---- article exports --------------------------------------------------------------------

def test_csv_export_one_document_a_row() -> None:
    body = '标题,发布时间,来源,正文\r\n' \
           '甲文,2023/5/1 10:00,河北日报,"截至2022年底，全省共有基层党组织21.78万个。\r\n第二段。"\r\n' \
           '空文,2023/5/2,河北日报,"  "\r\n' \
           '乙文,2023年5月3日,,全县培训4720人次。\r\n'
    warnings: list[str] = []
    docs = ingest_file("exports/news.csv", codecs.BOM_UTF8 + body.encode("utf-8"), warn=warnings.append)
    assert [d.doc for d in docs] == ["news#1", "news#3"]
    assert docs[0].text == "截至2022年底，全省共有基层党组织21.78万个。\r\n第二段。"
    assert (docs[0].title, docs[0].published, docs[0].source) == ("甲文", "2023-05-01", "河北日报")
    assert (docs[1].title, docs[1].published, docs[1].source is None) == ("乙文", "2023-05-03", True)
    assert {d.format for d in docs} == {"csv"} and {d.path for d in docs} == {"exports/news.csv"}
    assert warnings == ["exports/news.csv#2: empty: no text in column '正文', row skipped"]


def test_csv_columns_given_by_name_and_gbk_tab_separated() -> None:
    body = "headline\tday\tstory\n甲文\t2023-05-01\t全省共有基层党组织21.78万个。\n"
    meta = {"text_column": "story", "title_column": "headline", "published_column": "day"}
    [doc] = ingest_file("news.csv", body.encode("gbk"), meta=meta)
    assert (doc.doc, doc.title, doc.published, doc.text) == \
        ("news#1", "甲文", "2023-05-01", "全省共有基层党组织21.78万个。")
    assert not hasattr(doc, "text_column")


@pytest.mark.parametrize(("body", "meta", "category"), [
    ("a,b\n1,2\n", {}, "no text column:"),
    ("正文,标题\n,甲\n  ,乙\n", {}, "empty: no row has text"),
    ("正文\n文字\n", {"text_column": "story"}, "malformed: no column 'story'"),
    ("", {}, "empty:"),
])
def test_bad_csv_exports(body: str, meta: dict, category: str) -> None:
    assert rejected("news.csv", body.encode("utf-8") or b"", meta=meta).startswith(category)


def test_jsonl_export_skips_bad_lines_and_reports_them() -> None:
    lines = [
        json.dumps({"title": "甲文", "date": "2023-05-01", "content": "全省共有基层党组织21.78万个。"},
                   ensure_ascii=False),
        "",
        "{truncated",
        json.dumps([1, 2]),
        json.dumps({"title": "空文", "content": ""}, ensure_ascii=False),
        json.dumps({"title": "乙文", "content": "全县培训4720人次。\u2028第二段。", "source": "新华网"},
                   ensure_ascii=False) + "\r",
    ]
    warnings: list[str] = []
    docs = ingest_file("feed.jsonl", "\n".join(lines).encode("utf-8"), warn=warnings.append)
    assert [(d.doc, d.title) for d in docs] == [("feed#1", "甲文"), ("feed#6", "乙文")]
    assert docs[0].published == "2023-05-01" and docs[1].source == "新华网"
    assert docs[1].text == "全县培训4720人次。\u2028第二段。"
    assert [w.split(":")[0] for w in warnings] == ["feed.jsonl#3", "feed.jsonl#4", "feed.jsonl#5"]
    assert rejected("feed.jsonl", b"{oops\n[1]\n" + b"[" * 100_000 + b"\n").startswith(
        "malformed: no line is a JSON object")


def test_jsonl_line_with_an_escaped_lone_surrogate_is_skipped_not_the_file() -> None:
    lines = ['{"title": "甲文", "content": "全省共有基层党组织21.78万个。"}',
             '{"title": "乙文", "content": "全县培训4720人次\\ud800。"}']
    warnings: list[str] = []
    docs = ingest_file("feed.jsonl", "\n".join(lines).encode("utf-8"), warn=warnings.append)
    assert [d.doc for d in docs] == ["feed#1"]
    assert len(warnings) == 1 and warnings[0].startswith("feed.jsonl#2: malformed: an escaped lone surrogate")


# ---- a build over good and bad files ----------------------------------------------------

def test_build_loads_good_files_and_records_each_reject(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    report = (Path(__file__).parent.parent / "data" / "corpus" / "000_6e8a4dd470d8964e.txt").read_bytes()
    write(corpus / "good.txt", report)
    write(corpus / "copy_of_good.txt", report)
    write(corpus / "gbk.txt", SIMPLIFIED.encode("gb18030"))
    write(corpus / "big5.txt", TRADITIONAL.encode("big5"))
    write(corpus / "empty.txt", b"")
    write(corpus / "binary.txt", b"\x00\x01\x02\xff" * 300)
    write(corpus / "truncated.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    write(corpus / "broken.docx", b"PK\x03\x04 not really a zip")
    write(corpus / "nav_only.html", "<html><body><nav><a href='/'>首页</a></nav><script>var a=1;</script></body>")
    db = tmp_path / "figures.duckdb"

    build(corpus, db, progress=False, warn=lambda _msg: None)

    con = duckdb.connect(str(db), read_only=True)
    try:
        rejects = {Path(p).name: r for p, r in con.execute("SELECT path, reason FROM rejects").fetchall()}
        docs = con.execute("SELECT doc_id, text FROM documents").fetchall()
    finally:
        con.close()
    assert {name: reason.split(":")[0] for name, reason in rejects.items()} == {
        "empty.txt": "empty", "binary.txt": "binary", "truncated.pdf": "malformed",
        "broken.docx": "malformed", "nav_only.html": "no article text",
    }
    texts = {text for _, text in docs}
    assert len(docs) == 3  # good.txt and its copy are one document
    assert {SIMPLIFIED, TRADITIONAL} <= texts
    assert content_id(report.decode("utf-8")) in {doc_id for doc_id, _ in docs}


def test_build_applies_sidecars_and_manifests_and_reads_exports(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "report.txt", SIMPLIFIED)
    write(corpus / "report.txt.meta.json", json.dumps({"title": "更正的标题", "published": "2023年5月28日"}))
    write(corpus / "bad.txt", TRADITIONAL)
    write(corpus / "bad.meta.json", json.dumps({"published": "下周"}))
    write(corpus / "feeds" / "manifest.csv", "file,source,text_column\nnews.csv,河北日报,story\n")
    write(corpus / "feeds" / "news.csv", "headline,story\n甲文,全省共有基层党组织21.78万个。\n乙文,全县培训4720人次。")
    db = tmp_path / "figures.duckdb"

    build(corpus, db, progress=False, warn=lambda _msg: None)

    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = dict(con.execute("SELECT doc, [title, source, published] FROM documents").fetchall())
        rejects = dict(con.execute("SELECT path, reason FROM rejects").fetchall())
    finally:
        con.close()
    assert set(docs) == {"report", "news#1", "news#2"}
    assert docs["report"][0] == "更正的标题" and docs["report"][2] == "2023-05-28"
    assert docs["news#1"][:2] == ["甲文", "河北日报"]  # the title from its column, the source from the manifest
    assert [(Path(p).name, r.split(":")[0]) for p, r in rejects.items()] == [("bad.txt", "malformed")]
