"""The SSRF guard (webhooks.addresses): address classes, odd spellings, resolution, URL checks.

No test here touches the network: resolution goes through resolvers the tests write.
"""

import ipaddress
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webhooks.addresses import (
    AddressPolicy,
    InvalidWebhookUrl,
    RefusedAddress,
    UnresolvableHost,
    parse_literal,
    parse_url,
)

pytestmark = pytest.mark.extensions("webhooks")

STRICT = AddressPolicy()

REFUSED = [
    ("127.0.0.1", "loopback"),
    ("127.255.0.9", "loopback"),
    ("::1", "loopback"),
    ("10.0.0.1", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.254", "private"),
    ("192.168.1.1", "private"),
    ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("169.254.169.254", "link-local (cloud metadata)"),
    ("fe80::1", "link-local"),
    ("fe80::1%eth0", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "broadcast"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "unspecified"),
    ("::", "unspecified"),
    ("192.0.2.10", "special-purpose"),
    ("198.18.0.1", "special-purpose"),
    ("2001:db8::1", "special-purpose"),
    # IPv6 forms that carry an IPv4 address are judged by that address.
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:7f00:1", "loopback"),
    ("::ffff:169.254.169.254", "link-local (cloud metadata)"),
    ("::127.0.0.1", "loopback"),
    ("::10.0.0.1", "private"),
    ("2002:a00:1::1", "private"),
    ("2002:7f00:1::", "loopback"),
    ("64:ff9b::10.0.0.1", "private"),
    ("64:ff9b::a9fe:a9fe", "link-local (cloud metadata)"),
]

PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8",
          "2002:808:808::1", "64:ff9b::8.8.8.8", "100.63.255.255", "100.128.0.0", "172.32.0.1"]

SPELLINGS = [
    ("0x7f.1", "127.0.0.1"),
    ("2130706433", "127.0.0.1"),
    ("0177.0.0.1", "127.0.0.1"),
    ("127.1", "127.0.0.1"),
    ("0x7f000001", "127.0.0.1"),
    ("0X7F.0.0.01", "127.0.0.1"),
    ("127.0.1", "127.0.0.1"),
    ("127.0.0.1.", "127.0.0.1"),
    ("0", "0.0.0.0"),
    ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
    ("2852039166", "169.254.169.254"),
    ("012.1", "10.0.0.1"),
    ("[::1]", "::1"),
    ("[::ffff:7f00:1]", "::ffff:7f00:1"),
]


