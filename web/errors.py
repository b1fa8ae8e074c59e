"""Error pages for the web blueprint: friendly HTML, never a JSON envelope or a trace."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from patrol.errors import NotFound, PatrolError, ServiceUnavailable
from web.signin_limits import TooManyFailures

CSRF_MESSAGE = (
    "This form has expired, or it was not sent from a Patrol page. "
    "Go back, reload the page and try again."
)


def _page(status: int, title: str, message: str, **extra: object):
    return render_template("web/error.html", status=status, title=title, message=message, **extra), status


def csrf_failed(_exc: CSRFError):
    return _page(400, "Please try again", CSRF_MESSAGE)


def not_found(_exc: Exception):
    return _page(404, "Not found", "There is nothing here, or it belongs to another account.")


def too_many(exc: TooManyFailures):
    seconds = exc.retry_after_seconds()
    body, status = _page(429, "Too many attempts", exc.message, retry_in=seconds)
    return body, status, {"Retry-After": str(seconds)}


def patrol_error(exc: PatrolError):
    return (*_page(exc.status, "That did not work", exc.message), exc.headers)


def unavailable(exc: ServiceUnavailable):
    """A bare page: the page template would ask the database who is signed in, and it is away."""
    body = f"<!doctype html><title>Patrol is unavailable</title><h1>Patrol is unavailable</h1><p>{escape(exc.message)}</p>"  # noqa: E501
    return body, exc.status, {**exc.headers, "Content-Type": "text/html; charset=utf-8"}


def http_error(exc: HTTPException):
    return _page(exc.code or 500, exc.name, exc.description or exc.name)


def unexpected(_exc: Exception):
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return _page(500, "Something went wrong", "Something went wrong on our side. Please try again.")


def register(bp: Blueprint) -> None:
    bp.register_error_handler(CSRFError, csrf_failed)
    bp.register_error_handler(NotFound, not_found)
    bp.register_error_handler(404, not_found)
    bp.register_error_handler(TooManyFailures, too_many)
    bp.register_error_handler(ServiceUnavailable, unavailable)
    bp.register_error_handler(PatrolError, patrol_error)
    bp.register_error_handler(HTTPException, http_error)
    bp.register_error_handler(Exception, unexpected)
