"""Readers that turn CSV, XLSX or JSON bytes into records: lists of cell strings."""
