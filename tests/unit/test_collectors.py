"""Collectors of `patrol push`: each format's parser, the dispatcher, dpkg, and the demo data."""

import json
import sys
from pathlib import Path

import pytest
from univers import versions

from patrol import demo
from patrol.collectors import (
    CollectorError,
    DpkgQueryFailed,
    MalformedFile,
    UnreadableFile,
    UnsupportedFile,
    collect,
    composer,
    dpkg,
    npm,
    host,
    os_release,
    parser_for,
    poetry,
    requirements,
    uv,
)
from tests.support.data import OSV

DATA = Path(__file__).parent / "data" / "collectors"
DEMO = demo.DATA
ADVISORIES = OSV
LOC = "/srv/app/lockfile"
DEBIAN_12 = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'


def read(relative: str) -> str:
    return (DATA / relative).read_text(encoding="utf-8")


# composer.lock


def test_composer_reads_packages_and_dev_packages_without_tag_prefix():
    assert composer.parse(read("composer/composer.lock"), LOC) == [
        {"n": "symfony/http-kernel", "v": "5.4.10", "l": LOC, "e": "Packagist"},
        {"n": "guzzlehttp/psr7", "v": "1.8.3", "l": LOC, "e": "Packagist"},
        {"n": "acme/internal-tools", "v": "dev-main", "l": LOC, "e": "Packagist"},
        {"n": "phpunit/phpunit", "v": "9.5.24", "l": LOC, "e": "Packagist"},
    ]


@pytest.mark.parametrize(
    ("version", "expected"),
    [("v2.14.0", "2.14.0"), ("V1.0", "1.0"), ("2.14.0", "2.14.0"), ("v-next", "v-next")],
)
def test_composer_strips_v_only_before_a_digit(version, expected):
    text = json.dumps({"packages": [{"name": "twig/twig", "version": version}]})
    assert composer.parse(text, LOC)[0]["v"] == expected


def test_composer_leaves_out_a_missing_version_and_absent_dev_list():
    text = json.dumps({"packages": [{"name": "acme/tool"}]})
    assert composer.parse(text, LOC) == [{"n": "acme/tool", "l": LOC, "e": "Packagist"}]


@pytest.mark.parametrize(
    "text",
    ['{"packages": [', "[]", '{"packages": {"a": 1}}', '{"packages": [{"version": "1.0"}]}'],
)
def test_composer_rejects_malformed_files(text):
    with pytest.raises(MalformedFile, match=LOC):
        composer.parse(text, LOC)


# package-lock.json


def test_npm_lockfile_v1_walks_nested_dependencies_and_skips_local_folders():
    assert npm.parse(read("npm-v1/package-lock.json"), LOC) == [
        {"n": "elliptic", "v": "6.5.3", "l": LOC, "e": "npm"},
        {"n": "bn.js", "v": "4.12.0", "l": LOC, "p": "elliptic", "e": "npm"},
        {"n": "bn.js", "v": "5.2.1", "l": LOC, "e": "npm"},
        {"n": "@babel/code-frame", "v": "7.18.6", "l": LOC, "e": "npm"},
        {"n": "mkdirp", "v": "0.5.5", "l": LOC, "e": "npm"},
        # minimist 1.2.5 is also installed at the top level: reported once.
        {"n": "minimist", "v": "1.2.5", "l": LOC, "p": "mkdirp", "e": "npm"},
    ]


def test_npm_lockfile_v2_reads_packages_not_the_v1_tree():
    assert npm.parse(read("npm-v2/package-lock.json"), LOC) == [
        {"n": "lodash", "v": "4.17.15", "l": LOC, "e": "npm"},
        {"n": "@types/node", "v": "18.11.9", "l": LOC, "e": "npm"},
        # The alias folder old-lodash holds the real package named in "name".
        {"n": "lodash", "v": "4.17.4", "l": LOC, "e": "npm"},
        # The workspace's own dependency; the workspace and its link are left out.
        {"n": "minimist", "v": "1.2.5", "l": LOC, "e": "npm"},
    ]


