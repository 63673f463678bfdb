"""Pure logic with no database, no interface and no knowledge of the other layers."""
