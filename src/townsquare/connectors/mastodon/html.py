"""Mastodon status HTML to the plain text the classifier reads.

Mastodon sends `content` as sanitised HTML (`<p>`, `<br>`, `<a>`, `<span class="invisible">` around the hidden
parts of long links). Paragraphs become blank lines, `<br>` a newline, invisible spans are dropped, entities are
decoded; the text a reader sees is what gets classified.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = next((v or "" for k, v in attrs if k == "class"), "").split()
        if self._hidden or (tag == "span" and "invisible" in classes):
            self._hidden += 1 if tag == "span" else 0
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self._hidden and tag == "span":
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    lines = "".join(parser.parts).split("\n")
    return "\n".join(line.strip() for line in lines).strip()