def test_npm_lockfile_v3_names_the_immediate_parent_of_nested_packages():
    assert npm.parse(read("npm-v3/package-lock.json"), LOC) == [
        {"n": "@scope/charts", "v": "2.3.0", "l": LOC, "e": "npm"},
        {"n": "@scope/colors", "v": "1.0.2", "l": LOC, "p": "@scope/charts", "e": "npm"},
        {"n": "bn.js", "v": "5.2.1", "l": LOC, "p": "@scope/charts", "e": "npm"},
        {"n": "bn.js", "v": "4.12.0", "l": LOC, "e": "npm"},
        {"n": "elliptic", "v": "6.5.3", "l": LOC, "e": "npm"},
        {"n": "minimist", "v": "1.2.5", "l": LOC, "p": "elliptic", "e": "npm"},
        {"n": "bn.js", "v": "4.11.9", "l": LOC, "p": "minimist", "e": "npm"},
    ]


def test_npm_lockfile_without_packages_or_dependencies_is_empty():
    assert npm.parse('{"name": "empty", "lockfileVersion": 3}', LOC) == []


@pytest.mark.parametrize(
    "text",
    [
        "{'lockfileVersion': 3}",
        '{"lockfileVersion": 3, "packages": []}',
        '{"lockfileVersion": 3, "packages": {"node_modules/a": "1.0"}}',
        '{"lockfileVersion": 1, "dependencies": {"a": {"dependencies": [1]}}}',
    ],
)
def test_npm_rejects_malformed_files(text):
    with pytest.raises(MalformedFile, match=LOC):
        npm.parse(text, LOC)


# requirements.txt


def test_requirements_reads_only_pinned_lines_with_normalised_names():
    assert requirements.parse(read("requirements/requirements-prod.txt"), LOC) == [
        {"n": "requests", "v": "2.28.1", "l": LOC, "e": "PyPI"},
        {"n": "jinja2", "v": "3.1.2", "l": LOC, "e": "PyPI"},
        {"n": "zope-interface", "v": "6.0", "l": LOC, "e": "PyPI"},
        {"n": "flask-login", "v": "0.6.3", "l": LOC, "e": "PyPI"},
        {"n": "uvicorn", "v": "0.23.2", "l": LOC, "e": "PyPI"},
        {"n": "aiohttp", "v": "3.7.3", "l": LOC, "e": "PyPI"},
        {"n": "legacy-thing", "v": "1.0-custom", "l": LOC, "e": "PyPI"},
        {"n": "certifi", "v": "2023.7.22", "l": LOC, "e": "PyPI"},
    ]


def test_requirements_joins_continuations_with_windows_line_ends():
    text = "requests==2.28.1 \\\r\n    --hash=sha256:abc\r\nidna==3.4\r\n"
    assert [(item["n"], item["v"]) for item in requirements.parse(text, LOC)] == [
        ("requests", "2.28.1"),
        ("idna", "3.4"),
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "not a requirement at all!\n", "flask\n"])
def test_requirements_without_pins_give_nothing(text):
    assert requirements.parse(text, LOC) == []


# poetry.lock and uv.lock


def test_poetry_lock_skips_path_dependencies():
    assert poetry.parse(read("poetry/poetry.lock"), LOC) == [
        {"n": "jinja2", "v": "3.1.2", "l": LOC, "e": "PyPI"},
        {"n": "markupsafe", "v": "2.1.3", "l": LOC, "e": "PyPI"},
        {"n": "typing-extensions", "v": "4.8.0", "l": LOC, "e": "PyPI"},
        {"n": "requests", "v": "2.28.1", "l": LOC, "e": "PyPI"},
    ]


