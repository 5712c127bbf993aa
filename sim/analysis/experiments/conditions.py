"""Conditions over outcomes, e.g. ``alignment_security:JPN@end < 0.5 or trust:JPN:US@low < 0.25``.

The user's text is parsed by a small recursive-descent parser and evaluated on arrays; it is never
handed to Python's ``eval``. The grammar::

    condition  := term ("or" term)*
    term       := factor ("and" factor)*
    factor     := "not" factor | "(" condition ")" | comparison
    comparison := operand OP operand        OP: <  <=  >  >=  ==  !=
    operand    := NAME | `NAME` | NUMBER    (at least one side a NAME)

A NAME is an outcome name as in :mod:`sim.analysis.outcomes` (``MEASURE:ACTOR[:PARTNER]@WHEN``);
it may be written bare or between backticks, as in pandas' ``DataFrame.query``. A NUMBER is a
decimal such as ``0.5``, ``-1`` or ``2e-3``. Comparisons with a missing value are false.
"""

from __future__ import annotations

import difflib
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from sim.errors import UserError

GRAMMAR = ("comparisons NAME OP NUMBER (or NAME OP NAME) joined by and, or, not and parentheses; "
           "OP one of < <= > >= == !=; NAME an outcome such as alignment_security:JPN@end, bare "
           "or in backticks; e.g. \"alignment_security:JPN@end < 0.5 or "
           "(trust:JPN:US@low < 0.25 and not trust:JPN:US@end > 0.4)\"")

OPERATORS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "<=": operator.le, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
    "<": operator.lt, ">": operator.gt,
}
KEYWORDS = ("and", "or", "not")

# One alternative per token kind, tried in this order at each position.
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<quoted>`[^`]*`)
  | (?P<op><=|>=|==|!=|<|>)
  | (?P<paren>[()])
  | (?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w:@]))
  | (?P<word>[A-Za-z_][\w:@.\-]*)
""", re.VERBOSE)


@dataclass(frozen=True)
class Token:
    kind: str  # quoted, op, paren, number, word, end
    text: str
    column: int  # 1-based, in the user's text


@dataclass(frozen=True)
class Compare:
    left: str | float
    op: str
    right: str | float


@dataclass(frozen=True)
class Not:
    inner: Node


@dataclass(frozen=True)
class Join:
    op: str  # "and" or "or"
    parts: tuple[Node, ...]


Node = Compare | Not | Join


@dataclass(frozen=True)
class Condition:
    """A parsed condition: its text, its tree and the outcome names it reads."""

    text: str
    tree: Node

    @property
    def names(self) -> list[str]:
        return sorted(set(_names(self.tree)))

    def evaluate(self, columns: Mapping[str, np.ndarray]) -> np.ndarray:
        """Boolean array: the condition on each row of ``columns`` (outcome name -> values)."""
        return _evaluate(self.tree, columns)


def parse(text: str) -> Condition:
    """The condition in ``text``; a :class:`UserError` that points at the problem otherwise."""
    parser = _Parser(text, tokenize(text))
    tree = parser.condition()
    parser.expect_end()
    return Condition(text, tree)


def tokenize(text: str) -> list[Token]:
    tokens, at = [], 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:
            raise _error(text, at + 1, f"unexpected character {text[at]!r}")
        kind = match.lastgroup
        if kind != "space":
            tokens.append(Token(kind, match.group(), at + 1))
        at = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str, tokens: list[Token]):
        self.text, self.tokens, self.at = text, tokens, 0

    @property
    def next(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def keyword(self, word: str) -> bool:
        if self.next.kind == "word" and self.next.text.lower() == word:
            self.at += 1
            return True
        return False

    def condition(self) -> Node:
        parts = [self.term()]
        while self.keyword("or"):
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else Join("or", tuple(parts))

    def term(self) -> Node:
        parts = [self.factor()]
        while self.keyword("and"):
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else Join("and", tuple(parts))

    def factor(self) -> Node:
        if self.keyword("not"):
            return Not(self.factor())
        if self.next.text == "(":
            self.take()
            inner = self.condition()
            if self.next.text != ")":
                raise self.error("expected ')' to close the '(' before")
            self.take()
            return inner
        return self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        if self.next.kind != "op":
            raise self.error("expected a comparison operator (< <= > >= == !=)")
        op = self.take().text
        right = self.operand()
        if isinstance(left, float) and isinstance(right, float):
            raise self.error("a comparison needs an outcome name on one side", back=1)
        return Compare(left, op, right)

    def operand(self) -> str | float:
        token = self.next
        if token.kind == "number":
            self.take()
            return float(token.text)
        if token.kind == "quoted":
            self.take()
            name = token.text[1:-1].strip()
            if not name:
                raise self.error("empty name between backticks", back=1)
            return name
        if token.kind == "word" and token.text.lower() not in KEYWORDS:
            self.take()
            return token.text
        raise self.error("expected an outcome name or a number")

    def expect_end(self) -> None:
        if self.next.kind != "end":
            raise self.error("expected 'and', 'or' or the end of the condition")

    def error(self, message: str, back: int = 0) -> UserError:
        token = self.tokens[self.at - back]
        found = f"'{token.text}'" if token.kind != "end" else "the end"
        return _error(self.text, token.column, f"{message}, found {found}")


def _error(text: str, column: int, message: str) -> UserError:
    pointer = f"\n    {text}\n    {' ' * (column - 1)}^"
    return UserError(f"the condition does not parse: {message} at column {column}{pointer}",
                     where="--where", valid=GRAMMAR)


def _names(node: Node) -> Iterable[str]:
    if isinstance(node, Compare):
        yield from (side for side in (node.left, node.right) if isinstance(side, str))
    elif isinstance(node, Not):
        yield from _names(node.inner)
    else:
        for part in node.parts:
            yield from _names(part)


def _evaluate(node: Node, columns: Mapping[str, np.ndarray]) -> np.ndarray:
    if isinstance(node, Compare):
        left, right = (np.asarray(columns[s] if isinstance(s, str) else s, dtype=float)
                       for s in (node.left, node.right))
        with np.errstate(invalid="ignore"):
            return np.asarray(OPERATORS[node.op](left, right), dtype=bool)
    if isinstance(node, Not):
        return ~_evaluate(node.inner, columns)
    parts = [_evaluate(part, columns) for part in node.parts]
    combine = np.logical_and if node.op == "and" else np.logical_or
    return combine.reduce(parts)


def check_names(condition: Condition, available: Iterable[str]) -> None:
    """Refuse a condition that reads an outcome the table does not have, listing those it has."""
    available = sorted(set(available))
    for name in condition.names:
        if name not in available:
            close = difflib.get_close_matches(name, available, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise UserError(f"unknown outcome '{name}'{hint}", where="--where",
                            valid=_listing(available))


def _listing(names: list[str], most: int = 40) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")
