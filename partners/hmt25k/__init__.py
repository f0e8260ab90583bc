"""HM Treasury spend over £25,000 layout."""
