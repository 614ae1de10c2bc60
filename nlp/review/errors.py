"""The errors the review store raises; each message is one plain sentence for a person."""

from __future__ import annotations


class ReviewError(Exception):
    """Base class of everything the review store refuses to do."""


class SchemaError(ReviewError):
    """The database's schema is not one this code can use."""


class NotFoundError(ReviewError, LookupError):
    """No such item or user."""


class LeaseError(ReviewError):
    """The actor does not hold a live lease on the item."""


class StateError(ReviewError):
    """The item is not in a state that allows the action."""


class ValidationError(ReviewError, ValueError):
    """An argument is malformed: unknown codes, a missing reason, a weak password."""


class PermissionDeniedError(ReviewError):
    """The actor is unknown, inactive, or lacks the role for the action."""
