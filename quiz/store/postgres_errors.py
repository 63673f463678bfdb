"""PostgreSQL connection problems as one sentence with a next step.

The server down, a wrong password, a missing database or user, no free connection, the
connection lost mid-session: each becomes a `QuizError` naming the server (never the
password) and what to do. Registered on every PostgreSQL engine as a `handle_error` hook,
so it applies wherever the connection fails: opening, migrating, or any later query.
"""

from sqlalchemy.engine import URL, ExceptionContext

from quiz.errors import QuizError

_SERVER_DOWN = (
    "connection refused",
    "could not connect",
    "timeout expired",
    "no route to host",
    "could not translate host name",
    "name or service not known",
    "network is unreachable",
    "the database system is starting up",
    "the database system is shutting down",
)
_LOST = (
    "server closed the connection",
    "terminating connection",
    "consuming input failed",
    "connection is closed",
    "connection already closed",
    "lost synchronization",
    "ssl syscall error",
)
_TOO_MANY = (
    "too many clients",
    "too many connections",
    "remaining connection slots are reserved",
)


def _server(url: URL) -> str:
    return f"{url.host or 'localhost'}:{url.port or 5432}"


def postgres_sentence(url: URL, message: str) -> str | None:
    """The sentence for a connection problem reported as `message`, or None for any other
    error (a constraint, a bug in our SQL: those are not for a person to fix)."""
    text = message.lower()
    server = _server(url)
    user = url.username or "(your login name)"
    name = url.database or "(none given)"
    if "password authentication failed" in text or "no password supplied" in text:
        return (
            f"PostgreSQL at {server} refused the password for user {user!r}; check the "
            "password in --db or QUIZ_DATABASE_URL (or put it in ~/.pgpass)"
        )
    if "role" in text and "does not exist" in text:
        return (
            f"PostgreSQL at {server} has no user {user!r}; create it (createuser -h "
            f"{url.host or 'localhost'} -P {user}) or put an existing user in --db"
        )
    if "database" in text and "does not exist" in text:
        return (
            f"PostgreSQL at {server} has no database {name!r}; create it (createdb -h "
            f"{url.host or 'localhost'} -U {user} {name}), then run: quiz --db URL db upgrade"
        )
    if any(part in text for part in _TOO_MANY):
        return (
            f"PostgreSQL at {server} has no free connection (too many clients); close some "
            "quiz tabs or raise the server's max_connections (or the user's connection "
            "limit), then try again"
        )
    if any(part in text for part in _SERVER_DOWN):
        return (
            f"cannot reach the PostgreSQL server at {server}; check that it is running "
            f"(pg_isready -h {url.host or 'localhost'} -p {url.port or 5432}) and that --db "
            "names the right host and port"
        )
    if any(part in text for part in _LOST):
        return (
            f"lost the connection to the PostgreSQL server at {server}, so the last step was "
            "not saved; check that the server is running and try again"
        )
    return None


def plain_postgres_error(context: ExceptionContext) -> None:
    """Raise the sentence for a connection problem; leave any other error alone."""
    engine = context.engine
    if engine is None:
        return
    sentence = postgres_sentence(engine.url, str(context.original_exception))
    if sentence is not None:
        raise QuizError(sentence) from None
