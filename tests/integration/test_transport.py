"""The sender (webhooks.transport) against real receivers on loopback.

Every outgoing connection is watched through the interpreter's audit hook
(`socket.connect`): the tests assert which addresses were connected to, and a
connection to anything but loopback is stopped before it leaves the socket.
Host names are resolved by resolvers the tests write, never by DNS.
"""

import datetime
import ipaddress
import socket
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from standardwebhooks import Webhook

from tests.support.receivers import loopback_only
from webhooks import signing
from webhooks.addresses import AddressPolicy
from webhooks.transport import KEEP_LIMIT, USER_AGENT, Sender

pytestmark = pytest.mark.extensions("webhooks")

LOOPBACK = AddressPolicy(["127.0.0.0/8"])
STRICT = AddressPolicy()
BODY = b'{"webhook_id": "wh_1", "event_id": "evt_1", "identifier": "webhook.test"}'
JSON = {"Content-Type": "application/json"}


# --- watching connections ---


@pytest.fixture(autouse=True)
def connects():
    """Every connection the test opens (one off loopback fails at once)."""
    with loopback_only() as addresses:
        yield addresses


def ip(text):
    return ipaddress.ip_address(text)


def resolver_for(*addresses):
    def resolve(host, port):
        resolve.calls.append(host)
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]

    resolve.calls = []
    return resolve


# --- receivers ---


@dataclass
class Seen:
    path: str
    headers: dict
    body: bytes
    client: tuple


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, reply):
        super().__init__(("127.0.0.1", 0), Handler)
        self.reply = reply
        self.seen: list[Seen] = []
        self.release = threading.Event()

    @property
    def port(self):
        return self.server_address[1]

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.seen.append(Seen(self.path, dict(self.headers), body, self.client_address))
        try:
            self.server.reply(self)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True  # the sender stopped reading, as it should

    def log_message(self, *args):
        pass


def answer(status, body=b"", **headers):
    def reply(handler):
        handler.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(body)

    return reply


def hang(handler):
    handler.server.release.wait(30)
    handler.close_connection = True


def dribble(handler):
    handler.send_response(200)
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(1000):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        if handler.server.release.wait(0.1):
            break
    handler.close_connection = True


def endless(handler):
    handler.send_response(200)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"y" * 8192
    while not handler.server.release.is_set():
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    handler.close_connection = True


def hang_up(handler):
    handler.close_connection = True  # read the request, close without a word


@pytest.fixture
def serve():
    started = []

    def start(reply, tls=None):
        receiver = Receiver(reply)
        if tls is not None:
            receiver.socket = tls.wrap_socket(receiver.socket, server_side=True)
        threading.Thread(target=receiver.serve_forever, args=(0.05,), daemon=True).start()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.release.set()
        receiver.shutdown()
        receiver.server_close()


@pytest.fixture
def sender():
    made = []

    def make(policy=LOOPBACK, **options):
        made.append(Sender(policy, **options))
        return made[-1]

    yield make
    for each in made:
        each.close()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- answers ---


def test_a_2xx_is_a_success_and_the_delivery_arrives_as_signed(serve, sender):
    receiver = serve(answer(200, b'{"ok": true}', Content_Type="application/json"))
    secret = signing.new_secret()
    headers = {**JSON, **signing.headers([secret], "evt_1", int(datetime.datetime.now().timestamp()), BODY)}
    result = sender().post(receiver.url + "/hooks/patrol?x=1", BODY, headers)
    assert (result.status, result.error_kind, result.error) == (200, None, None)
    assert result.body == '{"ok": true}'
    assert result.headers == {"Content-Type": "application/json"}
    assert result.duration_ms >= 0
    [seen] = receiver.seen
    assert seen.path == "/hooks/patrol?x=1"
    assert seen.body == BODY
    assert seen.headers["User-Agent"] == USER_AGENT
    assert seen.headers["Host"] == f"127.0.0.1:{receiver.port}"
    assert Webhook(secret).verify(seen.body, seen.headers)["identifier"] == "webhook.test"


def test_a_500_is_an_http_status_error(serve, sender):
    receiver = serve(answer(500, b"database down"))
    result = sender().post(receiver.url, BODY, JSON)
    assert (result.status, result.error_kind, result.body) == (500, "http_status", "database down")
    assert "500" in result.error


def test_retry_after_is_kept(serve, sender):
    receiver = serve(answer(503, Retry_After="120"))
    result = sender().post(receiver.url, BODY, JSON)
    assert (result.status, result.error_kind, result.headers["Retry-After"]) == (503, "http_status", "120")


def test_a_redirect_is_reported_not_followed(serve, sender):
    receiver = serve(answer(302, Location="/elsewhere"))
    result = sender().post(receiver.url + "/hook", BODY, JSON)
    assert (result.status, result.error_kind) == (302, "redirect")
    assert result.headers["Location"] == "/elsewhere"
    assert "/elsewhere" in result.error
    assert [seen.path for seen in receiver.seen] == ["/hook"]


