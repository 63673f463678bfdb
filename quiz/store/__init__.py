"""Storage: SQLAlchemy 2.0 typed models, engine and session setup, schema version checks."""
