"""Errors a user can act on: which file, where in it, what is wrong, and what would be valid."""

from __future__ import annotations


class UserError(Exception):
    """Bad input. The CLI prints it without a traceback and exits with code 2."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None,
                 line: int | None = None, column: int | None = None, valid: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.where = where
        self.line = line
        self.column = column
        self.valid = valid

    def __str__(self) -> str:
        place = [self.file] if self.file else []
        if self.line is not None:
            place.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        if self.where:
            place.append(f"at '{self.where}'")
        text = (", ".join(place) + ": " if place else "") + self.message
        if self.valid:
            text += f"\n  valid: {self.valid}"
        return text


class ScenarioError(UserError):
    """A scenario file cannot be read, parsed or validated."""


class OutputError(UserError):
    """An output folder exists already or cannot be written."""
