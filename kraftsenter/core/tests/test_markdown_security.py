from __future__ import annotations

from kraftsenter.core.markdown import render_markdown


def test_markdown_keeps_formatting_and_links():
    html = str(render_markdown("**Viktig** og [lenke](https://example.no)"))
    assert "<strong>Viktig</strong>" in html and 'href="https://example.no"' in html
    assert 'rel="noopener noreferrer"' in html


def test_markdown_removes_scripts_event_handlers_and_javascript_links():
    html = str(
        render_markdown(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
            "[klikk](javascript:alert(1))"
        )
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<img" not in html
