"""The row-id converter: ids past the column's range match no route, for every method."""
from __future__ import annotations

import random
import re

import pytest

from patrol.api.converters import up_to
from patrol.servers import MAX_ID


@pytest.mark.parametrize("limit", [1, 7, 10, 99, 100, 509, 2**31 - 1])
def test_up_to_matches_exactly_one_to_the_limit(limit):
    pattern = re.compile(f"(?:{up_to(limit)})")
    numbers = {*range(0, min(limit, 1000) + 20), limit - 1, limit, limit + 1, limit * 10}
    numbers |= {random.Random(limit).randint(1, limit * 10) for _ in range(2000)}
    wrong = [n for n in numbers if bool(pattern.fullmatch(str(n))) != (1 <= n <= limit)]
    assert not wrong
    assert not pattern.fullmatch("01")


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/servers/{}"), ("DELETE", "/api/servers/{}"),
                                             ("POST", "/api/servers/{}/delete"), ("POST", "/api/servers/{}/scan")])
@pytest.mark.parametrize("number", [MAX_ID + 1, 5447750608])
def test_an_id_past_the_range_is_404_not_405(client, make_account, method, path, number):
    # Found by the fuzzer: DELETE /api/servers/5447750608 answered 405, since the GET rule
    # matched the path before the DELETE rule's converter refused the number.
    answer = client.open(path.format(number), method=method, auth=make_account().auth)
    assert answer.status_code == 404 and answer.json["error"]["code"] == "not_found"
