"""Fetching a page to import, safely: a URL typed by an editor must not reach inside our network.

Only http and https; each host is resolved once, every address it resolves to is checked
(loopback, private, link-local, multicast, reserved and unspecified are refused) and the
connection goes to the checked address itself, so a second DNS answer cannot swap in an
internal one. Redirects are followed by hand, a few at most, each hop checked the same
way. The body is streamed and refused past a size limit; the content type must be HTML or
plain text.

Settings: `IMPORT_URL_TIMEOUT` (seconds, default 10) and `IMPORT_URL_ALLOWED_NETWORKS`
(networks exempt from the address check, default none; the tests allow 127.0.0.1 for their
local server).
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings

from articles.html_import import MAX_HTML_BYTES
from articles.importing import ImportRefused

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
ACCEPTED_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
REDIRECTS = {301, 302, 303, 307, 308}
USER_AGENT = "NewsroomImporter/1.0"


class FetchRefused(ImportRefused):
    """The URL cannot be fetched for import; the message says why."""


@dataclass
class FetchedPage:
    url: str  # after redirects
    format: str  # "html" or "text"
    body: bytes
    charset: str | None


def parse_url(url: str):
    """Fetch `url` and parse it as an article (HTML, or plain text if served as text)."""
    from articles.html_import import parse_html
    from articles.importing import decode, parse

    page = fetch(url)
    if page.format == "html":
        return parse_html(page.body, url=page.url, charset=page.charset)
    return parse(decode(page.body), "text")


def fetch(url: str) -> FetchedPage:
    """Fetch `url` for import, following up to MAX_REDIRECTS redirects, each hop re-checked."""
    deadline = time.monotonic() + _timeout() * 3  # connect + read per hop, bounded overall
    for _ in range(MAX_REDIRECTS + 1):
        response = _request(url, deadline)
        try:
            if response.status in REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise FetchRefused(f"{url} redirects without saying where to.")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchRefused(f"{url} answered HTTP {response.status}, not a page.")
            fmt, charset = _content_type(url, response.headers.get("Content-Type", ""))
            return FetchedPage(url, fmt, _read(url, response, deadline), charset)
        finally:
            response.release_conn()
    raise FetchRefused(f"Too many redirects (more than {MAX_REDIRECTS}) from the URL.")


def check_url(url: str) -> tuple[str, str, int, str]:
    """Return (scheme, host, port, checked IP) for `url`, or refuse it with a reason."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchRefused(f"{url!r} is not a valid URL.") from None
    if parts.scheme not in {"http", "https"}:
        raise FetchRefused("Only http:// and https:// URLs can be imported.")
    host = parts.hostname
    if not host:
        raise FetchRefused(f"{url!r} has no host name.")
    if parts.username or parts.password:
        raise FetchRefused("URLs with a user name or password cannot be imported.")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchRefused(f"Cannot reach {host}: the name does not resolve.") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for address in addresses:
        if reason := _blocked(address):
            raise FetchRefused(
                f"Refused: {host} resolves to {address}, a {reason} address. Only public "
                "web addresses can be imported."
            )
    return parts.scheme, host, port, str(addresses[0])


def _blocked(address) -> str | None:
    """Why `address` may not be fetched (None if it may)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    allowed = getattr(settings, "IMPORT_URL_ALLOWED_NETWORKS", ())
    if any(address in ipaddress.ip_network(n) for n in allowed):
        return None
    # Most specific first: link-local and unspecified addresses also count as private.
    for reason in ("loopback", "link_local", "unspecified", "multicast", "private", "reserved"):
        if getattr(address, f"is_{reason}"):
            return reason.replace("_", "-")
    return None if address.is_global else "non-public"


def _timeout() -> float:
    return float(getattr(settings, "IMPORT_URL_TIMEOUT", 10))


def _request(url: str, deadline: float):
    """One GET to the address `check_url` approved, with the real host name for HTTP and TLS."""
    scheme, host, port, ip = check_url(url)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = urllib3.Timeout(connect=_timeout(), read=_timeout())
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            ip,
            port,
            timeout=timeout,
            retries=False,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    else:
        pool = urllib3.HTTPConnectionPool(ip, port, timeout=timeout, retries=False)
    default_port = 443 if scheme == "https" else 80
    headers = {
        "Host": host if port == default_port else f"{host}:{port}",
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
    }
    if time.monotonic() > deadline:
        raise FetchRefused(f"Timed out fetching {url}.")
    try:
        return pool.urlopen(
            "GET", path, headers=headers, redirect=False, preload_content=False, retries=False
        )
    except urllib3.exceptions.NewConnectionError as exc:
        # Before TimeoutError: urllib3 makes a refused connection a kind of timeout.
        raise FetchRefused(f"Cannot reach {url}: {_reason(exc)}.") from None
    except urllib3.exceptions.TimeoutError:
        raise FetchRefused(f"Timed out after {_timeout():g} s fetching {url}.") from None
    except urllib3.exceptions.SSLError:
        raise FetchRefused(f"{host}'s TLS certificate could not be verified.") from None
    except urllib3.exceptions.HTTPError as exc:
        raise FetchRefused(f"Cannot reach {url}: {_reason(exc)}.") from None


def _reason(exc) -> str:
    inner = getattr(exc, "reason", None) or exc
    return str(inner).split(": ", 1)[-1] or type(inner).__name__


def _content_type(url: str, header: str) -> tuple[str, str | None]:
    mime, _, params = header.partition(";")
    mime = mime.strip().lower()
    if mime not in ACCEPTED_TYPES:
        raise FetchRefused(
            f"{url} is {mime or 'of no stated type'}, not an HTML page or text: nothing to import."
        )
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return ACCEPTED_TYPES[mime], charset


def _read(url: str, response, deadline: float) -> bytes:
    """Stream the body, refusing it once it passes the size limit or the deadline."""
    limit = MAX_HTML_BYTES
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchRefused(f"The page at {url} is over {limit // 1_048_576} MB.")
    body = bytearray()
    try:
        for chunk in response.stream(CHUNK):
            body.extend(chunk)
            if len(body) > limit:
                raise FetchRefused(f"The page at {url} is over {limit // 1_048_576} MB.")
            if time.monotonic() > deadline:
                raise FetchRefused(f"Timed out reading {url}.")
    except urllib3.exceptions.TimeoutError:
        raise FetchRefused(f"Timed out after {_timeout():g} s reading {url}.") from None
    except urllib3.exceptions.HTTPError as exc:
        raise FetchRefused(f"The connection to {url} broke off: {_reason(exc)}.") from None
    return bytes(body)
