"""A small form fuzzer for the staff pages.

``page_form(client, url)`` (pageforms.py) reads the form a page offers, as a
browser would submit it; ``fuzzed_data`` here is a hypothesis strategy that
keeps every field at its valid value except a few, which get hostile values:
long, empty, Unicode, control characters, HTML and script payloads,
out-of-range dates and numbers, unknown choices. ``check_post`` submits and
asserts what must hold whatever the input:

- no server error (the test client raises on a 500);
- no payload comes back as markup, on the answer or on the page it leads to;
- a refused input stores nothing: when the answer shows an error, the counts of
  the watched models have not moved.

``check_post_in_charset`` posts a form written and labelled in another charset
(GBK, Big5, ...) or labelled with one no form can be read in: the first must
reach the page as the same text, the second gets the 400 page and changes
nothing.
"""

from __future__ import annotations

import datetime
import functools
from urllib.parse import quote_from_bytes

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import strategies as st

from tests.fuzz.pageforms import Field, Form, valid_data

# Strings that would be markup or script if a page printed them unescaped.
# Each holds a marker that never occurs in the portal's own pages.
XSS = [
    "<script>alert('fz1')</script>",
    '"><img src=x onerror=alert("fz2")>',
    "<svg onload=alert('fz3')>",
    "</textarea><script>alert('fz4')</script>",
    "<a href=\"javascript:alert('fz5')\">x</a>",
    "<iframe src=//fz6.example>",
    "<style>body{display:none}</style>fz7",
]
RAW_MARKERS = [
    "<script>alert('fz1')",
    '<img src=x onerror=alert("fz2")>',
    "<svg onload=alert('fz3')>",
    "<script>alert('fz4')",
    "javascript:alert('fz5')\">",
    "<iframe src=//fz6",
    "<style>body{display:none}</style>fz7",
]
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e反向文字",
    "\ufeff",
    "𠀀𠀁𪚥🙂👨‍👩‍👧",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "' OR '1'='1' --",
    "../../etc/passwd",
    "%00%0d%0a",
    "\r\n\r\nHTTP/1.1 200 OK",
    '=HYPERLINK("http://x","y")',
    "a" * 5000,
    "长" * 70000,
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2023-02-30",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "1900-01-01",
    "1-1-1",
    "2023/13/01",
]
DATES = [
    "2023-02-30",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "1899-12-31",
    "2100-01-01",
    "2023-02-28T25:00",
    "昨天",
    "",
    "-5",
]

text_values = st.one_of(
    st.sampled_from(XSS),
    st.sampled_from(NASTY),
    st.text(max_size=60),
    st.text(
        alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=40
    ),
)


def _value_for(f: Field):
    if f.type == "date":
        return st.one_of(st.sampled_from(DATES), text_values)
    if f.type == "number":
        return st.one_of(
            st.integers(min_value=-(10**12), max_value=10**12).map(str), text_values
        )
    if f.tag == "select":
        choices = [o for o in f.options if o] or [""]
        return st.one_of(
            st.sampled_from(choices), st.sampled_from(["999999", "-1", "x", ""])
        )
    if f.type == "checkbox":
        return st.sampled_from(["on", "1", "", "999999"])
    return text_values


@st.composite
def fuzzed_data(draw, form: Form, *, base=None, skip=(), files=None):
    """Valid data (the form as shown, updated with ``base``: what a user fills
    in) with one to three fields given hostile values; ``files`` (a strategy of
    uploads) fills the form's file inputs."""
    data = {**valid_data(form), **(base or {})}
    candidates = [
        f
        for f in form.fields
        if f.type not in ("hidden", "file") and f.name not in skip
    ]
    if candidates:
        chosen = draw(
            st.lists(
                st.sampled_from(candidates),
                min_size=1,
                max_size=min(3, len(candidates)),
                unique_by=lambda f: f.name,
            )
        )
        for f in chosen:
            data[f.name] = draw(_value_for(f))
    for f in form.fields:
        if f.type == "file" and files is not None:
            data[f.name] = draw(files)
    return data


# --- Files -------------------------------------------------------------------------


def _upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
    b'onload="alert(1)"><script>alert(2)</script><rect width="10" height="10"/></svg>'
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert('fz1')</script></body></html>"
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
ZIP_HEAD = b"PK\x03\x04" + b"\x00" * 26

hostile_files = st.one_of(
    st.builds(
        _upload,
        st.sampled_from(
            [
                "photo.jpg",
                "a.png",
                "x.svg",
                "x.docx",
                "x.xlsx",
                "x.csv",
                "x.txt",
                "无名",
                ".htaccess",
                "x.jpg.php",
                "a" * 300 + ".jpg",
            ]
        ),
        st.one_of(
            st.binary(max_size=2048),
            st.sampled_from(
                [
                    b"",
                    SVG,
                    HTML_PAGE,
                    JPEG_HEAD,
                    JPEG_HEAD + HTML_PAGE,
                    ZIP_HEAD,
                    ZIP_HEAD + HTML_PAGE,
                    b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
                    "姓名,身份证号\n<script>alert('fz1')</script>,=1+1\n".encode(),
                    b"=cmd|' /C calc'!A0,@SUM(1)\n",
                ]
            ),
        ),
        st.sampled_from(
            [
                "application/octet-stream",
                "image/jpeg",
                "image/svg+xml",
                "text/html",
                "text/csv",
            ]
        ),
    )
)


# --- Checks ------------------------------------------------------------------------


