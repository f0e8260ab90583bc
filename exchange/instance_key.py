"""The instance's own secret key: random, made once, kept in a file only its owner can read.

A hub given no SECRET_KEY signs its sessions with this key, so no two hubs share one and nobody
knows it in advance (there is no development constant). It is written atomically: a new file is
linked into place, so two workers starting at once end up reading the same key."""

import os
import secrets
from pathlib import Path


def read(path: str | os.PathLike) -> str | None:
    """The key kept at ``path``, or None when there is none yet."""
    try:
        key = Path(path).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return key or None


def ensure(path: str | os.PathLike) -> tuple[str, bool]:
    """The key at ``path``, made first if missing: (key, whether it was made now)."""
    existing = read(path)
    if existing:
        return existing, False
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    draft = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        os.link(draft, target)  # fails if another process got there first: use its key
        made = True
    except FileExistsError:
        made = False
    finally:
        draft.unlink(missing_ok=True)
    return read(target), made
