"""The client's address, as rate limits and log-in lockouts count it.

X-Forwarded-For is written by whoever sends the request, so it is believed only as far as our own proxies wrote it:
with DEEPPATH_PROXY_COUNT = N, each of the N proxies appended the address it saw, and the client is the Nth entry
from the right. With 0 (the default: no proxy) the header is ignored and the socket's address is the client.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.DEEPPATH_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the leftmost is as far back as our proxies can vouch for.
    return forwarded[-min(proxies, len(forwarded))]
