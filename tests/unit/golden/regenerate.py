"""Rewrite the Slack golden files from their inputs.

    .venv/bin/python tests/unit/golden/regenerate.py

Run it after changing a message on purpose, then read the diff: the golden
files show reviewers exactly what Slack will receive. Each
golden/slack/inputs/NAME.json holds an event and a message context;
golden/slack/NAME.json is the payload rendered from it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "slack"
sys.path.insert(0, str(GOLDEN.parents[3]))  # the repo root, so this runs without installing Patrol

from slackkit.render import MessageContext, render  # noqa: E402


def main() -> None:
    for source in sorted((GOLDEN / "inputs").glob("*.json")):
        case = json.loads(source.read_text(encoding="utf-8"))
        payload = render(case["event"], MessageContext(**case["context"]))
        target = GOLDEN / source.name
        target.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(GOLDEN.parents[3])}")


if __name__ == "__main__":
    main()
