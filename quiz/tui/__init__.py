"""The Textual user interface. It calls services only; it never touches the store directly."""
