"""What nginx in front of gunicorn must answer, checked over https: the HTTP→HTTPS
redirect, security headers, compression, cache headers, media scope, /healthz,
request ids and privacy of the access log, and nginx's own Chinese 413 and 502
pages."""

from __future__ import annotations

import re
import socket
import ssl
import time

from .http import Session

CJK = re.compile(r"[\u4e00-\u9fff]{4,}")
# An ID number of the right shape (18 digits, the last may be X): searched for,
# it must leave no trace in any log.
ID_NUMBER = "445302198807154321"
YEAR = 31536000


def _max_age(cache_control: str) -> int:
    match = re.search(r"max-age=(\d+)", cache_control or "")
    return int(match.group(1)) if match else -1


def run(stack, report) -> None:
    anonymous = Session(stack.base_url)
    staff = stack.session("editor")

    report.section("checks: redirect and security headers")
    answer = Session(stack.http_url).get(stack.http_url + "/stations/?a=1")
    location = answer.headers.get("Location") or ""
    report.check(
        answer.status == 301 and location.startswith("https://"),
        f"http:// → {answer.status} {location}",
    )
    home = anonymous.get("/")
    staff_home = staff.get("/staff/")
    for label, page in (("public /", home), ("staff /staff/", staff_home)):
        headers = page.headers
        problems = []
        hsts = headers.get("Strict-Transport-Security") or ""
        if _max_age(hsts) < YEAR:
            problems.append(f"HSTS {hsts!r}")
        csp = headers.get("Content-Security-Policy") or ""
        if "default-src" not in csp:
            problems.append(f"CSP {csp!r}")
        if (headers.get("X-Content-Type-Options") or "").lower() != "nosniff":
            problems.append("X-Content-Type-Options")
        if not headers.get("Referrer-Policy"):
            problems.append("Referrer-Policy")
        if not headers.get("X-Frame-Options") and "frame-ancestors" not in csp:
            problems.append("X-Frame-Options / frame-ancestors")
        server = headers.get("Server") or ""
        if re.search(r"nginx/\d", server):
            problems.append(f"Server: {server}")
        report.check(
            page.status == 200 and not problems,
            f"{label}: {page.status}, HSTS, CSP, nosniff, Referrer-Policy, "
            f"framing, Server “{server}” without version",
            ", ".join(problems),
        )

    report.section("checks: compression and cache headers")
    css = re.findall(r'href="(/static/[^"]+\.css)"', home.text)
    # The home page may carry no script: then one a staff page loads.
    js = re.findall(r'src="(/static/[^"]+\.js)"', home.text) or re.findall(
        r'src="(/static/[^"]+\.js)"', staff_home.text
    )
    targets = [("home HTML", "/")]
    if css:
        targets.append(("CSS", css[0]))
    else:
        report.fail("no stylesheet under /static/ on the home page")
    if js:
        targets.append(("JS", js[0]))
    else:
        report.fail("no script under /static/ on the home page")
    encodings = (["br"] if stack.brotli else []) + ["gzip"]
    for label, path in targets:
        for encoding in encodings:
            got = anonymous.get(path, headers={"Accept-Encoding": encoding})
            report.check(
                got.status == 200 and got.headers.get("Content-Encoding") == encoding,
                f"{label} {path} with Accept-Encoding: {encoding} → "
                f"Content-Encoding {got.headers.get('Content-Encoding')} ({len(got.body)} bytes)",
            )
    if not stack.brotli:
        report.info("brotli module not installed: br not checked")
    for label, path in targets[1:]:
        got = anonymous.get(path)
        cache = got.headers.get("Cache-Control") or ""
        report.check(
            _max_age(cache) >= YEAR and "immutable" in cache,
            f"hashed {label} {path}: Cache-Control “{cache}”",
        )
    # The public HTML: nginx passes Django's own Cache-Control unchanged.
    direct = Session(f"http://127.0.0.1:{stack.web_port}").get(
        "/", headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    )
    through = anonymous.get("/")
    report.check(
        (through.headers.get("Cache-Control") or "")
        == (direct.headers.get("Cache-Control") or ""),
        f"public home: Cache-Control “{through.headers.get('Cache-Control')}” "
        f"as the portal sends it (“{direct.headers.get('Cache-Control')}”)",
    )
    cache = (staff_home.headers.get("Cache-Control") or "").lower()
    report.check(
        "no-store" in cache or "private" in cache,
        f"staff page: Cache-Control “{staff_home.headers.get('Cache-Control')}”",
    )

    report.section("checks: media scope and /healthz")
    public_photo = stack.facts.get("public_photo")
    if public_photo and public_photo.startswith("/media/"):
        inner = "/protected-media/" + public_photo[len("/media/") :]
        got = anonymous.get(inner)
        report.check(
            got.status == 404, f"GET {inner} directly → {got.status} (internal: 404)"
        )
    else:
        got = anonymous.get("/protected-media/reports/none.jpg")
        report.check(
            got.status == 404,
            f"GET /protected-media/… directly → {got.status} (internal: 404)",
        )
        report.info("the journey left no published photo to try")
    if "unpublished_photo" not in stack.facts:
        report.fail(
            "media scope of an unpublished photo: not checked (the journey did not get there)"
        )
    health = anonymous.get("/healthz")
    try:
        body = health.json()
    except ValueError:
        body = {}
    report.check(
        health.status == 200
        and all(body.get(k) == "ok" for k in ("database", "cache", "queue")),
        f"/healthz → {health.status} {health.text.strip()}",
    )

    report.section("checks: request ids and the logs' privacy")
    marker = anonymous.get("/stations/")
    request_id = marker.headers.get("X-Request-ID") or ""
    anonymous.get(f"/search/?q={ID_NUMBER}")
    anonymous.get(f"/search/?q=%E5%BC%A0{ID_NUMBER}")
    worker = stack.session("worker")
    worker.get(f"/staff/beneficiaries/?q={ID_NUMBER}")
    staff.get(f"/admin/auth/user/?q={ID_NUMBER}")
    time.sleep(1.5)
    access = stack.log_path("nginx-access").read_text(errors="replace")
    lines = [line for line in access.splitlines() if line.strip()]
    with_id = [line for line in lines if re.search(r"\b[0-9a-f]{32}\b", line)]
    report.check(
        lines and len(with_id) == len(lines),
        f"access log: {len(with_id)} of {len(lines)} lines carry a request id",
    )
    report.check(
        bool(request_id) and request_id in access,
        f"the response's X-Request-ID {request_id} is in the access log",
    )
    leaks = []
    for path in sorted(stack.logs.glob("*.log")):
        if ID_NUMBER in path.read_text(errors="replace"):
            leaks.append(path.name)
    report.check(
        not leaks,
        f"an ID number searched on 4 pages is in no log ({len(list(stack.logs.glob('*.log')))} files)",
        "found in " + ", ".join(leaks),
    )

    report.section("checks: nginx's own 413 and 502 pages")
    status, text = _oversized_post(stack)
    report.check(
        status == 413 and bool(CJK.search(text)),
        f"body over client_max_body_size (headers only) → {status}, Chinese page",
        text[:200],
    )
    stack.web_stop()
    try:
        down = anonymous.get("/stations/")
        report.check(
            down.status == 502 and bool(CJK.search(down.text)),
            f"gunicorn stopped → {down.status}, Chinese page "
            f"“{(CJK.search(down.text) or [''])[0]}”",
        )
    finally:
        stack.web_start()
        stack.wait_http("/healthz", 200, timeout=60)
    report.ok("gunicorn started again, /healthz 200")


def _oversized_post(stack) -> tuple[int, str]:
    """A POST announcing a 2 GB body, of which nothing is sent: nginx answers
    413 from the headers alone."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", stack.https_port), timeout=15) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(
                b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/octet-stream\r\n"
                b"Content-Length: 2147483648\r\nConnection: close\r\n\r\n"
            )
            data = b""
            try:
                while True:
                    chunk = tls.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except (OSError, ssl.SSLError):
                pass
    head, _, body = data.partition(b"\r\n\r\n")
    match = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    return (int(match.group(1)) if match else 0), body.decode("utf-8", errors="replace")