def test_a_receiver_that_hangs_times_out(serve, sender):
    receiver = serve(hang)
    result = sender(total_timeout=1).post(receiver.url, BODY, JSON)
    assert (result.status, result.error_kind) == (None, "timeout")
    assert len(receiver.seen) == 1


def test_the_total_timeout_covers_an_answer_that_trickles_in(serve, sender):
    # Each byte arrives well within a per-read timeout; only a deadline stops this.
    receiver = serve(dribble)
    result = sender(total_timeout=1).post(receiver.url, BODY, JSON)
    assert (result.status, result.error_kind) == (200, "timeout")


def test_a_big_answer_is_read_capped_and_4_kib_kept(serve, sender):
    receiver = serve(answer(200, b"x" * 1_000_000))
    result = sender().post(receiver.url, BODY, JSON)
    assert (result.status, result.error_kind) == (200, None)
    assert result.body == "x" * KEEP_LIMIT


def test_an_endless_answer_stops_at_the_read_limit(serve, sender):
    # Without the cap this would run until the timeout and fail as one.
    receiver = serve(endless)
    result = sender(total_timeout=10).post(receiver.url, BODY, JSON)
    assert (result.status, result.error_kind, len(result.body)) == (200, None, KEEP_LIMIT)


def test_a_character_cut_at_4_kib_is_dropped_not_mangled(serve, sender):
    receiver = serve(answer(200, b"a" * (KEEP_LIMIT - 1) + "é".encode() * 10))
    result = sender().post(receiver.url, BODY, JSON)
    assert result.body == "a" * (KEEP_LIMIT - 1)


def test_connection_refused(sender, connects):
    result = sender().post(f"http://127.0.0.1:{closed_port()}/", BODY, JSON)
    assert (result.status, result.error_kind) == (None, "connection")
    assert "refused" in result.error.lower()
    assert connects == [ip("127.0.0.1")]


def test_a_receiver_that_hangs_up_is_a_connection_error_and_not_retried_elsewhere(serve, sender, connects):
    receiver = serve(hang_up)
    resolver = resolver_for("127.0.0.1", "127.0.0.2")
    result = sender(resolver=resolver).post(f"http://two.test:{receiver.port}/", BODY, JSON)
    assert result.error_kind == "connection"
    assert connects == [ip("127.0.0.1")]


def test_an_address_that_refuses_is_skipped_for_the_next(serve, sender, connects):
    receiver = serve(answer(204))
    resolver = resolver_for("127.0.0.2", "127.0.0.1")
    result = sender(resolver=resolver).post(f"http://two.test:{receiver.port}/", BODY, JSON)
    assert (result.status, result.error_kind) == (204, None)
    assert connects == [ip("127.0.0.2"), ip("127.0.0.1")]
    assert len(receiver.seen) == 1


def test_an_invalid_url_is_reported(sender, connects):
    result = sender().post("ftp://127.0.0.1/", BODY, JSON)
    assert (result.error_kind, connects) == ("invalid_url", [])


def test_an_unresolvable_host_is_a_connection_error(sender, connects):
    def nowhere(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    result = sender(resolver=nowhere).post("http://nowhere.test/", BODY, JSON)
    assert (result.error_kind, connects) == ("connection", [])


# --- connections ---


def test_connections_are_reused_per_destination(serve, sender, connects):
    receiver = serve(answer(200, b"ok"))
    post = sender().post
    for _ in range(3):
        assert post(receiver.url, BODY, JSON).status == 200
    assert len({seen.client for seen in receiver.seen}) == 1
    assert len(connects) == 1


def test_a_connection_left_mid_answer_is_not_reused(serve, sender):
    big, small = serve(answer(200, b"x" * 1_000_000)), serve(answer(200, b"ok"))
    post = sender().post
    results = [post(url, BODY, JSON) for url in (big.url, big.url, small.url)]
    assert [r.status for r in results] == [200, 200, 200]
    assert len({seen.client for seen in big.seen}) == 2


def test_cookies_are_not_kept_between_deliveries(serve, sender):
    receiver = serve(answer(200, Set_Cookie="session=abc; Path=/"))
    post = sender().post
    post(receiver.url, BODY, JSON)
    post(receiver.url, BODY, JSON)
    assert all("Cookie" not in seen.headers for seen in receiver.seen)


def test_one_sender_serves_many_threads(serve, sender):
    receiver = serve(answer(200, b"ok"))
    post = sender(pool_maxsize=4).post
    bodies = [b'{"n": %d}' % n for n in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda body: post(receiver.url, body, JSON), bodies))
    assert {(r.status, r.error_kind) for r in results} == {(200, None)}
    assert sorted(seen.body for seen in receiver.seen) == sorted(bodies)


# --- the address check ---


@pytest.mark.parametrize("answers", [
    ["10.0.0.1"],
    ["169.254.169.254"],
    ["::ffff:127.0.0.1"],
    ["127.0.0.1"],
    ["8.8.8.8", "10.0.0.1"],
    ["93.184.216.34", "2606:4700::1111", "fe80::1"],
])
def test_a_name_resolving_to_a_refused_address_is_never_connected(answers, sender, connects):
    resolver = resolver_for(*answers)
    result = sender(STRICT, resolver=resolver).post("http://evil.test/hook", BODY, JSON)
    assert (result.status, result.error_kind) == (None, "refused_address")
    assert "webhooks may not reach" in result.error
    assert resolver.calls == ["evil.test"]
    assert connects == []


