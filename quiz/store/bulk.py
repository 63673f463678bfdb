"""Run one Core statement with many rows through the driver's executemany, the values
converted column by column: for ten thousand rows SQLAlchemy's own executemany spends
more time building each row's parameters (a bind processor call per value, a dict per
row) than the database spends on the rows."""

from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import JSON, Connection
from sqlalchemy.sql.dml import UpdateBase

from quiz.store.prepared import plan

_NOTHING = object()


def execute_many(
    connection: Connection,
    statement: UpdateBase,
    rows: Sequence[dict[str, Any]],
    as_text: Collection[str] = (),
) -> None:
    """`connection.execute(statement, rows)`, converting each value with its type's bind
    processor for this dialect as SQLAlchemy would (once per run of one value, e.g. the
    import's time), but for the JSON parameters named in `as_text`, given already
    serialised. Every row has the same keys, and every parameter of the statement is one
    of them: a column with a Python-side default left out is an error here (this does
    not compute defaults), never silently skipped."""
    if not rows:
        return
    prepared = plan(statement, connection.dialect, list(rows[0]))
    columns = []
    for name, kind, process in zip(
        prepared.names, prepared.types, prepared.processors, strict=True
    ):
        try:
            values = [row[name] for row in rows]
        except KeyError:
            raise ValueError(f"no value given for the parameter {name!r}") from None
        if name in as_text:
            if not isinstance(kind, JSON):
                raise ValueError(f"{name!r} is not a JSON parameter: it has no JSON text")
            process = None  # the dialects take JSON as its text (PostgreSQL casts it)
        columns.append(values if process is None else _converted(values, process))
    parameters: list[Any] = (
        list(zip(*columns, strict=True))
        if prepared.positional
        else [
            dict(zip(prepared.rendered, values, strict=True))
            for values in zip(*columns, strict=True)
        ]
    )
    connection.exec_driver_sql(prepared.sql, parameters)


def _converted(values: list[Any], process: Callable[[Any], Any]) -> list[Any]:
    """`process` of each value, called once for a run of the same object."""
    out = []
    last: Any = _NOTHING
    result = None
    for value in values:
        if value is not last:
            last, result = value, process(value)
        out.append(result)
    return out
