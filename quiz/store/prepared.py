"""Statements of the answer path, compiled once per dialect and run on the driver's cursor.

`connection.execute` costs some 40 µs a statement in SQLAlchemy's Python (an execution
context, the cache lookup, the result's metadata), several times what SQLite takes to run
the statement itself. A `Prepared` statement keeps its SQL, the order of its parameters
and each value's conversion (bind and result processors, exactly those SQLAlchemy uses for
the statement's types), and runs on the cursor of the same connection, inside the
caller's transaction. A driver error goes through SQLAlchemy's own handling, so the
engine's `handle_error` listeners (quiz.store.engine) still turn faults into sentences,
and listeners of cursor execution are told of each statement, as by `connection.execute`
(the bench counts at the driver instead: a listener slows what it measures)."""

from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase

Processor = Callable[[Any], Any] | None


@dataclass
class Plan:
    """A statement compiled for one dialect: its SQL, the parameters in the order the
    driver takes them (their names as rendered, when named), the conversion of each, the
    values the statement carries itself, and its result columns with their conversions."""

    sql: str
    names: tuple[str, ...]
    rendered: tuple[str, ...]
    positional: bool
    types: tuple[Any, ...]  # of the parameters
    processors: tuple[Processor, ...]
    carried: Mapping[str, Any]
    row: Any  # a namedtuple class of the result columns (None: no result)
    result_types: tuple[Any, ...]
    dialect: Dialect
    # (index, processor) of the result columns converted; known at the first result, as
    # a processor may depend on the driver's type code for the column (PostgreSQL's floats)
    results: tuple[tuple[int, Callable[[Any], Any]], ...] | None = None

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """The driver's parameters for these values (converted as SQLAlchemy would)."""
        converted = []
        for name, process in zip(self.names, self.processors, strict=True):
            value = values[name] if name in values else self.carried[name]
            converted.append(value if process is None else process(value))
        if self.positional:
            return converted
        return dict(zip(self.rendered, converted, strict=True))

    def result_processors(self, description: Sequence[Sequence[Any]]) -> None:
        """Learn each result column's conversion from the cursor's first description."""
        processors = (
            kind.dialect_impl(self.dialect).result_processor(self.dialect, column[1])
            for kind, column in zip(self.result_types, description, strict=True)
        )
        self.results = tuple(
            (index, process) for index, process in enumerate(processors) if process
        )

    def make_row(self, raw: Sequence[Any]) -> Any:
        if not self.results:
            return self.row._make(raw)
        values = list(raw)
        for index, process in self.results:
            values[index] = process(values[index])
        return self.row._make(values)


