"""Read the numbers of the insights page/report back out of its HTML (stdlib html.parser only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PanelNumbers:
    stats: dict[str, str] = field(default_factory=dict)
    tables: list[list[list[str]]] = field(default_factory=list)
    images: list[dict[str, str]] = field(default_factory=list)


class InsightsReader(HTMLParser):
    """Collects, per <figure id="panel-KEY">, its <dl> pairs, its tables' rows and its <img>s.

    Also every <img>, every URL-bearing attribute, and the summary <dl>.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.panels: dict[str, PanelNumbers] = {}
        self.summary: dict[str, str] = {}
        self.images: list[dict[str, str]] = []
        self.urls: list[str] = []
        self._panel: PanelNumbers | None = None
        self._in_summary = False
        self._text: list[str] | None = None
        self._term: str | None = None
        self._row: list[str] | None = None
        self._table: list[list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        for name in ("src", "href", "action", "data", "poster"):
            if name in attributes:
                self.urls.append(attributes[name])
        if tag == "figure" and attributes.get("id", "").startswith("panel-"):
            self._panel = self.panels.setdefault(attributes["id"].removeprefix("panel-"), PanelNumbers())
        elif tag == "dl" and attributes.get("id") == "insights-summary":
            self._in_summary = True
        elif tag == "img":
            self.images.append(attributes)
            if self._panel is not None:
                self._panel.images.append(attributes)
        elif tag == "table" and self._panel is not None:
            self._table = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("dt", "dd", "td", "th"):
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("dt", "dd", "td", "th") and self._text is not None:
            text = " ".join("".join(self._text).split())
            self._text = None
            if tag == "dt":
                self._term = text
            elif tag == "dd" and self._term is not None:
                target = self.summary if self._in_summary else (self._panel.stats if self._panel else None)
                if target is not None:
                    target[self._term] = text
                self._term = None
            elif self._row is not None:
                self._row.append(text)
        elif tag == "tr" and self._row is not None and self._table is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None and self._panel is not None:
            self._panel.tables.append(self._table)
            self._table = None
        elif tag == "dl":
            self._in_summary = False
        elif tag == "figure":
            self._panel = None


def read_insights(html: str) -> InsightsReader:
    reader = InsightsReader()
    reader.feed(html)
    reader.close()
    return reader


def table_as_dict(table: list[list[str]]) -> dict[str, list[str]]:
    """Body rows keyed by their first cell (the header row is dropped)."""
    return {row[0]: row[1:] for row in table[1:]}
