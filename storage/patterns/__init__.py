"""Patterns across cases: statistics of a search, similar cases, near-duplicates and the
timeline of events.
"""
