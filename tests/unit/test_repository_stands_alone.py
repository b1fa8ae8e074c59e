"""The repository stands alone: no file names the workspace beside it or a machine's own paths."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The shared folder beside a clone (but not a sibling such as a `shared-ui` package), or an
# absolute home or work path. The samples below are split so that this file passes its own test.
FORBIDDEN = re.compile(r"\.\./shared(?![\w-])|(?<![\w.~-])/(?:work|root|home)/")
NOT_OURS = {".git", ".venv", "__pycache__", "test-output", "instance", "build", "dist", ".mypy_cache", ".ruff_cache"}


def tracked_files() -> list[Path]:
    """What git tracks; every file but build leftovers when the copy has no .git."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True)
    if listed.returncode == 0 and listed.stdout:
        return [REPO / name for name in listed.stdout.split("\0") if name]
    return [p for p in REPO.rglob("*") if p.is_file() and not NOT_OURS & set(p.relative_to(REPO).parts)
            and not p.parent.name.endswith(".egg-info")]


def test_no_file_names_a_path_outside_the_repository():
    offenders = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        offenders += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in FORBIDDEN.finditer(text)]
    assert offenders == []


def test_the_check_would_catch_one():
    up, root = "..", "/"
    assert FORBIDDEN.search(f"see {up}/shared/fixtures") and FORBIDDEN.search(f'Path("{root}work/x")')
    assert FORBIDDEN.search(f"cd {root}root/x") and FORBIDDEN.search(f"{root}home/me/")
    assert not FORBIDDEN.search(f'"file:{up}/shared-ui"') and not FORBIDDEN.search(f"https://h{root}home/x")
