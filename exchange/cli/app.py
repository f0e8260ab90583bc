"""The app a hub command runs in: the whole app, or for a command that serves no request and
should start quickly (`with_core_app`), the app without its web parts."""

import functools

import click
from flask import Flask
from flask.cli import ScriptInfo, with_appcontext

from exchange import create_app

_WEB = "web"  # ScriptInfo.data: whether the command's app serves requests


def create_command_app() -> Flask:
    """The app of the command being run (`hub`'s factory)."""
    info = click.get_current_context().find_object(ScriptInfo)
    return create_app(web=info.data.get(_WEB, True) if info is not None else True)


def with_core_app(command):
    """Flask's `with_appcontext`, in the app without the API, pages and OAuth server: they
    took 0.25 s of every `hub ingest` to import and register, and serve no request there.
    (A runner that gives its own app, as the tests' does, gives that one.)"""

    @click.pass_context
    def in_core_app(ctx: click.Context, *args, **kwargs):
        ctx.ensure_object(ScriptInfo).data[_WEB] = False
        return ctx.invoke(with_appcontext(command), *args, **kwargs)

    return functools.update_wrapper(in_core_app, command)
