"""Print, PDF and data export: one HTML renderer of a case for screen, print and PDF."""
