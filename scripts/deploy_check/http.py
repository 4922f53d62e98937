"""A small HTTP client for the check: urllib with a cookie jar, over https with
the check's self-signed certificate not verified, redirects not followed (the
check looks at each answer as nginx gives it)."""

from __future__ import annotations

import http.cookiejar
import ssl
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from email.message import Message


@dataclass
class Response:
    status: int
    headers: Message  # case-insensitive .get() and .get_all()
    body: bytes
    url: str
    elapsed: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        charset = self.headers.get_content_charset() or "utf-8"
        return self.body.decode(charset, errors="replace")

    def json(self):
        import json

        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"<Response {self.status} {self.url}>"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def encode_multipart(data: dict, files: dict) -> tuple[bytes, str]:
    """multipart/form-data of fields and (filename, bytes, content_type) files."""
    boundary = "deploycheck" + uuid.uuid4().hex
    out = bytearray()
    for name, value in data.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            out += f"--{boundary}\r\n".encode()
            out += f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            out += str(item).encode("utf-8") + b"\r\n"
    for name, (filename, content, content_type) in files.items():
        out += f"--{boundary}\r\n".encode()
        out += (
            f'Content-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        out += content + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


class Session:
    """Cookies kept between requests; ``path`` may be a path under base_url or a
    whole URL (the plain-http port, say)."""

    def __init__(self, base_url: str, timeout: float = 30):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            urllib.request.HTTPSHandler(context=_context()),
            _NoRedirect(),
        )

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def cookie(self, name: str) -> str | None:
        for cookie in self.cookies:
            if cookie.name == name:
                return cookie.value
        return None

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict | None = None,
        timeout: float | None = None,
    ) -> Response:
        import time

        url = self.url(path)
        request = urllib.request.Request(url, data=body, method=method)
        # urllib would otherwise add "Accept-Encoding: identity" nowhere and send
        # no User-Agent worth logging; say who asks.
        request.add_header("User-Agent", "portal-deploy-check")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=timeout or self.timeout) as answer:
                return Response(
                    answer.status,
                    answer.headers,
                    answer.read(),
                    url,
                    time.monotonic() - started,
                )
        except urllib.error.HTTPError as error:
            return Response(
                error.code,
                error.headers,
                error.read() or b"",
                url,
                time.monotonic() - started,
            )

    def get(self, path: str, headers: dict | None = None, **kwargs) -> Response:
        return self.request("GET", path, headers=headers, **kwargs)

    def head(self, path: str, headers: dict | None = None, **kwargs) -> Response:
        return self.request("HEAD", path, headers=headers, **kwargs)

    def post(
        self,
        path: str,
        data: dict | None = None,
        files: dict | None = None,
        headers: dict | None = None,
        **kwargs,
    ) -> Response:
        """A form post with the CSRF token from the csrftoken cookie (as
        X-CSRFToken and, when absent, as csrfmiddlewaretoken) and a same-origin
        Referer, which Django's CSRF check over https asks for."""
        data = dict(data or {})
        token = self.cookie("csrftoken")
        if token and "csrfmiddlewaretoken" not in data:
            data["csrfmiddlewaretoken"] = token
        if files:
            body, content_type = encode_multipart(data, files)
        else:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        sent = {"Content-Type": content_type, "Referer": self.url(path)}
        if token:
            sent["X-CSRFToken"] = token
        sent.update(headers or {})
        return self.request("POST", path, body=body, headers=sent, **kwargs)

    def form(self, path: str) -> dict:
        """The hidden inputs of the first form on the page at ``path``."""
        from html.parser import HTMLParser

        fields: dict = {}

        class Parser(HTMLParser):
            depth = 0
            done = False

            def handle_starttag(self, tag, attrs):
                attrs = dict(attrs)
                if tag == "form" and not self.done:
                    self.depth += 1
                elif (
                    tag == "input"
                    and self.depth
                    and not self.done
                    and (attrs.get("type") or "").lower() == "hidden"
                    and attrs.get("name")
                ):
                    fields[attrs["name"]] = attrs.get("value") or ""

            def handle_endtag(self, tag):
                if tag == "form" and self.depth:
                    self.depth -= 1
                    if not self.depth:
                        self.done = True

        Parser().feed(self.get(path).text)
        return fields
