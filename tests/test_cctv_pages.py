"""Real saved news pages (the shared CCTV sample): a sample of 50 ingests without error,
and what comes out is the article, not the site's template around it."""

from __future__ import annotations

import re
import tarfile
from pathlib import Path

import lxml.html
import pytest

from pipeline.ingest import ingest_file

ROOT = Path(__file__).resolve().parent.parent
TARBALL = ROOT.parent / "shared" / "bench" / "cctv_pages.tar.xz"
PAGES = ROOT / "build" / "bench" / "cctv_pages"
SAMPLE_SIZE = 50
# lines of the CCTV page template seen around every article (menus, rankings, comments)
TEMPLATE = ["节目官网", "央视网首页", "热播榜", "查看更多评论", "全部评论", "相关推荐", "加载更多", "版权所有",
            "安装央视影音客户端", "下次自动登录", "忘记密码", "频道大全", "栏目大全"]


@pytest.fixture(scope="module")
def sample() -> list[Path]:
    if not PAGES.is_dir():
        PAGES.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(TARBALL) as tar:
            tar.extractall(PAGES.parent, filter="data")
    pages = sorted(PAGES.glob("*.shtml"))
    assert len(pages) == 3000
    return pages[:: len(pages) // SAMPLE_SIZE][:SAMPLE_SIZE]


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def first_paragraph(page: Path) -> str:
    """The page's own first paragraph of text, by its template: the article area if it
    has one, else the programme's summary, else (a day's index) the first item's title."""
    tree = lxml.html.document_fromstring(page.read_bytes().decode("utf-8"))  # day indexes declare no charset
    for xpath in ("//*[@id='content_area']//p", "//*[contains(@class, 'cnt_bd')]//p",
                  "//*[contains(@class, 'video_brief')]", "//p[em[starts-with(., '视频简介')]]", "//li//a[@title]"):
        for el in tree.xpath(xpath):
            text = compact(el.get("title") or el.text_content())
            if len(text) >= 8:
                return text
    raise AssertionError(f"{page.name}: no article text in the template")


def test_sampled_pages_give_their_article_not_the_template(sample: list[Path]) -> None:
    for page in sample:
        [doc] = ingest_file(page.name, page.read_bytes())
        assert doc.text.strip(), page.name
        assert not [line for line in TEMPLATE if line in doc.text], page.name
        assert first_paragraph(page)[:30] in compact(doc.text), page.name
        if page.name.startswith("VIDE"):  # article pages (not a day's index) carry their metadata
            assert doc.title and re.fullmatch(r"20\d\d-\d\d-\d\d", doc.published), page.name
