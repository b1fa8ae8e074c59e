"""Every reliability test runs with connections off loopback refused."""
from __future__ import annotations

import pytest

from tests.support.receivers import loopback_only


@pytest.fixture(autouse=True)
def on_loopback_only():
    with loopback_only():
        yield
