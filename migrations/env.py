"""Alembic environment: runs migrations on the app's engine, or on the URL in alembic.ini.

Every upgrade runs in one transaction on SQLite and on PostgreSQL: the tables, the data
they are filled with and the revision recorded in alembic_version are committed together,
so a process killed part-way leaves the database exactly as it was before the upgrade
(or, for a new database, empty) and the next start simply tries again.
"""

from alembic import context
from sqlalchemy import Connection, Engine

from quiz.store.engine import make_engine
from quiz.store.models import Base

config = context.config
target_metadata = Base.metadata


def _migrate(connection: Connection, sqlite: bool) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
        transactional_ddl=True,
    )
    # The caller holds the transaction: Alembic sees it as external and leaves it alone.
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")


def _migrate_sqlite(connection: Connection) -> None:
    # Batch migrations copy and drop tables: with foreign keys on, dropping a parent
    # table would cascade-delete its children's rows. Checked again before committing.
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    # Python's sqlite3 commits before every CREATE/ALTER/DROP on its own, which would
    # record half an upgrade. With the driver's own transaction handling off, one
    # explicit BEGIN IMMEDIATE covers every statement until the single COMMIT.
    driver = connection.connection.driver_connection
    assert driver is not None
    previous = driver.isolation_level
    driver.isolation_level = None
    try:
        with connection.begin():
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            _migrate(connection, sqlite=True)
    finally:
        driver.isolation_level = previous
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def run_migrations_online() -> None:
    engine: Engine = config.attributes.get("engine") or make_engine(
        config.get_main_option("sqlalchemy.url") or ""
    )
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            _migrate_sqlite(connection)
        else:
            with connection.begin():
                _migrate(connection, sqlite=False)


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run them on a database")
run_migrations_online()
