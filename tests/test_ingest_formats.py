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


MENUS_ONLY = """<html><head><title>某某网</title></head><body>
<header><a href="/">首页</a> <a href="/login">登录</a></header>
<nav><ul><li><a href="/news">新闻中心</a></li><li><a href="/hb">全景河北，时政要闻</a></li></ul></nav>
<menu><li><a href="/v">视频</a></li></menu>
<aside><h3>热点推荐</h3><ul><li><a href="/1">全省党员四百余万名，较上年增加3.2万名。</a></li></ul></aside>
<footer><p>版权所有，河北日报社。冀ICP备00000000号</p></footer></body></html>"""


@pytest.mark.parametrize(("markup", "category"), [
    ("   \n ", "empty:"),
    ("<html><body><nav><a href='/'>首页</a></nav><script>var a = '脚本';</script></body></html>", "no article text:"),
    ("<html><head><title>只有标题</title></head><body></body></html>", "no article text:"),
    ("<?xml version='1.0' encoding='utf-8'?><html><body><footer>版权所有</footer></body></html>", "no article text:"),
    (MENUS_ONLY, "no article text:"),
])
def test_html_without_article_is_rejected(markup: str, category: str) -> None:
    assert rejected("page.html", markup.encode("utf-8")).startswith(category)


def test_html_element_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_html, "MAX_HTML_ELEMENTS", 10)
    assert rejected("page.html", page().encode("gb18030")).startswith("too large:")


def test_html_elements_a_parser_multiplies_count_against_the_limit() -> None:
    """Formatting tags left open in one paragraph are re-opened in every later one:
    2,304 tags make 301,304 elements."""
    bold = "".join(f"<b id=b{n}>" for n in range(300))
    markup = f"<html><body><p>{bold}x</p>" + f"<p>{PARAGRAPHS[1]}</p>" * 1000
    assert rejected("page.html", markup.encode("utf-8")) == \
        "too large: 301304 HTML elements over the limit of 100000"


def test_html_nested_too_deep_is_rejected() -> None:
    deep = "<html><body>" + "<div>" * 6000 + f"<p>{PARAGRAPHS[1]}</p>" + "</div>" * 6000 + "</body></html>"
    assert rejected("page.html", deep.encode("utf-8")) == \
        "too deep: HTML elements nested 6000 levels, over the limit of 256"


def test_html_depth_under_the_limit_is_read() -> None:
    nested = "<html><body>" + "<div>" * 200 + page() + "</div>" * 200 + "</body></html>" + "<br>" * 5000
    [doc] = ingest_file("page.html", nested.encode("utf-8"))
    assert PARAGRAPHS[1] in doc.text


@pytest.mark.parametrize(("markup", "depth"), [
    ("<div><div><p>x</div></div>", 2),
    ("<p>a<p>b<p>c<li>d<li>e<br><img src=x><hr/>", 0),     # closed by the next one, or void: never nested
    ("</div>" * 50 + "<div>" * 3 + "</div>", 3),            # stray end tags close nothing
    ("<div/><span/><b>x</b>", 1),                           # self-closing
    ("", 0),
])
def test_markup_depth(markup: str, depth: int) -> None:
    assert ingest_html.markup_depth(markup) == depth


def test_html_binary_is_rejected() -> None:
    assert rejected("page.html", bytes(range(256)) * 40).startswith("binary:")
    # valid UTF-8 full of control characters: the check that skips clean UTF-8 must not skip this
    nuls = "<html><body>" + "\x00\x01" * 400 + f"<p>{PARAGRAPHS[1]}</p></body></html>"
    assert rejected("page.html", nuls.encode("utf-8")).startswith("binary:")


@pytest.mark.parametrize("declared", ["big5", "x-made-up-charset", "utf-16"])
def test_html_wrong_charset_declaration_gives_way_to_the_bytes(declared: str) -> None:
    """GB18030 bytes under a tag that says otherwise: the declaration does not fit the
    bytes (or names no codec), so the encoding is detected."""
    [doc] = ingest_file("page.html", page().replace("gb2312", declared).encode("gb18030"))
    assert doc.encoding == "gb18030"
    assert PARAGRAPHS[1] in doc.text


