"""The one check every user-supplied redirect target passes: a path on this site, or the default."""
import pytest

from web.redirects import MAX_LENGTH, local_path

pytestmark = pytest.mark.extensions("web")

DEFAULT = "/"

OFF_SITE = [
    "//evil.example", "///evil.example", "////evil.example", "/\\evil.example", "\\\\evil.example",
    "\\/evil.example", "/\\/evil.example", "/%09/evil.example", "/\t/evil.example", "/\n/evil.example",
    "/\r/evil.example", "\t//evil.example", " //evil.example", "/ /evil.example", "/%0a/x", "/%0d/x",
    "/\x00/evil.example", "/%00/evil.example", "/%2F/evil.example", "/%2f%2fevil.example",
    "/%5Cevil.example", "/%5c%5cevil.example", "%2F%2Fevil.example", "/%252F%252Fevil.example", "/%25252525252525252F%2F",
    "https://evil.example/", "http:evil.example", "HTTPS://evil.example", "javascript:alert(1)",
    "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "evil.example", "./evil", "../evil", "", None, "/\uff0f\uff0fevil.example",
    "/\uff3cevil.example", "\uff0f\uff0fevil.example", "/\u2028/evil.example", "/\u00a0/evil.example",
    "/\u200b/evil.example", "/x" + "a" * MAX_LENGTH, "/%ef%bc%8fevil.example",
    "/\x7f/evil.example", "/x\nLocation: https://evil.example/",
]

ON_SITE = ["/", "/api-settings", "/servers/12?issues=3#top", "/signin?next=%2Fapi-settings",
           "/servers/12", "/docs/api#section", "/caf\u00e9"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_every_spelling_of_another_site_falls_back_to_the_default(target):
    assert local_path(target, DEFAULT) == DEFAULT


@pytest.mark.parametrize("target", ON_SITE)
def test_a_path_on_this_site_is_kept(target):
    assert local_path(target, DEFAULT) == target
