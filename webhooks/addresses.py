"""Which addresses a webhook may reach: the guard against server-side request forgery.

A webhook URL is chosen by a user, so without this check Patrol could be made
to call its own database, the cloud metadata service or the office router.
Every address a host resolves to is judged, and the transport then connects
to exactly the address that was judged (see `webhooks.transport`).
"""
from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Iterable[tuple]]

MAX_URL_LENGTH = 2048
DEFAULT_PORTS = {"http": 80, "https": 443}

# Named so that a refusal says why; anything else that is not globally
# routable (documentation, benchmarking, ...) is caught by `is_global`.
_NAMED_RANGES = [
    (ipaddress.ip_network(cidr), reason)
    for cidr, reason in [
        ("0.0.0.0/8", "unspecified"),
        ("127.0.0.0/8", "loopback"),
        ("10.0.0.0/8", "private"),
        ("172.16.0.0/12", "private"),
        ("192.168.0.0/16", "private"),
        ("100.64.0.0/10", "carrier-grade NAT"),
        ("169.254.0.0/16", "link-local (cloud metadata)"),
        ("255.255.255.255/32", "broadcast"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("fc00::/7", "private"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    ]
]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_LOCALHOST = ipaddress.ip_address("127.0.0.1")
_NUMBER = re.compile(r"0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*")


class RefusedAddress(Exception):
    """An address that webhooks may not reach."""

    def __init__(self, address: IPAddress, reason: str) -> None:
        super().__init__(f"webhooks may not reach {address} ({reason} address)")
        self.address = address
        self.reason = reason


class UnresolvableHost(Exception):
    """A host name that resolves to no address at all."""


class InvalidWebhookUrl(ValueError):
    """A webhook URL refused when it is added; `message` is meant for the `url` field."""

    field = "url"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class WebhookUrl:
    """A URL split into what the transport needs; `host` is ASCII and lower case,
    or the canonical text of a literal IP address."""

    scheme: str
    host: str
    port: int
    target: str
    literal: IPAddress | None


def parse_literal(host: str) -> IPAddress | None:
    """The IP address a host names literally, in any spelling an OS resolver accepts.

    `0x7f.1`, `2130706433`, `0177.0.0.1` and `127.1` are all 127.0.0.1 to
    inet_aton, so they must be judged as 127.0.0.1 here too.
    """
    text = host.strip("[]")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return _inet_aton(text.removesuffix("."))


def _inet_aton(text: str) -> ipaddress.IPv4Address | None:
    """1 to 4 dot-separated numbers, each decimal, octal (0...) or hex (0x...);
    the last one fills all the bytes that are left."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4 or not all(_NUMBER.fullmatch(part) for part in parts):
        return None
    *leading, last = [_number(part) for part in parts]
    if any(number > 0xFF for number in leading) or last >= 1 << 8 * (5 - len(parts)):
        return None
    value = last
    for position, number in enumerate(leading):
        value |= number << 8 * (3 - position)
    return ipaddress.IPv4Address(value)


def _number(part: str) -> int:
    if part[:2].lower() == "0x":
        return int(part[2:], 16)
    return int(part, 8 if part.startswith("0") else 10)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, compatible, 6to4, NAT64),
    which is where a packet to it really ends up."""
    if address.version == 4:
        return None
    embedded = address.ipv4_mapped or address.sixtofour
    if embedded is None and (address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1)):
        embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return embedded


def _refusal(address: IPAddress) -> str | None:
    for network, reason in _NAMED_RANGES:
        if address in network:
            return reason
    if address.is_reserved:
        return "reserved"
    if not address.is_global:
        return "special-purpose"
    return None


class AddressPolicy:
    """Refuses non-public addresses, except inside networks the operator allows
    (for example a receiver on the LAN, or loopback in tests)."""

    def __init__(self, allowed_networks: Iterable[str] = ()) -> None:
        self.allowed_networks = [ipaddress.ip_network(cidr, strict=False) for cidr in allowed_networks]

    def check_ip(self, ip: str | IPAddress) -> IPAddress:
        """Return the address if webhooks may reach it, else raise `RefusedAddress`."""
        address = ipaddress.ip_address(ip)
        judged = _embedded_ipv4(address) or address
        if self._allowed(address) or self._allowed(judged):
            return address
        reason = _refusal(judged)
        if reason:
            raise RefusedAddress(address, reason)
        return address

    def resolve(self, host: str, port: int, resolver: Resolver = socket.getaddrinfo) -> list[IPAddress]:
        """Every address `host` stands for, each checked; one refused address refuses the host,
        since a resolver may hand out a different one of them on the next lookup."""
        literal = parse_literal(host)
        if literal is not None:
            return [self.check_ip(literal)]
        try:
            found = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in resolver(host, port)))
        except (OSError, UnicodeError) as exc:
            raise UnresolvableHost(f"{host} cannot be resolved: {exc}") from exc
        if not found:
            raise UnresolvableHost(f"{host} resolves to no address")
        return [self.check_ip(address) for address in found]

    def validate_url(self, url: str) -> WebhookUrl:
        """Check a URL when a webhook is added or changed. No DNS here: names are
        judged again, by address, on every delivery."""
        parsed = parse_url(url)
        literal = _LOCALHOST if _is_localhost(parsed.host) else parsed.literal
        if literal is not None:
            try:
                self.check_ip(literal)
            except RefusedAddress as exc:
                raise InvalidWebhookUrl(
                    f"must not point to {exc.address} ({exc.reason} address); to allow it, "
                    "list its network in PATROL_WEBHOOK_ALLOWED_NETWORKS"
                ) from exc
        return parsed

    def _allowed(self, address: IPAddress) -> bool:
        return any(address in network for network in self.allowed_networks)


def parse_url(url: str) -> WebhookUrl:
    """Split a webhook URL, refusing shapes that are never valid: other schemes,
    credentials, no host, and lengths or characters that hide what is called."""
    if len(url) > MAX_URL_LENGTH:
        raise InvalidWebhookUrl(f"must be at most {MAX_URL_LENGTH} characters")
    if any(char.isspace() or not char.isprintable() for char in url):
        raise InvalidWebhookUrl("must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidWebhookUrl(f"is not a valid URL ({exc})") from exc
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise InvalidWebhookUrl("must start with http:// or https://")
    if not parts.hostname:
        raise InvalidWebhookUrl("must include a host name")
    if parts.username is not None or parts.password is not None:
        raise InvalidWebhookUrl("must not contain a user name or password")
    if port == 0:
        raise InvalidWebhookUrl("must not use port 0")
    return _webhook_url(parts, parts.hostname, port)


def _webhook_url(parts: SplitResult, hostname: str, port: int | None) -> WebhookUrl:
    scheme = parts.scheme.lower()
    literal = parse_literal(hostname)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return WebhookUrl(scheme, str(literal) if literal else _ascii_host(hostname),
                      DEFAULT_PORTS[scheme] if port is None else port, target, literal)


def _ascii_host(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidWebhookUrl("has a host name that cannot be encoded") from exc


def _is_localhost(host: str) -> bool:
    # RFC 6761: these names always mean this machine, whatever DNS says.
    name = host.removesuffix(".")
    return name == "localhost" or name.endswith(".localhost")
