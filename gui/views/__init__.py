"""Views of the results beside the case list, each its own dock."""
