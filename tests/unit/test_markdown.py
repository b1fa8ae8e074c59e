"""Advisory Markdown becomes HTML with nothing a stranger could smuggle in."""
from html.parser import HTMLParser

import pytest

from patrol.advisories import records
from web.markdown import block, inline

pytestmark = pytest.mark.extensions("web")


def test_markdown_becomes_paragraphs_lists_code_and_links():
    html = block("Upgrade **now**.\n\n- one\n- two\n\n```\nnpm i lodash@4.17.21\n```\n\n[advisory](https://example.com/a)")
    assert "<strong>now</strong>" in html and "<li>one</li>" in html
    assert "<pre><code>npm i lodash@4.17.21\n</code></pre>" in html
    assert '<a href="https://example.com/a" rel="noopener noreferrer nofollow">advisory</a>' in html


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    '<a href="https://example.com" onclick="alert(1)">x</a>',
    "<iframe src=https://example.com></iframe>",
])
def test_raw_html_and_dangerous_links_are_never_markup(attack):
    for rendered in (block(attack), inline(attack)):
        elements = Elements.of(str(rendered))
        assert {tag for tag, _ in elements} <= {"p", "a"}
        for _tag, attributes in elements:
            assert set(attributes) <= {"href", "rel"}
            assert attributes.get("href", "https://").startswith("https://")


class Elements(HTMLParser):
    """Every start tag a browser would build from the HTML, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.found.append((tag, dict(attrs)))

    @classmethod
    def of(cls, html: str) -> list[tuple[str, dict]]:
        parser = cls()
        parser.feed(html)
        return parser.found


def test_headings_sit_under_the_pages_own():
    assert str(block("# Impact\n### Patches")) == "<h4>Impact</h4>\n<h6>Patches</h6>\n"


def test_inline_keeps_a_summary_on_one_line():
    assert str(inline("`<b>` in *names*\n\n- not a list")) == "<code>&lt;b&gt;</code> in <em>names</em>\n\n- not a list"
    assert block(None) == "" and inline("") == ""


def test_records_keep_their_details_as_written():
    record = records.parse({"id": "GHSA-x", "summary": "short", "details": "  ### Impact\nLong *text*  \n"})
    assert record.details == "### Impact\nLong *text*"
    assert records.parse({"id": "GHSA-y", "details": 42}).details is None
