"""OSV advisories: import, version order, range evaluation."""
