"""Pure logic (no database, no UI): answer grading and the like."""
