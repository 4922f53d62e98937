"""The form a staff page offers, read from its HTML as a browser reads it.

``page_form(client, url)`` finds the page's main POST form and its inputs,
selects and textareas with their current values; ``valid_data`` is what a
browser would submit for it unchanged. The fuzzer (formfuzz.py) starts from
that and spoils a few fields, so a fuzzed post differs from a real one only
where it means to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    tag: str
    type: str
    name: str
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    enctype: str
    fields: list[Field] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._selected: list[str] = []
        self._option: dict | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(
                method=(a.get("method") or "get").lower(),
                action=a.get("action") or "",
                enctype=a.get("enctype") or "",
            )
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind not in ("submit", "button", "image", "reset"):
                self._form.fields.append(
                    Field("input", kind, name, a.get("value") or "", "checked" in a)
                )
        elif tag == "select" and name:
            self._select = Field("select", "select", name, checked="multiple" in a)
            self._selected = []
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": a.get("value"),
                "text": "",
                "selected": "selected" in a,
            }
        elif tag == "textarea" and name:
            self._textarea = Field("textarea", "textarea", name)
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            option = self._option
            value = option["value"]
            if value is None:
                value = option["text"].strip()
            self._select.options.append(value)
            if option["selected"]:
                self._selected.append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            select = self._select
            if select.checked:  # multiple: only what is selected is sent
                select.value = self._selected
            elif self._selected:
                select.value = self._selected[-1]
            else:  # a browser sends the first option
                select.value = select.options[0] if select.options else ""
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline right after <textarea>.
            if self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None
        elif tag == "form":
            self._form = None


IGNORED_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")


def page_form(client, url: str, *, action: str | None = None) -> Form:
    """The main form of the page at ``url``: the POST form with the most fields,
    leaving out the header's log-out and the footer's language switch; or the
    one that posts to ``action``."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = _FormParser()
    parser.feed(response.content.decode())
    forms = [
        f
        for f in parser.forms
        if f.method == "post" and not f.action.startswith(IGNORED_ACTIONS)
    ]
    if action is not None:
        forms = [f for f in forms if f.action == action]
    assert forms, f"no form on {url}"
    return max(forms, key=lambda f: len(f.fields))


def valid_data(form: Form) -> dict:
    """What a browser would send for the form as it is shown."""
    data: dict = {}
    for f in form.fields:
        if f.type == "file":
            continue
        if f.type in ("checkbox", "radio"):
            if f.checked:
                data.setdefault(f.name, []).append(f.value or "on")
            continue
        if f.tag == "select":
            if f.value != [] and f.value is not None:
                data[f.name] = f.value
            continue
        data[f.name] = f.value
    return data


def first_option(form: Form, name: str) -> str:
    """The first non-empty choice of the select ``name``."""
    select = next(f for f in form.fields if f.name == name)
    return next(o for o in select.options if o)
