"""Per-app plumbing the routes and commands share: a fresh unit of work on the app's database."""

from flask import current_app

from exchange.unit_of_work import UnitOfWork


def get_uow() -> UnitOfWork:
    """A new unit of work for this app's database; the caller enters it (``with uow:``)."""
    return UnitOfWork(current_app.extensions["exchange"]["sessions"])


def get_engine():
    return current_app.extensions["exchange"]["engine"]


def get_read_limits():
    """How big a partner file's parts may be, from this app's settings (MAX_COLUMNS …)."""
    from partners.limits import ReadLimits

    return ReadLimits.from_config(current_app.config)


def get_blobs():
    """The blob store BLOB_STORE chooses: the database's (shared by every server) or BLOB_DIR."""
    from exchange.blobs import open_store

    return open_store(current_app.config, get_engine())
