"""Reading summary files: finding them, decoding their bytes, and reading each into a case
record (fields, dates, findings with their evidence, the chronology, a MinHash signature).
Knows nothing of the library.
"""
