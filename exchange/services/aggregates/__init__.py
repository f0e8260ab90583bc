"""Figures kept beside the lines: each spend return's totals, the supplier quarter masks, re-
placing lines when the directory changes."""
