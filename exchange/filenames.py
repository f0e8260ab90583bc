"""File names as the hub gives them back in Content-Disposition: the uploader's name, cleaned."""

import unicodedata

MAX_LENGTH = 150


def download_name(name: str | None, fallback: str) -> str:
    """The last part of ``name`` (no folders, no ``..``), without control characters, at most
    MAX_LENGTH characters; ``fallback`` when nothing is left."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in base if not unicodedata.category(c).startswith("C"))
    kept = kept.strip(" .")
    return kept[-MAX_LENGTH:] or fallback
