"""The views of patterns across cases: statistics of a search, similar cases, possible duplicates."""
