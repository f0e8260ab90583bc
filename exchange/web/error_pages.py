"""Errors of the pages as pages: a person at a browser gets the site's layout, not the API's JSON.

Registered on each page blueprint (``use_error_pages(blp)``), so the API keeps its JSON errors."""

from flask import Blueprint, current_app, render_template
from werkzeug.exceptions import HTTPException

TITLES = {
    403: ("You cannot see this page", "Your account does not have the role this page needs. "
          "Ask your organisation's administrator if you should have it."),
    404: ("Page not found", "There is nothing at this address, or it is not yours to see. "
          "Check the address, or go back to your home page."),
    405: ("Page not found", "This page cannot be used that way."),
    413: ("The file is too large", "The hub accepts files up to {limit} MB. Split the return "
          "or save it as CSV, which is smaller than Excel."),
}


def use_error_pages(blp: Blueprint) -> None:
    for status in TITLES:
        blp.register_error_handler(status, error_page)


def error_page(err: HTTPException):
    status = err.code or 500
    title, text = TITLES[status]
    limit = current_app.config.get("MAX_CONTENT_LENGTH", 0) // (1024 * 1024)
    return render_template("pages/errors/error.html", title=title,
                           text=text.format(limit=limit)), status
