"""PostgreSQL connection problems, met on the real server: one sentence with a next step,
exit code 1, no traceback, and never the password (not in the message, nor in --help)."""

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL

from quiz.cli import main
from quiz.errors import QuizError
from quiz.services.database import open_database
from quiz.store.postgres_errors import postgres_sentence
from tests.conftest import NOW, reset_postgres

SECRET = "hunter2-never-shown"


@pytest.fixture
def server(postgres_url: str) -> URL:
    """This run's test database, with a password added (the server trusts loopback, so
    the password is sent and ignored; it must still never be shown)."""
    return make_url(postgres_url).set(password=SECRET)


def run_cli(url: URL | str, capsys: pytest.CaptureFixture[str]) -> str:
    shown = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    assert main(["--db", shown, "db", "current"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    error = captured.err.strip()
    assert error.startswith("quiz: ") and "\n" not in error
    assert "Traceback" not in error and SECRET not in error
    return error


def test_a_server_that_is_not_running(server: URL, capsys: pytest.CaptureFixture[str]) -> None:
    error = run_cli(server.set(port=1), capsys)
    assert "cannot reach the PostgreSQL server at 127.0.0.1:1" in error
    assert "pg_isready -h 127.0.0.1 -p 1" in error


def test_a_database_that_does_not_exist(server: URL, capsys: pytest.CaptureFixture[str]) -> None:
    error = run_cli(server.set(database="quiz_no_such_db"), capsys)
    assert "has no database 'quiz_no_such_db'" in error
    assert "createdb" in error and "db upgrade" in error


def test_a_user_that_does_not_exist(server: URL, capsys: pytest.CaptureFixture[str]) -> None:
    error = run_cli(server.set(username="quiz_no_such_user"), capsys)
    assert "has no user 'quiz_no_such_user'" in error and "createuser" in error


@pytest.fixture
def limited_user(postgres_url: str) -> Iterator[str]:
    """A user of the server allowed one connection at a time."""
    name = f"quiz_limited_{os.getpid()}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP ROLE IF EXISTS {name}"))
        connection.execute(text(f"CREATE ROLE {name} LOGIN CONNECTION LIMIT 1"))
        connection.execute(text(f"GRANT ALL ON SCHEMA public TO {name}"))
    yield name
    with admin.connect() as connection:
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :n"),
            {"n": name},
        )
        connection.execute(text(f"REVOKE ALL ON SCHEMA public FROM {name}"))
        connection.execute(text(f"DROP ROLE {name}"))
    admin.dispose()


def test_too_many_connections(
    server: URL, limited_user: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.set(username=limited_user)
    holder = create_engine(url)
    with holder.connect():  # the one connection this user may have
        error = run_cli(url, capsys)
    holder.dispose()
    assert "has no free connection (too many clients)" in error
    assert "close some quiz tabs" in error


def test_the_connection_lost_mid_session_is_a_sentence(postgres_url: str) -> None:
    reset_postgres(postgres_url)
    database = open_database(postgres_url, NOW, import_builtin=False)
    try:
        with database.engine.connect() as connection:
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
            admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.dispose()
            with pytest.raises(QuizError, match="lost the connection to the PostgreSQL server"):
                connection.execute(text("SELECT 1"))
    finally:
        database.close()


def test_a_refused_password_is_a_sentence() -> None:
    """The server here trusts loopback connections, so it never refuses a password; this is
    the message psycopg gives when one does."""
    url = make_url(f"postgresql+psycopg://teacher:{SECRET}@db.school:5433/class")
    message = (
        'connection failed: connection to server at "10.0.0.5", port 5433 failed: FATAL:  '
        'password authentication failed for user "teacher"'
    )
    sentence = postgres_sentence(url, message)
    assert sentence is not None and SECRET not in sentence
    assert sentence.startswith("PostgreSQL at db.school:5433 refused the password for user")
    assert postgres_sentence(url, 'duplicate key value violates unique constraint "x"') is None


def test_help_never_shows_the_password_from_the_environment(server: URL) -> None:
    environment = {**os.environ, "QUIZ_DATABASE_URL": server.render_as_string(False)}
    for args in (["--help"], ["serve", "--help"], ["db", "--help"]):
        shown = subprocess.run(
            [sys.executable, "-m", "quiz", *args],
            capture_output=True,
            text=True,
            env=environment,
            timeout=60,
            check=True,
        )
        assert SECRET not in shown.stdout + shown.stderr
