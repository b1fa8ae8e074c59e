"""Jinja templates: Slack wording (slack/), bot answers (bot/) and web pages (web/).

Shipped as the package `patrol_templates` (see pyproject.toml) so that an
installed Patrol finds them with importlib.resources.
"""
