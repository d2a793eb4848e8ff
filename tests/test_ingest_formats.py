"""Web pages, PDFs and Word files, each generated in the test: the article's text and
metadata come out, the page's navigation and scripts do not, damaged files are rejected."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import cache

import docx
import opencc
import pytest
from fpdf import FPDF

from pipeline.ingest import Rejected, ingest_file, office
from pipeline.ingest import html as ingest_html

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"  # fonts-noto-cjk, installed by install-browser
PARAGRAPHS = [
    "党的基层组织是党在社会基层组织中的战斗堡垒，是党的全部工作和战斗力的基础。",
    "截至2022年底，全省共有基层党组织21.78万个，党员四百余万名，较上年增加3.2万名。",
    "2022年，全省培训村党组织书记4720人次，村集体经济收入100多万元的村达到27.5%。",
]


def rejected(name: str, data: bytes) -> str:
    with pytest.raises(Rejected) as e:
        ingest_file(name, data)
    return str(e.value)


# ---- web pages --------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>筑牢坚强堡垒_河北新闻网</title>
<meta property="og:title" content="筑牢坚强堡垒 夯实执政根基">
<meta name="source" content="河北日报">
<meta property="article:published_time" content="2023-05-27T08:52:50+08:00">
<script>document.write("脚本写出的文字");</script><style>.nav {{ color: red }}</style>
</head><body>
<header><a href="/">首页</a> | <a href="/login">登录</a> | <a href="/reg">注册</a></header>
<nav><ul><li><a href="/news">新闻中心</a></li><li><a href="/hb">全景河北</a></li></ul></nav>
<div class="main"><article>
<h1>筑牢坚强堡垒 夯实执政根基</h1>
{paragraphs}
</article>
<aside><h3>热点推荐</h3><ul><li><a href="/1">推荐新闻一则</a></li><li><a href="/2">推荐新闻二则</a></li></ul></aside>
</div>
<footer>版权所有 河北日报社 冀ICP备00000000号</footer>
<script>var tracker = "统计脚本";</script>
</body></html>"""
NAVIGATION = ["首页", "登录", "新闻中心", "全景河北", "热点推荐", "推荐新闻", "版权所有", "脚本", "color"]


def page(paragraphs: list[str] = PARAGRAPHS) -> str:
    return PAGE.format(paragraphs="\n".join(f"<p>{p}</p>" for p in paragraphs))


def test_html_article_text_and_metadata() -> None:
    [doc] = ingest_file("news/page.shtml", page().encode("gb18030"))
    lines = doc.text.split("\n")
    assert [ln for ln in lines if ln in PARAGRAPHS] == PARAGRAPHS  # paragraph breaks kept as newlines
    assert not [word for word in NAVIGATION if word in doc.text]
    assert (doc.title, doc.source, doc.published) == ("筑牢坚强堡垒 夯实执政根基", "河北日报", "2023-05-27")
    assert (doc.format, doc.encoding, doc.doc) == ("html", "gb18030", "page")
    start = doc.text.index("21.78万个")
    assert doc.text[start:start + 7] == "21.78万个"  # offsets point into the extracted text


def test_html_without_declared_charset_is_detected() -> None:
    markup = page().replace('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "")
    traditional = opencc.OpenCC("s2t").convert(markup)
    [doc] = ingest_file("page.html", traditional.encode("big5"))
    assert doc.encoding == "big5"
    assert "全省共有基層黨組織21.78萬個" in doc.text


def test_html_saved_as_utf8_under_an_old_charset_tag() -> None:
    [doc] = ingest_file("page.html", page().replace("gb2312", "iso-8859-1").encode("utf-8"))
    assert doc.encoding == "utf-8"
    assert PARAGRAPHS[1] in doc.text


def test_html_malformed_still_yields_its_text() -> None:
    markup = page().replace("</p>", "").replace("</article>", "</div></span>") + "<p class='x>&nbsp; <b><i>未闭合"
    [doc] = ingest_file("page.htm", markup.encode("gb18030"))
    assert all(p[:10] in doc.text for p in PARAGRAPHS)


@pytest.mark.parametrize(("markup", "category"), [
    ("   \n ", "empty:"),
    ("<html><body><nav><a href='/'>首页</a></nav><script>var a = '脚本';</script></body></html>", "no article text:"),
    ("<html><head><title>只有标题</title></head><body></body></html>", "no article text:"),
    ("<?xml version='1.0' encoding='utf-8'?><html><body><footer>版权所有</footer></body></html>", "no article text:"),
])
def test_html_without_article_is_rejected(markup: str, category: str) -> None:
    assert rejected("page.html", markup.encode("utf-8")).startswith(category)


def test_html_element_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_html, "MAX_HTML_ELEMENTS", 10)
    assert rejected("page.html", page().encode("gb18030")).startswith("too large:")


