"""What the per-key rate limit costs an API call.

Calls GET /api/user through Flask's test client (no sockets, so the check's
cost is not lost in network noise) with the limit off, then on (with a
budget no call exhausts), alternating rounds to share the machine's
drift; prints the median per-call time of each and the ratio. Also times
the token bucket alone against an empty function call.

    .venv/bin/python -m bench.rate_limit [--calls 2000] [--rounds 5]
"""
from __future__ import annotations

import argparse
import time

from bench._common import build_app, heading, median, ratio, setup_logging, show, temporary_database
from patrol import accounts
from patrol.api.rate_limit import RateLimiter
from patrol.db import get_db

NO_LIMIT = {"API_RATE": 0}
LIMITED = {"API_RATE": 1e9, "API_BURST": 10**9}


def per_call(app, auth: tuple[str, str], calls: int) -> float:  # noqa: ANN001 - a Flask app
    client = app.test_client()
    started = time.perf_counter()
    for _ in range(calls):
        assert client.get("/api/user", auth=auth).status_code == 200
    return (time.perf_counter() - started) / calls


def bucket_alone(calls: int) -> tuple[float, float]:
    limiter = RateLimiter(1e9, 10**9)
    started = time.perf_counter()
    for _ in range(calls):
        limiter.take("k")
    taking = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(calls):
        _nothing("k")
    return taking / calls, (time.perf_counter() - started) / calls


def _nothing(_key: str) -> float:
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    setup_logging()
    with temporary_database(None) as url:
        apps = {"off": build_app(url, **NO_LIMIT), "on": build_app(url, **LIMITED)}
        with get_db(apps["off"]).session() as session:
            _, issued = accounts.create(session, "bench@example.com")
        auth = (issued.key, issued.secret)
        times = {"off": [], "on": []}
        for _ in range(options.rounds):
            for name, app in apps.items():
                times[name].append(per_call(app, auth, options.calls))
        for app in apps.values():
            get_db(app).dispose()
    off, on = median(times["off"]), median(times["on"])
    taking, empty = bucket_alone(options.calls * 10)
    heading("GET /api/user, per call (median of rounds)")
    show([("limit off (baseline)", f"{off * 1e6:.0f} µs"), ("limit on", f"{on * 1e6:.0f} µs ({ratio(on, off)})"),
          ("token bucket alone", f"{taking * 1e6:.2f} µs ({taking / off:.4%} of a call)"),
          ("empty function call", f"{empty * 1e6:.2f} µs (bucket: {ratio(taking, empty)})")])


if __name__ == "__main__":
    main()
