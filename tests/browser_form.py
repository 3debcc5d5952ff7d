"""What a browser submits from a page's own form, as the test client's data.

The form is the first POST form without an ``action`` (one that posts back to its page).

Enough HTML form semantics for the editor's forms: text and hidden inputs,
checked radios and checkboxes, selected options and textareas (whose first
line break belongs to the markup, and whose line breaks a browser sends as CRLF).
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.in_form = self.done = False
        self.textarea: str | None = None
        self.text = ""
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if self.done:
            return
        if tag == "form" and a.get("method", "").lower() == "post" and "action" not in a:
            self.in_form = True
        elif not self.in_form:
            return
        elif tag == "input" and a.get("name"):
            self._input(a)
        elif tag == "textarea":
            self.textarea, self.text = a["name"], ""
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and ("selected" in a or
                                                   self.select not in self.values):
            self.values[self.select] = a.get("value", "")

    def _input(self, a: dict[str, str]) -> None:
        kind = a.get("type", "text")
        if kind in ("radio", "checkbox"):
            if "checked" in a:
                self.values[a["name"]] = a.get("value", "on")
        elif kind not in ("submit", "file"):
            self.values[a["name"]] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea is not None:
            text = self.text[2:] if self.text.startswith("\r\n") else (
                self.text[1:] if self.text.startswith("\n") else self.text)
            self.values[self.textarea] = text.replace("\r\n", "\n").replace("\n", "\r\n")
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def form_values(page: str) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(page)
    return reader.values
