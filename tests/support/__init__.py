"""Helpers that tests share: local stand-ins for the services Patrol talks to."""
