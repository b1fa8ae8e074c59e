"""Which packages the distribution holds (everything else is in pyproject.toml).

The found code packages, plus the top-level templates/ folder shipped as the
package `patrol_templates` (mapped in pyproject.toml's package-dir):
pyproject.toml alone cannot list found packages and a renamed folder together.
"""
from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["patrol*", "slackkit*", "webhooks*", "bot*", "web*"]), "patrol_templates"])
