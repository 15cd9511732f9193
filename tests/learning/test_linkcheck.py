"""The link checker against a local server: statuses, redirects, loops, timeouts, TLS, HEAD refusal, limits."""

import shutil
import threading

import pytest

import learning.linkcheck as linkcheck
from learning.linkcheck import HostRateLimit, LinkChecker
from tests.learning.link_server import LinkFaultHandler, link_server

QUICK = LinkChecker(timeout=0.5, max_redirects=5, workers=4, per_host_interval=0)


@pytest.fixture(scope="module")
def base_url():
    with link_server() as url:
        yield url


def test_a_live_page_is_ok_without_redirects(base_url):
    result = QUICK.check(f"{base_url}/ok")
    assert (result.status, result.error, result.redirects, result.ok, result.redirected) == (200, "", 0, True, False)
    assert result.final_url == f"{base_url}/ok"


def test_a_301_chain_is_followed_to_its_final_url(base_url):
    result = QUICK.check(f"{base_url}/chain/3")
    assert result.ok
    assert result.redirected
    assert (result.status, result.redirects, result.final_url) == (200, 3, f"{base_url}/ok")


def test_a_chain_longer_than_the_limit_is_reported_as_too_many_redirects(base_url):
    result = LinkChecker(timeout=0.5, max_redirects=2, per_host_interval=0).check(f"{base_url}/chain/4")
    assert not result.ok
    assert result.error == "too many redirects (more than 2)"


@pytest.mark.parametrize(("path", "status"), [("/missing", 404), ("/broken", 500)])
def test_client_and_server_errors_are_broken_with_their_status(base_url, path, status):
    result = QUICK.check(f"{base_url}{path}")
    assert (result.status, result.ok, result.error) == (status, False, "")


def test_a_slow_server_is_reported_as_a_timeout(base_url):
    result = QUICK.check(f"{base_url}/slow")
    assert not result.ok
    assert result.status is None
    assert result.error == "timed out after 0.5 s"


def test_a_redirect_loop_is_reported_as_a_loop(base_url):
    result = QUICK.check(f"{base_url}/loop-a")
    assert not result.ok
    assert result.error == f"redirect loop (back to {base_url}/loop-a)"


def test_head_refused_falls_back_to_get(base_url):
    LinkFaultHandler.requests = []
    result = QUICK.check(f"{base_url}/no-head")
    assert (result.status, result.ok) == (200, True)
    assert LinkFaultHandler.requests == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_a_refused_connection_is_broken_with_a_plain_message():
    result = QUICK.check("http://127.0.0.1:9/nothing-listens-here")
    assert not result.ok
    assert result.error == "connection refused"


def test_a_non_http_url_is_refused_without_a_request():
    assert QUICK.check("ftp://example.com/file").error == "not an http(s) URL: ftp://example.com/file"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a self-signed certificate")
def test_a_self_signed_certificate_is_reported_as_a_tls_error(tmp_path):
    with link_server(tls_dir=tmp_path) as https_url:
        result = QUICK.check(f"{https_url}/ok")
    assert not result.ok
    assert result.status is None
    assert result.error.startswith("TLS error: ")
    assert "self" in result.error.lower()
    assert "signed" in result.error.lower()


def test_no_more_than_the_configured_number_of_urls_are_in_flight(base_url):
    checker = LinkChecker(timeout=2, workers=2, per_host_interval=0)
    results = list(checker.check_many([f"{base_url}/busy/{n}" for n in range(6)]))
    assert [result.status for result in results] == [200] * 6
    assert LinkFaultHandler.most_in_flight == 2


def test_requests_to_one_host_are_spaced_by_the_interval_and_other_hosts_are_not(monkeypatch):
    now = [100.0]
    slept = []
    monkeypatch.setattr(linkcheck.time, "sleep", lambda seconds: slept.append(round(seconds, 3)))
    limit = HostRateLimit(1.5, clock=lambda: now[0])
    for host in ["a.example", "a.example", "b.example", "a.example"]:
        limit.wait(host)
    assert slept == [1.5, 3.0]  # the 2nd and 4th requests to a.example wait for their slots; b.example does not


def test_the_rate_limit_holds_across_threads(monkeypatch):
    slept = []
    lock = threading.Lock()

    def record(seconds):
        with lock:
            slept.append(seconds)

    monkeypatch.setattr(linkcheck.time, "sleep", record)
    limit = HostRateLimit(1.0, clock=lambda: 0.0)
    threads = [threading.Thread(target=limit.wait, args=("a.example",)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(slept) == [1.0, 2.0, 3.0]