def test_uv_lock_skips_the_project_and_its_workspace():
    assert uv.parse(read("uv/uv.lock"), LOC) == [
        {"n": "aiohttp", "v": "3.7.3", "l": LOC, "e": "PyPI"},
        {"n": "yarl", "v": "1.9.2", "l": LOC, "e": "PyPI"},
        {"n": "zope-interface", "v": "6.0", "l": LOC, "e": "PyPI"},
    ]


@pytest.mark.parametrize("parse", [poetry.parse, uv.parse])
@pytest.mark.parametrize(
    "text",
    ["[[package]\nname = 'a'", "package = 'a'", "[[package]]\nversion = '1.0'"],
)
def test_toml_lockfiles_reject_malformed_files(parse, text):
    with pytest.raises(MalformedFile, match=LOC):
        parse(text, LOC)


# dpkg-query output and os-release


def test_dpkg_keeps_installed_packages_once_with_their_source():
    def debian(name, version, source, source_version):
        item = {"n": name, "v": version, "l": "/", "e": "Debian:12"}
        return item | {"s": source, "sv": source_version}

    assert dpkg.parse(read("dpkg/dpkg-web1.txt"), DEBIAN_12) == [
        debian("adduser", "3.134", "adduser", "3.134"),
        debian("libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"),
        debian("nginx-core", "1.22.1-9", "nginx", "1.22.1-9"),
        debian("libc6", "2.36-9+deb12u4", "glibc", "2.36-9+deb12u4"),
        debian("legacy-tool", "1.0-3", "legacy-tool", "1.0-3"),
        debian("libfoo1", "1.2-1+b1", "foo", "1.2-1"),
    ]


def test_dpkg_rejects_lines_that_are_not_dpkg_query_output():
    text = "adduser\t3.134\tadduser\t3.134\tii \nadduser 3.134 ii\n"
    with pytest.raises(MalformedFile, match="dpkg-query output, line 2"):
        dpkg.parse(text)


def test_collect_names_the_saved_dpkg_file_in_errors(tmp_path):
    path = tmp_path / "dpkg-web2.txt"
    path.write_text("adduser 3.134 ii\n", encoding="utf-8")
    with pytest.raises(MalformedFile, match=f"{path}, line 1"):
        collect(path)


@pytest.mark.parametrize(
    ("text", "ecosystem"),
    [
        (DEBIAN_12, "Debian:12"),
        ("ID=debian\nVERSION_ID=11\n", "Debian:11"),
        ("ID='debian'\nVERSION_ID='10.13'\n", "Debian:10"),
        ('PRETTY_NAME="Debian GNU/Linux trixie/sid"\nID=debian\n', "Debian"),
        ('ID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\n', "Ubuntu:22.04"),
        ('ID=ubuntu\nVERSION="22.04.3 LTS (Jammy Jellyfish)"\nVERSION_ID="22.04"\n', "Ubuntu:22.04:LTS"),
        ('ID=ubuntu\nVERSION="23.10 (Mantic Minotaur)"\nVERSION_ID="23.10"\n', "Ubuntu:23.10"),
        ('ID=linuxmint\nID_LIKE="ubuntu debian"\nVERSION_ID="21.2"\n', "Debian"),
        ("", "Debian"),
    ],
)
def test_dpkg_ecosystem_names_debian_and_ubuntu_releases_as_osv_does(text, ecosystem):
    assert os_release.ecosystem(text, "dpkg") == ecosystem


def test_os_release_fields_undo_quoting_and_skip_comments():
    text = (
        "# written by hand\n\n"
        'NAME="Debian GNU/Linux"\nID=debian\nVERSION="12 (bookworm)"\nBROKEN="open\n'
    )
    assert os_release.parse_os_release(text) == {
        "NAME": "Debian GNU/Linux",
        "ID": "debian",
        "VERSION": "12 (bookworm)",
        "BROKEN": "open",
    }


