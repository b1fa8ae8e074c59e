"""Gemfile.lock: the gems Bundler resolved (RubyGems).

Sections start at column 0 (GEM, GIT, PATH, PLATFORMS, ...). Under a
section's `specs:`, the gems are the lines indented by exactly four spaces,
`name (version)`; six-space lines are their dependencies' requirements.
Versions are kept as written, platform suffix included (`1.16.5-x86_64-linux`).
"""

import re

from patrol.collectors.items import Item, Skip, Skips, make_item, unique

_SPEC = re.compile(r"^    (?! )(\S+) \(([^)]+)\)\s*$")
# Where a section's gems come from: only GEM sections are RubyGems releases.
_REASONS = {"GIT": "a gem from a git repository, not a RubyGems release"}


def parse(text: str, location: str, skipped: Skips | None = None) -> list[Item]:
    """Items for the gems of the GEM sections; GIT gems are reported as skipped."""
    skipped = [] if skipped is None else skipped
    items, section = [], ""
    for line in text.splitlines():
        if line[:1].strip():
            section = line.strip()
            continue
        spec = _SPEC.match(line)
        if spec is None:
            continue
        name, version = spec.groups()
        if section == "GEM":
            items.append(make_item(name, version, location=location, ecosystem="RubyGems"))
        elif section in _REASONS:  # PATH gems are the application's own code
            skipped.append(Skip(location, f"{name} ({version})", _REASONS[section]))
    return unique(items)
