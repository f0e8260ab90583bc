"""The hub's own return template (CSV, XLSX, JSON)."""