def test_read_os_release_takes_the_first_file_that_exists(tmp_path):
    (tmp_path / "second").write_text("ID=second\n")
    (tmp_path / "third").write_text("ID=third\n")
    paths = [tmp_path / "first", tmp_path / "second", tmp_path / "third"]
    assert os_release.read_os_release(paths) == "ID=second\n"
    assert os_release.read_os_release([tmp_path / "none"]) == ""


def fake_dpkg_query(tmp_path: Path, output: str, exit_code: int = 0) -> Path:
    """An executable that records its arguments and answers like dpkg-query."""
    script = tmp_path / "dpkg-query"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"open({str(tmp_path / 'args.json')!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
        f"sys.stdout.write({output!r})\n"
        f"sys.stderr.write('dpkg-query: error: database locked\\n' if {exit_code} else '')\n"
        f"sys.exit({exit_code})\n"
    )
    script.chmod(0o755)
    return script


def test_dpkg_packages_runs_dpkg_query_with_its_format(tmp_path):
    script = fake_dpkg_query(tmp_path, "curl\t7.88.1-10\tcurl\t7.88.1-10\tii \n")
    items = host.dpkg_packages(DEBIAN_12, str(script)).items
    assert items == [
        {"n": "curl", "v": "7.88.1-10", "l": "/", "e": "Debian:12", "s": "curl", "sv": "7.88.1-10"}
    ]
    arguments = json.loads((tmp_path / "args.json").read_text())
    assert arguments == ["--show", "--showformat=" + dpkg.DPKG_QUERY_FORMAT]


def test_dpkg_packages_reports_a_failing_dpkg_query(tmp_path):
    script = fake_dpkg_query(tmp_path, "", exit_code=2)
    with pytest.raises(DpkgQueryFailed, match="database locked"):
        host.dpkg_packages("", str(script))


def test_dpkg_packages_reports_a_missing_dpkg_query(tmp_path):
    with pytest.raises(DpkgQueryFailed, match="not found"):
        host.dpkg_packages("", str(tmp_path / "dpkg-query"))


# The dispatcher