def resolver_for(*addresses):
    """A resolver answering like getaddrinfo, recording what it was asked."""

    def resolve(host, port):
        resolve.calls.append((host, port))
        return [
            (socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in addresses
        ]

    resolve.calls = []
    return resolve


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_non_public_addresses_are_refused_with_their_reason(address, reason):
    with pytest.raises(RefusedAddress) as refused:
        STRICT.check_ip(address)
    assert refused.value.reason == reason
    assert refused.value.address == ipaddress.ip_address(address)
    assert reason in str(refused.value)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert STRICT.check_ip(address) == ipaddress.ip_address(address)


def test_allowed_networks_open_exactly_their_range():
    policy = AddressPolicy(["127.0.0.0/8", "10.1.0.0/16", "fd00::/8"])
    for address in ["127.0.0.1", "127.9.9.9", "10.1.2.3", "fd00::5", "::ffff:127.0.0.1", "::ffff:10.1.0.1"]:
        assert policy.check_ip(address) == ipaddress.ip_address(address)
    for address in ["10.2.0.1", "192.168.0.1", "169.254.169.254", "::1", "fc00::1"]:
        with pytest.raises(RefusedAddress):
            policy.check_ip(address)


def test_allowed_networks_accept_host_bits():
    assert AddressPolicy(["192.168.1.7/24"]).check_ip("192.168.1.200")


@pytest.mark.parametrize(("spelling", "address"), SPELLINGS)
def test_literal_spellings_are_normalised_like_inet_aton(spelling, address):
    assert parse_literal(spelling) == ipaddress.ip_address(address)


@pytest.mark.parametrize("host", ["example.com", "08.1", "0x", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 x",
                                  "127.0.0.1x", "0x7g.1", "", "..", "4294967296", "1.16777216", "١٢٧.0.0.1"])
def test_non_addresses_are_left_to_the_resolver(host):
    assert parse_literal(host) is None


WRITERS = {"dec": str, "oct": lambda n: f"0{n:o}", "hex": lambda n: f"0x{n:x}", "HEX": lambda n: f"0X{n:X}"}


def _spell(value: int, parts: int, radixes: list[str]) -> str:
    """`value` as `parts` numbers; the last one fills the bytes that are left."""
    leading = [(value >> 8 * (3 - index)) & 0xFF for index in range(parts - 1)]
    last = value & ((1 << 8 * (5 - parts)) - 1)
    return ".".join(WRITERS[radix](number) for radix, number in zip(radixes, [*leading, last]))


# inet_aton is the reference: whatever spelling it accepts must mean the same address here.
@given(value=st.integers(0, 2**32 - 1), parts=st.integers(1, 4),
       radixes=st.lists(st.sampled_from(sorted(WRITERS)), min_size=4, max_size=4))
def test_spellings_agree_with_the_operating_system(value, parts, radixes):
    spelling = _spell(value, parts, radixes)
    expected = ipaddress.IPv4Address(socket.inet_aton(spelling))
    assert parse_literal(spelling) == expected == ipaddress.IPv4Address(value)


@pytest.mark.parametrize(("spelling", "address"), SPELLINGS)
def test_resolve_judges_literals_without_asking_the_resolver(spelling, address):
    resolver = resolver_for("8.8.8.8")
    with pytest.raises(RefusedAddress) as refused:
        STRICT.resolve(spelling, 80, resolver)
    assert refused.value.address == ipaddress.ip_address(address)
    assert resolver.calls == []


def test_resolve_returns_every_checked_address_once():
    resolver = resolver_for("93.184.216.34", "2606:2800:220:1::1", "93.184.216.34")
    found = STRICT.resolve("example.com", 443, resolver)
    assert found == [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("2606:2800:220:1::1")]
    assert resolver.calls == [("example.com", 443)]


@pytest.mark.parametrize("answer", [
    ["10.0.0.1"],
    ["169.254.169.254"],
    ["::ffff:127.0.0.1"],
    ["8.8.8.8", "10.0.0.1"],
    ["2606:4700::1111", "fe80::1"],
    ["1.1.1.1", "8.8.8.8", "100.64.0.1"],
])
def test_resolve_refuses_when_any_answer_is_refused(answer):
    with pytest.raises(RefusedAddress):
        STRICT.resolve("evil.test", 80, resolver_for(*answer))


def test_resolve_with_allowed_networks():
    policy = AddressPolicy(["10.0.0.0/8"])
    assert policy.resolve("lan.test", 80, resolver_for("10.0.0.1")) == [ipaddress.ip_address("10.0.0.1")]


def test_unresolvable_hosts():
    def failing(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(UnresolvableHost, match=r"nowhere\.test"):
        STRICT.resolve("nowhere.test", 80, failing)
    with pytest.raises(UnresolvableHost, match="no address"):
        STRICT.resolve("empty.test", 80, resolver_for())


def test_the_default_resolvers_answers_are_checked():
    # `localhost` comes from the hosts file, so no lookup leaves the machine.
    with pytest.raises(RefusedAddress, match="loopback"):
        STRICT.resolve("localhost", 80)


# --- URLs ---


def test_a_good_url_is_split():
    url = STRICT.validate_url("https://Hooks.Example.com:8443/patrol/in?token=abc#frag")
    assert (url.scheme, url.host, url.port, url.target, url.literal) == (
        "https", "hooks.example.com", 8443, "/patrol/in?token=abc", None)


def test_default_ports_and_paths():
    assert parse_url("http://example.com").port == 80
    assert parse_url("HTTPS://example.com").port == 443
    assert parse_url("https://example.com").target == "/"


def test_international_names_become_ascii():
    assert parse_url("https://bücher.example/").host == "xn--bcher-kva.example"


def test_literal_hosts_are_canonical():
    url = parse_url("http://[2606:4700:4700::1111]:8080/x")
    assert url.host == "2606:4700:4700::1111"
    assert url.literal == ipaddress.ip_address("2606:4700:4700::1111")
    assert parse_url("http://0x08.0x08.0x08.0x08/").host == "8.8.8.8"


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://example.com/", "http:// or https://"),
    ("javascript:alert(1)", "http:// or https://"),
    ("example.com/hook", "http:// or https://"),
    ("https://", "host"),
    ("https:///path", "host"),
    ("https://user:secret@example.com/", "user name or password"),
    ("https://user@example.com/", "user name or password"),
    ("https://example.com\\@10.0.0.1/", "user name or password"),
    ("https://example.com/" + "a" * 2030, "2048"),
    ("https://exa mple.com/", "spaces"),
    ("https://example.com/\nHost: x", "spaces"),
    ("https://example.com:99999/", "valid URL"),
    ("https://example.com:0/", "port 0"),
    ("https://[::1/", "valid URL"),
])
def test_invalid_urls(url, message):
    with pytest.raises(InvalidWebhookUrl) as invalid:
        STRICT.validate_url(url)
    assert message in invalid.value.message
    assert invalid.value.field == "url"


def test_a_url_of_exactly_the_limit_is_fine():
    url = "https://example.com/" + "a" * (2048 - len("https://example.com/"))
    assert STRICT.validate_url(url).host == "example.com"


@pytest.mark.parametrize(("url", "address"), [
    ("http://10.0.0.1/", "10.0.0.1"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
    ("http://[::1]:8080/", "::1"),
    ("http://[::ffff:7f00:1]/", "::ffff:7f00:1"),
    ("http://0x7f.1/", "127.0.0.1"),
    ("http://2130706433/", "127.0.0.1"),
    ("http://localhost:5000/", "127.0.0.1"),
    ("http://api.localhost/", "127.0.0.1"),
    ("http://LOCALHOST./", "127.0.0.1"),
])
def test_urls_naming_refused_addresses_are_invalid(url, address):
    with pytest.raises(InvalidWebhookUrl) as invalid:
        STRICT.validate_url(url)
    assert address in invalid.value.message


def test_allowed_networks_also_apply_to_urls():
    policy = AddressPolicy(["127.0.0.0/8", "10.0.0.0/8"])
    assert policy.validate_url("http://127.0.0.1:5000/hook").port == 5000
    assert policy.validate_url("http://localhost/").host == "localhost"
    assert policy.validate_url("http://10.2.3.4/").literal == ipaddress.ip_address("10.2.3.4")


def test_names_are_not_resolved_when_validating():
    # A name that resolves to a private address passes here; delivery judges it by address.
    assert STRICT.validate_url("https://internal.example.test/").host == "internal.example.test"