def plan(statement: ClauseElement, dialect: Dialect, keys: Sequence[str] | None = None) -> Plan:
    """Compile `statement` for `dialect` (an INSERT or UPDATE for the column `keys` given);
    refused when a parameter is rendered at execution (an IN list) or has a value computed
    at execution (a column default): those need `connection.execute`."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys else None)
    assert isinstance(compiled, SQLCompiler)
    if compiled.post_compile_params or compiled.literal_execute_params:
        raise ValueError("parameters rendered at execution (an IN list): use connection.execute")
    defaulted = [*compiled.insert_prefetch, *compiled.update_prefetch]
    if defaulted:
        raise ValueError(
            f"no value given for the parameter {defaulted[0].key!r} (it has a default)"
        )
    names = tuple(compiled.positiontup or ()) if compiled.positional else tuple(compiled.binds)
    binds = compiled.binds
    types = tuple(binds[name].type for name in names)
    processors = tuple(kind.dialect_impl(dialect).bind_processor(dialect) for kind in types)
    carried = {name: bind.effective_value for name, bind in binds.items() if not bind.required}
    columns = compiled._result_columns  # (key, name, objects, type) of each result column
    row = namedtuple("Row", [column[0] for column in columns], rename=True) if columns else None
    return Plan(
        compiled.string,
        names,
        tuple(compiled.escaped_bind_names.get(name, name) for name in names),
        compiled.positional,
        types,
        processors,
        carried,
        row,
        tuple(column[3] for column in columns),
        dialect,
    )


class Prepared:
    """A Core statement run on the driver's cursor, compiled at its first use on a dialect
    (an INSERT or UPDATE for the columns its values name, as `execute_many` does)."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._dml = isinstance(statement, UpdateBase)  # compiled for the columns given
        self._plans: dict[tuple[type[Dialect], tuple[str, ...]], Plan] = {}

    def plan_for(self, dialect: Dialect, values: Mapping[str, Any]) -> Plan:
        """The plan for this dialect (and, an INSERT or UPDATE, for the keys of `values`)."""
        keys = tuple(values) if self._dml else ()
        found = self._plans.get((type(dialect), keys))
        if found is None:
            found = self._plans[(type(dialect), keys)] = plan(self.statement, dialect, keys)
        return found

    def _execute(self, connection: Connection, values: Mapping[str, Any]) -> tuple[Plan, Any]:
        """Run the statement; its plan and the open cursor."""
        prepared = self.plan_for(connection.dialect, values)
        parameters = prepared.parameters(values)
        if not connection.in_transaction():
            connection.begin()  # as `connection.execute` begins one when none is
        cursor = connection.connection.cursor()
        sql = prepared.sql
        listened = (
            connection.dispatch.before_cursor_execute or connection.dispatch.after_cursor_execute
        )
        if listened:  # as connection.execute tells its listeners (tests count statements)
            for listener in connection.dispatch.before_cursor_execute:
                sql, parameters = listener(connection, cursor, sql, parameters, None, False)
        try:
            cursor.execute(sql, parameters)
        except Exception as error:
            connection._handle_dbapi_exception(error, sql, parameters, cursor, None)
        if listened:
            connection.dispatch.after_cursor_execute(
                connection, cursor, sql, parameters, None, False
            )
        if prepared.results is None and prepared.row is not None:
            prepared.result_processors(cursor.description)
        return prepared, cursor

    @contextmanager
    def rows(self, connection: Connection, values: Mapping[str, Any]) -> Iterator[Iterator[Any]]:
        """The result rows, read as they are iterated; the cursor closes on leaving."""
        prepared, cursor = self._execute(connection, values)
        try:
            yield (prepared.make_row(raw) for raw in _fetched(connection, prepared, cursor))
        finally:
            cursor.close()

    def first(self, connection: Connection, values: Mapping[str, Any]) -> Any | None:
        """The first result row (None when there is none)."""
        prepared, cursor = self._execute(connection, values)
        try:
            raw = _fetch(connection, prepared, cursor.fetchone)
        finally:
            cursor.close()
        return None if raw is None else prepared.make_row(raw)

    def one(self, connection: Connection, values: Mapping[str, Any]) -> Any:
        """The first result row, which must be there (an INSERT's RETURNING)."""
        row = self.first(connection, values)
        if row is None:
            raise LookupError("the statement returned no row")
        return row

    def all(self, connection: Connection, values: Mapping[str, Any]) -> list[Any]:
        """Every result row."""
        prepared, cursor = self._execute(connection, values)
        try:
            raws = _fetch(connection, prepared, cursor.fetchall)
        finally:
            cursor.close()
        return [prepared.make_row(raw) for raw in raws]

    def run(self, connection: Connection, values: Mapping[str, Any]) -> None:
        """Run a statement whose result (if any) is not wanted."""
        _, cursor = self._execute(connection, values)
        cursor.close()


def _fetch(connection: Connection, prepared: Plan, fetch: Callable[[], Any]) -> Any:
    try:
        return fetch()
    except Exception as error:
        connection._handle_dbapi_exception(error, prepared.sql, None, None, None)


def _fetched(connection: Connection, prepared: Plan, cursor: Any) -> Iterator[Sequence[Any]]:
    while (raw := _fetch(connection, prepared, cursor.fetchone)) is not None:
        yield raw
