"""Downloading a feed's files over HTTP, whole or not at all.

Every request has a timeout (no byte for `timeout` seconds fails it) and a
download a deadline. A file is written to disk and handed over only once it
arrived complete, so a broken transfer never reaches an importer. Where the
server offers ETag or Last-Modified, the next request is conditional and a
`304 Not Modified` costs nothing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import requests

CHUNK = 1 << 16
DEADLINE = 30 * 60.0  # the longest one download may take, however it trickles


class FetchError(RuntimeError):
    """A download that failed; the message says which URL and why, in one line."""


@dataclass(frozen=True)
class Fetched:
    """A complete download: its bytes (or the file they went to) and its validators."""

    validators: dict[str, str]
    body: bytes = b""
    path: Path | None = None


class Fetcher:
    def __init__(self, timeout: float = 60.0, deadline: float = DEADLINE, user_agent: str = "Patrol") -> None:
        self.timeout, self.deadline = timeout, deadline
        self.http = requests.Session()
        self.http.headers["User-Agent"] = user_agent

    def bytes(self, url: str, validators: dict[str, str] | None = None, missing_ok: bool = False) -> Fetched | None:
        """The body in memory; None when not modified (or, with `missing_ok`, a 404)."""
        answer = self._open(url, validators, missing_ok)
        if answer is None:
            return None
        chunks: list[bytes] = []
        self._copy(url, answer, _ListWriter(chunks))
        return Fetched(_validators_of(answer), body=b"".join(chunks))

    def file(self, url: str, target: Path, validators: dict[str, str] | None = None) -> Fetched | None:
        """The body written to `target`; None when not modified."""
        answer = self._open(url, validators, missing_ok=False)
        if answer is None:
            return None
        with target.open("wb") as out:
            self._copy(url, answer, out)
        return Fetched(_validators_of(answer), path=target)

    def close(self) -> None:
        self.http.close()

    def _open(self, url: str, validators: dict[str, str] | None, missing_ok: bool) -> requests.Response | None:
        try:
            answer = self.http.get(url, headers=_conditional(validators), stream=True, timeout=self.timeout)
        except requests.RequestException as exc:
            raise FetchError(f"{url}: {_why(exc)}") from exc
        if answer.status_code == 304 or (missing_ok and answer.status_code == 404):
            answer.close()
            return None
        if answer.status_code != 200:
            answer.close()
            raise FetchError(f"{url}: HTTP {answer.status_code}")
        return answer

    def _copy(self, url: str, answer: requests.Response, out: _Sink) -> None:
        started, size = time.monotonic(), 0
        with answer:
            try:
                for chunk in answer.iter_content(CHUNK):
                    out.write(chunk)
                    size += len(chunk)
                    if time.monotonic() - started > self.deadline:
                        raise FetchError(f"{url}: still downloading after {self.deadline:g} s")
            except requests.RequestException as exc:
                raise FetchError(f"{url}: broken download after {size} bytes ({_why(exc)})") from exc


class _Sink(Protocol):
    def write(self, chunk: bytes, /) -> object: ...


class _ListWriter:
    def __init__(self, chunks: list[bytes]) -> None:
        self.write = chunks.append


def _conditional(validators: dict[str, str] | None) -> dict[str, str]:
    validators = validators or {}
    headers = {}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    return headers


def _validators_of(answer: requests.Response) -> dict[str, str]:
    found = {"etag": answer.headers.get("ETag"), "last_modified": answer.headers.get("Last-Modified")}
    return {name: value for name, value in found.items() if value}


def _why(exc: requests.RequestException) -> str:
    """One line: the kind of failure, not a chain of wrapped tracebacks."""
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.ConnectionError):
        return "connection failed"
    return type(exc).__name__
