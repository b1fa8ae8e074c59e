"""Patrol's exceptions. Each carries the API error code and HTTP status;
one handler (`patrol.api.envelope`) turns them into the contract's envelope."""
from __future__ import annotations


class PatrolError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    @property
    def headers(self) -> dict[str, str]:
        """Headers the answer carries besides the envelope (Retry-After)."""
        return {}


class BadRequest(PatrolError):
    code = "bad_request"


class Unauthorized(PatrolError):
    code = "unauthorized"
    status = 401


class NotFound(PatrolError):
    code = "not_found"
    status = 404


class Conflict(PatrolError):
    code = "conflict"
    status = 409


class AlreadyExists(Conflict):
    code = "already_exists"


class AlreadyScanning(Conflict):
    code = "already_scanning"


class Invalid(PatrolError):
    """Validation failed; `fields` says why for each field."""

    code = "validation_failed"
    status = 422


class _WaitAndRetry(PatrolError):
    """An answer that tells the client when to try again."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class ServiceUnavailable(_WaitAndRetry):
    code = "unavailable"
    status = 503


class DatabaseUnavailable(ServiceUnavailable):
    code = "database_unavailable"


class TooManyRequests(_WaitAndRetry):
    code = "too_many_requests"
    status = 429
