"""Local Government Transparency Code layout, with its header variants."""
