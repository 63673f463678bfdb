"""Application settings: defaults, overridden by `QUIZ_*` environment variables and CLI flags."""

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from quiz.environment import ENV_PREFIX, database_url_from, default_database_url
from quiz.errors import QuizError


class Settings(BaseSettings):
    """Settings for one run of quiz. Environment variables use the prefix `QUIZ_`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", env_ignore_empty=True
    )

    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL of the database, or a path to a SQLite file.",
    )
    profile: str | None = Field(
        default=None, description="Learner profile to study as (created if missing)."
    )
    import_builtin_bank: bool = Field(
        default=True,
        description="Import the built-in question bank the first time a database is opened.",
    )

    def resolved_database_url(self) -> str:
        """The database URL with a bare path turned into a SQLite URL."""
        return database_url_from(self.database_url)


def read_settings() -> Settings:
    """The settings of this run; a `QUIZ_*` value of the wrong kind is one sentence."""
    try:
        return Settings()
    except ValidationError as error:
        problem = error.errors()[0]
        name = "QUIZ_" + "__".join(str(part) for part in problem["loc"]).upper()
        wanted = "true or false" if problem["type"].startswith("bool") else "a valid value"
        raise QuizError(
            f"{name} is {problem.get('input')!r}, which is not {wanted}; set it to {wanted} "
            "(or unset it)"
        ) from None
