"""Searching the library: the search language, full-text queries, filters, facets and sort
orders over an in-memory column store.
"""
