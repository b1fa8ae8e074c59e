"""Servers' software: what collectors push, and what a scan reads."""
