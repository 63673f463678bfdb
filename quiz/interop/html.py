"""Between our plain text and the HTML that Anki fields hold."""

import html
import re
from html.parser import HTMLParser

_BLOCKS = {"br", "div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
_DROPPED = {"script", "style"}
_MEDIA_SOUND = re.compile(r"\[sound:([^\]]+)\]")


def text_to_html(text: str) -> str:
    """Plain text as an Anki field: escaped, newlines as <br>."""
    return html.escape(text, quote=False).replace("\n", "<br>")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.media: list[str] = []
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self._dropping += 1
        elif tag in ("img", "audio", "video", "source"):
            src = dict(attrs).get("src")
            if src:
                self.media.append(src)
        if tag == "br" or (tag in _BLOCKS and self.parts and not self.parts[-1].endswith("\n")):
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BLOCKS - {"br"} and self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._dropping:  # a raw line break in HTML shows as a space
            self.parts.append(data.replace("\r\n", " ").replace("\n", " "))


def html_to_text(field: str) -> tuple[str, list[str]]:
    """An Anki field as plain text, and the media files it refers to (images, sounds).

    Tags are dropped, line breaks and blocks become newlines, entities are decoded and a
    `[sound:x.mp3]` reference is removed from the text and listed with the media."""
    media = _MEDIA_SOUND.findall(field)
    field = _MEDIA_SOUND.sub("", field)
    if "<" not in field and "&" not in field:
        return field.replace("\xa0", " ").replace("\r\n", " ").replace("\n", " ").strip(), media
    parser = _TextParser()
    parser.feed(field)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    return text.strip(), media + parser.media