# ---- PDF --------------------------------------------------------------------------------

def make_pdf(pages: list[list[str]], **encryption: str) -> bytes:
    pdf = FPDF()
    pdf.add_font("noto", fname=CJK_FONT, collection_font_number=2)
    pdf.set_font("noto", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    if encryption:
        pdf.set_encryption(**encryption)
    return bytes(pdf.output())


@cache
def text_pdf() -> bytes:
    return make_pdf([PARAGRAPHS[:2], PARAGRAPHS[2:]])


def test_pdf_text_layer() -> None:
    [doc] = ingest_file("report.pdf", text_pdf())
    assert doc.format == "pdf"
    for p in PARAGRAPHS:
        assert p in doc.text.replace("\n", "")
    assert "\x00" not in doc.text
    assert doc.text.index(PARAGRAPHS[2][:10]) > doc.text.index("\n\n")  # pages apart


def test_pdf_encrypted_with_an_empty_user_password_is_read() -> None:
    [doc] = ingest_file("report.pdf", make_pdf([PARAGRAPHS[:1]], owner_password="owner"))
    assert PARAGRAPHS[0][:10] in doc.text


def test_bad_pdfs_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    blank = FPDF()
    blank.add_page()
    blank.rect(20, 20, 100, 50, style="F")  # a drawing, no text: what a scan looks like to a text reader
    assert rejected("scan.pdf", bytes(blank.output())).startswith("no text layer:")
    locked = make_pdf([PARAGRAPHS[:1]], owner_password="owner", user_password="secret")
    assert rejected("locked.pdf", locked).startswith("encrypted:")
    assert rejected("cut.pdf", text_pdf()[: len(text_pdf()) // 3]).startswith(("malformed:", "no text layer:"))
    assert rejected("fake.pdf", b"%PDF-1.7\n" + b"garbage " * 50).startswith("malformed:")
    monkeypatch.setattr(office, "MAX_PDF_PAGES", 1)
    assert rejected("long.pdf", text_pdf()) == "too large: 2 pages over the limit of 1"


# ---- Word -------------------------------------------------------------------------------

@cache
def word_file() -> bytes:
    document = docx.Document()
    document.core_properties.title = "2022年基层党建工作总结"
    document.core_properties.created = dt.datetime(2023, 1, 15, 9, 30)
    document.add_heading("基层党建工作总结", level=1)
    for p in PARAGRAPHS[:2]:
        document.add_paragraph(p)
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "指标"
    table.cell(0, 2).text = "数值"
    table.cell(1, 0).text = "培训人次"
    table.cell(1, 1).text = "4720"
    table.cell(1, 2).text = "人次"
    document.add_paragraph(PARAGRAPHS[2])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_and_table_cells_as_lines() -> None:
    [doc] = ingest_file("总结.docx", word_file())
    assert doc.text.split("\n") == ["基层党建工作总结", *PARAGRAPHS[:2], "指标", "数值", "培训人次", "4720", "人次",
                                       PARAGRAPHS[2]]
    assert (doc.title, doc.published, doc.format, doc.doc) == \
        ("2022年基层党建工作总结", "2023-01-15", "docx", "总结")


def test_bad_docx_files_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    assert rejected("cut.docx", word_file()[: len(word_file()) // 2]).startswith("malformed:")
    assert rejected("fake.docx", b"this is not a zip file").startswith("malformed:")
    not_word = io.BytesIO()
    with zipfile.ZipFile(not_word, "w") as z:
        z.writestr("hello.txt", "hi")
    assert rejected("other.docx", not_word.getvalue()).startswith("malformed:")
    empty = io.BytesIO()
    docx.Document().save(empty)
    assert rejected("empty.docx", empty.getvalue()).startswith("empty:")
    monkeypatch.setattr(office, "MAX_UNZIPPED_BYTES", 1000)
    assert rejected("bomb.docx", word_file()).startswith("too large: expands to")
