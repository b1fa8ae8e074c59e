"""Scans: matching software against advisories, as background jobs."""