@pytest.mark.parametrize(
    ("relative", "module"),
    [
        ("composer/composer.lock", composer),
        ("npm-v1/package-lock.json", npm),
        ("npm-v3/package-lock.json", npm),
        ("requirements/requirements-prod.txt", requirements),
        ("poetry/poetry.lock", poetry),
        ("uv/uv.lock", uv),
    ],
)
def test_collect_picks_the_parser_by_file_name(relative, module):
    path = DATA / relative
    assert collect(path).items == module.parse(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize(
    "name", ["requirements.txt", "requirements-dev.txt", "npm-shrinkwrap.json", "uv.lock"]
)
def test_parser_for_accepts_known_names(name):
    assert callable(parser_for(name))


def test_collect_locates_items_at_the_absolute_path(monkeypatch):
    monkeypatch.chdir(DATA / "composer")
    items = collect("composer.lock").items
    assert {item["l"] for item in items} == {str(DATA / "composer" / "composer.lock")}


def test_collect_reads_saved_dpkg_output_with_the_given_os_release():
    items = collect(DATA / "dpkg" / "dpkg-web1.txt", os_release=DEBIAN_12).items
    assert {item["e"] for item in items} == {"Debian:12"}
    assert {item["l"] for item in items} == {"/"}
    assert {item["e"] for item in collect(DATA / "dpkg" / "dpkg-web1.txt").items} == {"Debian"}


@pytest.mark.parametrize("name", ["requirements.in", "Composer.lock", "package.json", "notes.txt"])
def test_collect_refuses_files_whose_name_and_content_say_nothing(tmp_path, name):
    (tmp_path / name).write_text('{"name": "my-app", "version": "1.0.0"}\n', encoding="utf-8")
    with pytest.raises(UnsupportedFile, match="--format") as raised:
        collect(tmp_path / name)
    assert isinstance(raised.value, CollectorError)


def test_collect_reports_malformed_content_with_the_path(tmp_path):
    path = tmp_path / "package-lock.json"
    path.write_text('{"lockfileVersion": 3, "packages": ', encoding="utf-8")
    with pytest.raises(MalformedFile, match=str(path)) as raised:
        collect(path)
    assert isinstance(raised.value, CollectorError)


def test_collect_reports_missing_and_binary_files(tmp_path):
    with pytest.raises(UnreadableFile, match=r"composer\.lock"):
        collect(tmp_path / "composer.lock")
    binary = tmp_path / "uv.lock"
    binary.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(UnreadableFile, match="not UTF-8"):
        collect(binary)


def test_collect_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_bytes(b"\xef\xbb\xbfrequests==2.28.1\n")
    assert [item["n"] for item in collect(path).items] == ["requests"]


# Demo data: vulnerable according to the real advisories, and only where meant to be

VERSION_CLASSES = {
    "Packagist": versions.ComposerVersion,
    "npm": versions.SemverVersion,
    "PyPI": versions.PypiVersion,
}
MEANT_VULNERABLE = {
    ("guzzlehttp/psr7", "1.8.3"),
    ("guzzlehttp/guzzle", "6.5.5"),
    ("twig/twig", "2.14.0"),
    ("symfony/http-kernel", "5.4.10"),
    ("lodash", "4.17.15"),
    ("minimist", "1.2.5"),
    ("elliptic", "6.5.3"),
    ("requests", "2.28.1"),
    ("jinja2", "3.1.2"),
    ("aiohttp", "3.7.3"),
    ("lodash.pick", "4.4.0"),
}


def demo_items() -> list[dict]:
    names = ("composer.lock", "package-lock.json", "requirements.txt")
    lockfiles = [collect(DEMO / name).items for name in names]
    extra = json.loads((DEMO / "extra.json").read_text(encoding="utf-8"))
    return [item for items in lockfiles for item in items] + extra


def affected_ranges(ecosystem: str, name: str) -> list[list[dict]]:
    """The ECOSYSTEM range events of every fixture advisory naming this package."""
    ranges = []
    for path in ADVISORIES.glob("*.json"):
        for affected in json.loads(path.read_text(encoding="utf-8")).get("affected", []):
            package = affected.get("package", {})
            if (package.get("ecosystem"), package.get("name")) == (ecosystem, name):
                ranges += [r["events"] for r in affected["ranges"] if r["type"] == "ECOSYSTEM"]
    return ranges


def in_range(version: str, events: list[dict], version_class: type) -> bool:
    """OSV's reading of one range whose events are in order."""
    current = version_class(version)
    affected = False
    for event in events:
        if "introduced" in event:
            start = event["introduced"]
            affected = affected or start == "0" or current >= version_class(start)
        elif "fixed" in event and current >= version_class(event["fixed"]):  # noqa: SIM114 - two kinds of event
            affected = False
        elif "last_affected" in event and current > version_class(event["last_affected"]):
            affected = False
    return affected


def test_demo_extra_item_is_the_one_lodash_pick_release():
    assert json.loads((DEMO / "extra.json").read_text(encoding="utf-8")) == [
        {"n": "lodash.pick", "v": "4.4.0", "l": "/var/www/app/package-lock.json", "e": "npm"}
    ]


def test_demo_data_is_vulnerable_exactly_where_meant():
    vulnerable = {
        (item["n"], item["v"])
        for item in demo_items()
        if any(
            in_range(item["v"], events, VERSION_CLASSES[item["e"]])
            for events in affected_ranges(item["e"], item["n"])
        )
    }
    assert vulnerable == MEANT_VULNERABLE


def test_demo_data_has_safe_packages_and_a_nested_npm_package():
    items = demo_items()
    assert {"flask", "psr/log", "debug"} <= {item["n"] for item in items}
    assert len(items) > 2 * len(MEANT_VULNERABLE)
    assert any(item.get("p") == "elliptic" for item in items if item["e"] == "npm")