def assert_no_markup(html: str, where: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, f"payload rendered as markup on {where}: {marker}"


def _shows_error(html: str) -> bool:
    return "message-error" in html or 'class="errorlist' in html


def counts(models) -> dict:
    return {m._meta.label: m.objects.count() for m in models}


def check_post(client, url: str, data: dict, *, watch=(), state=None, refused=None):
    """Post ``data``; see the module docstring for what is asserted. ``watch``
    are models whose counts a refusal must not move; ``state`` a function whose
    answer it must not change (the edited row); ``refused`` overrides how a
    refusal is recognised (a function of the final page)."""
    before = counts(watch)
    state_before = state() if state else None
    response = client.post(url, data)
    assert response.status_code in (200, 302, 303, 400, 403, 404, 413, 429), (
        response.status_code
    )
    html = response.content.decode(errors="replace")
    assert_no_markup(html, url)
    final = html
    if response.status_code in (302, 303):
        location = response["Location"]
        if location.startswith("/") and not location.startswith("/media/"):
            page = client.get(location)
            assert page.status_code in (200, 302, 404), (location, page.status_code)
            final = page.content.decode(errors="replace")
            assert_no_markup(final, location)
    is_refused = (
        refused(final)
        if refused
        else (response.status_code != 302 and _shows_error(final))
        or (
            response.status_code == 302
            and "message-error" in final
            and "message-success" not in final
        )
    )
    if is_refused:
        assert counts(watch) == before, f"refused input changed data: {url}"
        if state:
            assert state() == state_before, f"refused input changed data: {url}"
    return response, final


def check_get(client, url: str, params: dict):
    response = client.get(url, params)
    assert response.status_code in (200, 302, 400, 404), response.status_code
    if response.get("Content-Type", "").startswith("text/html"):
        assert_no_markup(response.content.decode(errors="replace"), url)
    return response


# --- Forms in another charset (portal/middleware.py, FormCharsetMiddleware) -----------

FORM = "application/x-www-form-urlencoded"
# Charsets a form is read in, as clients in China label them.
KNOWN_CHARSETS = ["gbk", "GBK", "gb18030", "gb2312", "big5", "utf-8", "latin-1"]
# Charsets no form can be read in: unknown names, codecs that are no text
# encoding, and encodings in which ASCII is not ASCII.
UNKNOWN_CHARSETS = ["foo-bar", "x-gbk-ish", "", "base64", "rot13", "utf-16", "cp500"]


@functools.cache
def _charset_alphabet(charset: str) -> list[str]:
    # Printable ASCII and the CJK block (Latin-1's upper half for latin-1),
    # keeping what the charset writes and reads back unchanged.
    ranges = [range(0x20, 0x7F)]
    ranges.append(range(0xA0, 0x100) if charset == "latin-1" else range(0x4E00, 0xA000))
    chars = []
    for r in ranges:
        for code in r:
            c = chr(code)
            try:
                if c.encode(charset).decode(charset) == c:
                    chars.append(c)
            except UnicodeError:
                pass
    return chars


def text_in(charset: str, *, min_size=0, max_size=20, ascii_=True):
    """Text the charset can write: ``ascii_=False`` leaves out ASCII and any
    space or invisible character (nothing a form would strip, no markup)."""
    alphabet = [
        c
        for c in _charset_alphabet(charset)
        if ascii_ or (ord(c) > 0x7F and c.isprintable() and not c.isspace())
    ]
    return st.text(
        alphabet=st.sampled_from(alphabet), min_size=min_size, max_size=max_size
    )


def encode_form(data: dict, charset: str) -> bytes:
    """``data`` as a browser sends a form in ``charset``: names and values
    written in it and %-escaped (the body itself is ASCII)."""
    return "&".join(
        f"{quote_from_bytes(str(name).encode(charset))}="
        f"{quote_from_bytes(str(value).encode(charset))}"
        for name, values in data.items()
        for value in (values if isinstance(values, list) else [values])
    ).encode("ascii")


def post_body(client, url: str, body: bytes, charset: str | None):
    """Post a form ``body`` as it is, labelled ``charset`` (not labelled when
    None). generic(), not post(): post() would encode the bytes again."""
    content_type = FORM if charset is None else f"{FORM}; charset={charset}"
    return client.generic("POST", url, body, content_type=content_type)


def post_in_charset(client, url: str, data: dict, charset: str, *, encode_as=None):
    """Post ``data`` written in ``encode_as`` (``charset`` by default), labelled
    ``charset``."""
    return post_body(client, url, encode_form(data, encode_as or charset), charset)


def csrf_client(*, raise_request_exception=True) -> tuple[Client, str]:
    """A client that checks CSRF tokens, and the token the login page gave it."""
    client = Client(
        enforce_csrf_checks=True, raise_request_exception=raise_request_exception
    )
    client.get(reverse("login"))
    return client, client.cookies["csrftoken"].value


def check_post_in_charset(
    client, url: str, data: dict, charset: str, *, expect, watch=(), state=None
):
    """Post ``data`` in ``charset``: never a server error; a known charset gets
    one of the ``expect`` statuses, an unknown one the 400 page in Chinese
    (its body written in GBK), and then nothing has changed."""
    known = charset in KNOWN_CHARSETS
    before = counts(watch)
    state_before = state() if state else None
    response = post_in_charset(
        client, url, data, charset, encode_as=None if known else "gbk"
    )
    html = response.content.decode(errors="replace")
    assert_no_markup(html, url)
    if known:
        assert response.status_code in expect, (charset, response.status_code)
    else:
        assert response.status_code == 400, (charset, response.status_code)
        assert "无法读取提交的内容" in html
        assert counts(watch) == before, f"unreadable form changed data: {url}"
        if state:
            assert state() == state_before, f"unreadable form changed data: {url}"
    return response, html


def date_strings():
    return st.one_of(
        st.sampled_from(DATES),
        st.dates(min_value=datetime.date(1, 1, 1)).map(lambda d: d.isoformat()),
        text_values,
    )
