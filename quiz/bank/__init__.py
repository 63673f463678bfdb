"""Question-bank files: their schema, loading with located errors, and export formats."""
