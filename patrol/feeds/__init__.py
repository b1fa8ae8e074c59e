"""Feeds Patrol follows on a schedule: downloading them (`fetch`) and
remembering, per feed, what is held and when to look again (`state`).

OSV advisories are the first feed; others (exploited-vulnerability lists,
exploit scores) reuse both modules.
"""
