"""HTTP for remote stores: keep-alive connections, credentials from the environment only.

``$KG_STORE_TOKEN`` (a bearer token, sent with every request) or ``$KG_STORE_USER`` and
``$KG_STORE_PASSWORD``, sent the way the server's first ``401`` challenge asks: HTTP Basic, or
Digest (Virtuoso's ``/sparql-auth``, which answers a request carrying Basic credentials with
a bare 401 and no challenge, so nothing is sent before the server asks). A URL with a user
name or password in it is refused elsewhere, so secrets stay out of shell history and process
lists.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit


def auth_header(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The ``Authorization`` header from ``$KG_STORE_TOKEN`` or ``$KG_STORE_USER``/``$KG_STORE_PASSWORD``."""
    env = os.environ if env is None else env
    if env.get("KG_STORE_TOKEN"):
        return {"Authorization": f"Bearer {env['KG_STORE_TOKEN']}"}
    if env.get("KG_STORE_USER"):
        pair = f"{env['KG_STORE_USER']}:{env.get('KG_STORE_PASSWORD', '')}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    return {}


@dataclass(frozen=True)
class Response:
    """One HTTP answer, read whole."""

    status: int
    content_type: str  # without parameters, lower case
    headers: dict[str, str]  # names in lower case
    body: bytes


class Http:
    """Keep-alive HTTP connections, one per thread and host; a dropped connection is retried once
    (safe for kg's updates too: ``DROP`` + ``INSERT DATA`` applied twice leaves the same graph)."""

    def __init__(self, *, env: Mapping[str, str] | None = None, timeout: float = 120.0) -> None:
        env = os.environ if env is None else env
        token = bool(env.get("KG_STORE_TOKEN"))
        self._headers = {"User-Agent": "kg", **(auth_header(env) if token else {})}
        self._basic = {} if token else auth_header(env)  # sent once the server asks for Basic
        self._user = None if token or not env.get("KG_STORE_USER") else (env["KG_STORE_USER"], env.get("KG_STORE_PASSWORD", ""))
        self._scheme = ""  # "basic" or "digest", once the server has asked
        self._digest: dict[str, str] | None = None  # the server's last Digest challenge
        self._count = 0
        self._timeout = timeout
        self._local = threading.local()

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Response:
        """Send one request (answering a Digest challenge once); ConnectionError if unreachable."""
        resp = self._send(method, url, body, headers)
        challenge = resp.headers.get("www-authenticate", "")
        if resp.status == 401 and self._user is not None:
            if challenge.lower().startswith("digest"):  # first ask, or a stale nonce
                self._scheme, self._digest = "digest", _parse_challenge(challenge)
                resp = self._send(method, url, body, headers)
            elif challenge.lower().startswith("basic") and self._scheme != "basic":
                self._scheme = "basic"
                resp = self._send(method, url, body, headers)
        return resp

    def _send(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str] | None) -> Response:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {**self._headers, **(headers or {})}
        if self._scheme == "digest" and self._digest is not None and self._user:
            sent["Authorization"] = self._digest_header(method, target)
        elif self._scheme == "basic":
            sent.update(self._basic)
        for attempt in (1, 2):
            conn = self._connection(parts.scheme, parts.netloc)
            try:
                conn.request(method, target, body=body, headers=sent)
                resp = conn.getresponse()
                data = resp.read()
                names = {k.lower(): v for k, v in resp.getheaders()}
                ctype = names.get("content-type", "").split(";")[0].strip().lower()
                return Response(resp.status, ctype, names, data)
            except (OSError, http.client.HTTPException) as err:
                conn.close()
                self._pool().pop((parts.scheme, parts.netloc), None)
                if attempt == 2:
                    raise ConnectionError(f"cannot reach the store at {url}: {err or type(err).__name__}") from err
        raise AssertionError("unreachable")

    def _digest_header(self, method: str, uri: str) -> str:
        """RFC 7616 Digest (MD5, qop=auth), from the last challenge."""
        assert self._digest is not None and self._user is not None
        ch, (user, password) = self._digest, self._user
        self._count += 1
        nc, cnonce = f"{self._count:08x}", secrets.token_hex(8)
        ha1 = _md5(f"{user}:{ch.get('realm', '')}:{password}")
        ha2 = _md5(f"{method}:{uri}")
        fields = {"username": user, "realm": ch.get("realm", ""), "nonce": ch.get("nonce", ""), "uri": uri}
        if "auth" in ch.get("qop", "").split(","):
            fields.update(qop="auth", nc=nc, cnonce=cnonce)
            fields["response"] = _md5(f"{ha1}:{ch.get('nonce', '')}:{nc}:{cnonce}:auth:{ha2}")
        else:
            fields["response"] = _md5(f"{ha1}:{ch.get('nonce', '')}:{ha2}")
        if "opaque" in ch:
            fields["opaque"] = ch["opaque"]
        unquoted = {"qop", "nc"}
        return "Digest " + ", ".join(f"{k}={v}" if k in unquoted else f'{k}="{v}"' for k, v in fields.items())

    def _pool(self) -> dict[tuple[str, str], http.client.HTTPConnection]:
        if not hasattr(self._local, "pool"):
            self._local.pool = {}
        pool: dict[tuple[str, str], http.client.HTTPConnection] = self._local.pool
        return pool

    def _connection(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        pool = self._pool()
        if (scheme, netloc) not in pool:
            cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            pool[(scheme, netloc)] = cls(netloc, timeout=self._timeout)
        return pool[(scheme, netloc)]

    def close(self) -> None:
        """Close this thread's connections."""
        for conn in self._pool().values():
            conn.close()
        self._pool().clear()


def _parse_challenge(header: str) -> dict[str, str]:
    return {k.lower(): v1 or v2 for k, v1, v2 in re.findall(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]+))', header[6:])}


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324  # Digest's algorithm, not for secrecy
