"""Checks that URLs still answer: the network half of link health, with no Django in it.

Standard library only (http.client), so checking links adds no runtime dependency. Each URL gets a HEAD request,
and a GET when the server refuses HEAD (405/501) or drops the connection on it; redirects are followed by hand up to
a limit, so a loop or an endless chain is reported as such rather than as a generic failure. URLs are checked by a
bounded thread pool, and requests to one host are spaced out (`HostRateLimit`) so a catalog with fifty pages on one
site never hammers it.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Servers that do not implement HEAD answer one of these; the same URL is then asked with GET.
HEAD_REFUSED_STATUSES = frozenset({405, 501})
USER_AGENT = "DeepPath-linkcheck/1 (curated catalog link health)"


@dataclass(frozen=True)
class LinkResult:
    """What one URL did: the last HTTP status (None when no answer came), the URL it ended at, and any error."""

    url: str
    final_url: str
    status: int | None
    error: str = ""
    redirects: int = 0

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and self.status < 400

    @property
    def redirected(self) -> bool:
        return self.ok and self.final_url != self.url


class HostRateLimit:
    """At most one request per `interval` seconds to each host, across all threads."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._next_slot: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


@dataclass(frozen=True)
class LinkChecker:
    timeout: float = 10.0
    max_redirects: int = 5
    workers: int = 8
    per_host_interval: float = 1.0
    ssl_context: ssl.SSLContext | None = None

    def check_many(self, urls: Iterable[str]) -> Iterator[LinkResult]:
        """Check every URL with at most `workers` in flight; yields results as they finish (any order)."""
        limit = HostRateLimit(self.per_host_interval)
        with ThreadPoolExecutor(max_workers=max(1, self.workers), thread_name_prefix="linkcheck") as pool:
            futures = [pool.submit(self.check, url, limit) for url in urls]
            for future in futures:
                yield future.result()

    def check(self, url: str, rate_limit: HostRateLimit | None = None) -> LinkResult:
        current = url
        seen = {url}
        redirects = 0
        while True:
            try:
                status, location = self._ask(current, rate_limit)
            except _CheckFailedError as failure:
                return LinkResult(url, current, None, str(failure), redirects)
            if status not in REDIRECT_STATUSES or not location:
                return LinkResult(url, current, status, "", redirects)
            target = urljoin(current, location)
            if target in seen:
                return LinkResult(url, target, status, f"redirect loop (back to {target})", redirects + 1)
            if redirects >= self.max_redirects:
                return LinkResult(
                    url, target, status, f"too many redirects (more than {self.max_redirects})", redirects
                )
            seen.add(target)
            redirects += 1
            current = target

    def _ask(self, url: str, rate_limit: HostRateLimit | None) -> tuple[int, str]:
        """HEAD, then GET when HEAD is refused or the connection drops on it; returns (status, Location)."""
        try:
            status, location = self._request("HEAD", url, rate_limit)
        except _CheckFailedError as failure:
            if not failure.retry_with_get:
                raise
            return self._request("GET", url, rate_limit)
        if status in HEAD_REFUSED_STATUSES:
            return self._request("GET", url, rate_limit)
        return status, location

    def _request(self, method: str, url: str, rate_limit: HostRateLimit | None) -> tuple[int, str]:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise _CheckFailedError(f"not an http(s) URL: {url}")
        if rate_limit is not None:
            rate_limit.wait(parts.hostname.lower())
        connection: http.client.HTTPConnection
        try:
            port = parts.port
        except ValueError:
            raise _CheckFailedError(f"bad port in {url}") from None
        if parts.scheme == "https":
            context = self.ssl_context or ssl.create_default_context()
            connection = http.client.HTTPSConnection(parts.hostname, port, timeout=self.timeout, context=context)
        else:
            connection = http.client.HTTPConnection(parts.hostname, port, timeout=self.timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(method, target, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
            response = connection.getresponse()
            return response.status, response.getheader("Location", "") or ""
        except TimeoutError:
            raise _CheckFailedError(f"timed out after {self.timeout:g} s") from None
        except ssl.SSLCertVerificationError as error:
            raise _CheckFailedError(f"TLS error: {error.verify_message or error.reason}") from None
        except ssl.SSLError as error:
            raise _CheckFailedError(f"TLS error: {error.reason or error}") from None
        except socket.gaierror:
            raise _CheckFailedError(f"host not found: {parts.hostname}") from None
        except ConnectionRefusedError:
            raise _CheckFailedError("connection refused", retry_with_get=False) from None
        except (http.client.HTTPException, OSError) as error:
            # Some servers drop the connection on HEAD but answer GET.
            raise _CheckFailedError(f"connection failed: {error}", retry_with_get=method == "HEAD") from None
        finally:
            connection.close()


class _CheckFailedError(Exception):
    def __init__(self, message: str, *, retry_with_get: bool = False) -> None:
        super().__init__(message)
        self.retry_with_get = retry_with_get