# A video page laid out as the CCTV ones are, and as many news sites: breadcrumbs, the
# headline in a <div>, a byline, a summary box and related links around the article block.
VIDEO_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>全省基层党建工作综述_某某网</title>
<meta property="og:title" content="[视频]全省基层党组织达21.78万个">
{meta}</head><body>
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/news">新闻</a></div>
<div class="tit">[视频]全省基层党组织达21.78万个</div>
<div class="info">来源：某某网 {byline} 19:30</div>
<div class="brief"><p>视频简介：全省基层党组织达21.78万个，新规2026年1月1日施行；详见正文。</p></div>
{time}<div id="content_area">
<p>截至2022年底，全省共有基层党组织21.78万个，党员四百余万名，较上年增加3.2万名。</p>
<p>2022年，全省培训村党组织书记4720人次。</p>
<table><tr><td>村集体收入</td><td>27.5%</td></tr></table>
<p>编辑：张三</p></div>
<div class="related"><h3>相关推荐</h3><ul><li><a href="/1">推荐新闻一则标题在这里</a></li></ul></div>
</body></html>"""


def video_page(meta: str = "", byline: str = "2023年05月27日", time: str = "") -> bytes:
    return VIDEO_PAGE.format(meta=meta, byline=byline, time=time).encode("utf-8")


def test_html_article_block_without_the_summary_and_links_around_it() -> None:
    [doc] = ingest_file("video.shtml", video_page())
    lines = doc.text.split("\n")
    assert lines[0] == "[视频]全省基层党组织达21.78万个"  # the headline leads, as in a report
    assert lines[1:3] == [PARAGRAPHS[1], "2022年，全省培训村党组织书记4720人次。"]
    assert "村集体收入" in doc.text and "27.5%" in doc.text
    for outside in ("视频简介", "首页", "来源", "相关推荐", "推荐新闻"):
        assert outside not in doc.text, outside
    assert doc.title == "[视频]全省基层党组织达21.78万个"


def test_html_headline_is_not_repeated_when_the_article_has_it() -> None:
    [doc] = ingest_file("page.html", page().encode("gb18030"))
    assert doc.text.count("筑牢坚强堡垒 夯实执政根基") == 1


def test_html_with_no_title_tag_is_titled_by_its_h1() -> None:
    """A transcript converted to HTML (no <head>, one <h1> over many <h2> items): its title is
    the <h1>, not the first item's heading, which would set the whole day's place."""
    markup = ("<h1>新闻联播 2022-07-15</h1>\n<h2>习近平在新疆考察时强调</h2>\n<p>习近平近日来到新疆考察调研。</p>\n"
              "<h2>上半年中国经济企稳回升</h2>\n<p>上半年国内生产总值562642亿元。</p>\n")
    [doc] = ingest_file("20220715.html", markup.encode())
    assert doc.title == "新闻联播 2022-07-15"


@pytest.mark.parametrize(("meta", "time", "byline", "published"), [
    ("", "", "2023年05月27日", "2023-05-27"),             # the byline above the article, not the summary's 2026
    ("", "", "2023-05-27", "2023-05-27"),
    ('<meta name="pubdate" content="2021-11-08">', "", "2023年05月27日", "2021-11-08"),
    ('<meta property="article:published_time" content="2022-03-01T08:00:00+08:00">', "", "", "2022-03-01"),
    ("", '<time datetime="2024-06-30T10:00">6月30日</time>', "2023年05月27日", "2024-06-30"),
    ("", '<time datetime="2024-06-01">6月1日</time><time pubdate datetime="2024-06-30">6月30日</time>', "",
     "2024-06-30"),
])
def test_html_publication_date(meta: str, time: str, byline: str, published: str) -> None:
    [doc] = ingest_file("video.shtml", video_page(meta=meta, byline=byline, time=time))
    assert doc.published == published


def test_html_date_from_htmldate_when_the_page_says_it_nowhere_else() -> None:
    """No published meta tag, no <time>, no byline: htmldate finds the date in the page's
    canonical URL."""
    canonical = b'<link rel="canonical" href="https://example.org/2020/06/15/x.html"></head>'
    [doc] = ingest_file("video.shtml", video_page(byline="").replace(b"</head>", canonical))
    assert doc.published == "2020-06-15"
    [doc] = ingest_file("video.shtml", video_page(byline=""))
    assert doc.published is None


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