@pytest.mark.parametrize("host", [
    "0x7f.1", "2130706433", "0177.0.0.1", "127.1", "[::1]", "[::ffff:7f00:1]",
    "169.254.169.254", "100.64.0.1", "224.0.0.1", "0.0.0.0", "[fe80::1]",
])
def test_every_spelling_of_a_refused_address_is_never_connected(host, serve, sender, connects):
    receiver = serve(answer(200))
    resolver = resolver_for("127.0.0.1")
    result = sender(STRICT, resolver=resolver).post(f"http://{host}:{receiver.port}/", BODY, JSON)
    assert (result.status, result.error_kind) == (None, "refused_address")
    assert (connects, resolver.calls, receiver.seen) == ([], [], [])


@pytest.mark.parametrize("host", ["0x7f.1", "2130706433", "0177.0.0.1", "127.1"])
def test_an_allowed_odd_spelling_is_sent_to_its_canonical_address(host, serve, sender):
    receiver = serve(answer(200))
    result = sender().post(f"http://{host}:{receiver.port}/", BODY, JSON)
    assert result.status == 200
    assert receiver.seen[0].headers["Host"] == f"127.0.0.1:{receiver.port}"


def test_the_connection_goes_to_the_address_that_was_checked(serve, sender, connects):
    # A rebinding resolver: the first answer passes, later ones would not.
    receiver = serve(answer(200))
    answers = iter([["127.0.0.1"], ["10.0.0.1"], ["10.0.0.1"]])

    def rebinding(host, port):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in next(answers)]

    result = sender(resolver=rebinding).post(f"http://rebind.test:{receiver.port}/", BODY, JSON)
    assert result.status == 200
    assert connects == [ip("127.0.0.1")]
    assert receiver.seen[0].headers["Host"] == f"rebind.test:{receiver.port}"


# --- TLS: the name, not the address, is what the certificate must match ---


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A throwaway CA and a certificate for receiver.test."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Patrol test CA")])
    now = datetime.datetime.now(datetime.timezone.utc)

    def certificate(subject, key, extensions):
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=1)))
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical=critical)
        return builder.sign(ca_key, hashes.SHA256())

    ca = certificate(ca_name, ca_key, [(x509.BasicConstraints(ca=True, path_length=None), True)])
    leaf = certificate(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "receiver.test")]), leaf_key,
                       [(x509.SubjectAlternativeName([x509.DNSName("receiver.test")]), False)])
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "leaf.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    (folder / "leaf.key").write_bytes(leaf_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return folder


@pytest.fixture
def tls_server(pki):
    """A server context that records the names clients ask for (SNI)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki / "leaf.pem", pki / "leaf.key")
    context.names = []
    context.sni_callback = lambda sock, name, ctx: context.names.append(name)
    return context


def test_https_checks_the_certificate_against_the_url_name(serve, sender, pki, tls_server, connects):
    receiver = serve(answer(200, b"secure"), tls=tls_server)
    https = sender(resolver=resolver_for("127.0.0.1"), ca_bundle=str(pki / "ca.pem"))
    result = https.post(f"https://receiver.test:{receiver.port}/hook", BODY, JSON)
    assert (result.status, result.error_kind, result.body) == (200, None, "secure")
    assert tls_server.names == ["receiver.test"]
    assert receiver.seen[0].headers["Host"] == f"receiver.test:{receiver.port}"
    assert connects == [ip("127.0.0.1")]


def test_https_refuses_a_certificate_for_another_name(serve, sender, pki, tls_server):
    receiver = serve(answer(200), tls=tls_server)
    https = sender(resolver=resolver_for("127.0.0.1"), ca_bundle=str(pki / "ca.pem"))
    result = https.post(f"https://other.test:{receiver.port}/hook", BODY, JSON)
    assert (result.status, result.error_kind) == (None, "tls")
    assert "other.test" in result.error
    assert receiver.seen == []


def test_https_refuses_an_unknown_authority(serve, sender, tls_server):
    receiver = serve(answer(200), tls=tls_server)
    result = sender(resolver=resolver_for("127.0.0.1")).post(f"https://receiver.test:{receiver.port}/", BODY, JSON)
    assert (result.status, result.error_kind) == (None, "tls")
    assert receiver.seen == []


def test_tls_connections_are_pooled_per_name(serve, sender, pki, tls_server, connects):
    receiver = serve(answer(200), tls=tls_server)
    https = sender(resolver=resolver_for("127.0.0.1"), ca_bundle=str(pki / "ca.pem"))
    for _ in range(2):
        assert https.post(f"https://receiver.test:{receiver.port}/", BODY, JSON).status == 200
    assert https.post(f"https://other.test:{receiver.port}/", BODY, JSON).error_kind == "tls"
    assert connects == [ip("127.0.0.1")] * 2
