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


class ScenarioErrors(ScenarioError):
    """Several independent problems found in one scenario, file by file, each file's in line order.

    Its own fields are the first problem's, so code that reports one error still can; ``errors``
    holds them all. Printed, each problem is a line of its own after ``error: ``.
    """

    def __init__(self, errors: list[ScenarioError]):
        first = errors[0]
        super().__init__(first.message, file=first.file, where=first.where, line=first.line,
                         column=first.column, valid=first.valid)
        self.errors = errors

    @staticmethod
    def of(errors: list[ScenarioError]) -> ScenarioError:
        """One error as itself, several as a group in file and line order, without repeats."""
        files = list(dict.fromkeys(e.file for e in errors))
        unique = list({str(e): e for e in errors}.values())
        unique.sort(key=lambda e: (files.index(e.file), e.line or 0, e.column or 0))
        return unique[0] if len(unique) == 1 else ScenarioErrors(unique)

    def __str__(self) -> str:
        return "\nerror: ".join(ScenarioError.__str__(e) for e in self.errors)


def problems(exc: UserError) -> list[UserError]:
    """Every problem an error stands for: itself, or each of a group."""
    return list(getattr(exc, "errors", [exc]))
