"""What a phone needs to work without signal: the service worker, a fresh CSRF
token when the connection returns, and the key that seals the user's queue.

The queue itself lives on the phone (static/js/offline/): forms written offline
are sealed there with the user's public key and opened, to be sent, only with
the private key this module hands to that user's own session. The key pair is
derived from ``SECRET_KEY`` and the account, so nothing is stored for it and
no other session, on the phone or anywhere, is ever given it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import wraps

from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

SW_SOURCE = "js/offline/sw.js"
# What the worker keeps so that a page opened without signal still has its
# styles and scripts (public files, the same for everyone).
SW_ASSETS = (
    "css/site.css",
    "css/elder.css",
    "css/offline.css",
    "css/reports.css",
    "css/beneficiaries.css",
    "img/favicon.svg",
    "js/confirm.js",
    "js/elder_early.js",
    "js/elder.js",
    "js/offline/store.js",
    "js/offline/queue.js",
    "js/offline/visit.js",
)
# Pages the worker keeps for opening without signal: only pages that hold no
# one's data (the list of people on the visit page is filled on the phone).
SW_SHELLS = ("beneficiaries_staff:visit_quick",)


def _b64(n: int) -> str:
    return base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()


def queue_key(user) -> dict:
    """The user's key pair as JSON Web Keys (P-256, for ECDH). The same account
    always gets the same pair; an account made again under the same id does
    not (its joining time is part of the derivation)."""
    seed = salted_hmac(
        "portal.offline.queue_key",
        f"{user.pk}:{user.date_joined.isoformat()}",
        algorithm="sha256",
    ).digest()
    # P-256 is the curve Web Crypto's ECDH uses; the seed, reduced into the
    # curve's order, is the private scalar.
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    d = int.from_bytes(seed, "big") % (order - 1) + 1
    point = ec.derive_private_key(d, ec.SECP256R1()).public_key().public_numbers()
    x, y = point.x, point.y
    public = {"kty": "EC", "crv": "P-256", "x": _b64(x), "y": _b64(y)}
    return {"public": public, "private": {**public, "d": _b64(d)}}


def _signed_in(view):
    """JSON endpoints for the phone's scripts: a request without a session gets
    403 and a JSON body instead of the login page, which tells the queue to
    keep its items until the user signs in again."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"signed_in": False}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@require_GET
@_signed_in
def csrf_token(request):
    """A CSRF token for the signed-in session, and whose session it is: the
    queue sends a user's items only when the session is that user's."""
    return JsonResponse({"user": request.user.pk, "token": get_token(request)})


@never_cache
@require_GET
@_signed_in
def key(request):
    """The signed-in user's queue key pair. Only ever the session's own user's:
    there is no parameter to ask for anyone else's."""
    return JsonResponse({"user": request.user.pk, **queue_key(request.user)})


@require_GET
def service_worker(request):
    """The service worker, from static/js/offline/sw.js, at the root so that it
    may see the staff pages. Its first line names the static files it keeps,
    by their current (hashed, when collected) addresses, and a version that
    changes with them, so a deploy replaces the worker and its cache."""
    path = finders.find(SW_SOURCE)
    if not path:
        raise Http404
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    assets = [static(name) for name in SW_ASSETS]
    names = {
        "ASSETS": assets,
        "STORE": static("js/offline/store.js"),
        "SHELLS": [reverse(name) for name in SW_SHELLS],
        "URLS": {
            "token": reverse("staff:offline_token"),
            "key": reverse("staff:offline_key"),
            "login": reverse("login"),
        },
        # Rendered without a request: the same bytes for everyone.
        "OFFLINE_PAGE": render_to_string("portal/offline_page.html"),
    }
    # The files' contents count too: without a build step their addresses do
    # not change when they do (DEBUG, or storage without hashed names).
    digest = hashlib.sha256((source + json.dumps(names, sort_keys=True)).encode())
    for name in SW_ASSETS:
        found = finders.find(name)
        if found:
            with open(found, "rb") as fh:
                digest.update(fh.read())
    names["VERSION"] = digest.hexdigest()[:12]
    head = "".join(
        f"const {name} = {json.dumps(value, ensure_ascii=False)};\n"
        for name, value in names.items()
    )
    response = HttpResponse(
        head + source, content_type="application/javascript; charset=utf-8"
    )
    # Browsers check the worker for updates at most daily whatever this says;
    # no-cache makes every check reach the server.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
