"""Build a YAML document's data and the line of every key and item from libyaml's events,
in one pass, for documents of plain data (mappings, sequences, text, booleans, nulls).

This is the fast path of the bank loader: composing PyYAML nodes, then constructing the
data, measuring its alias expansion and indexing its lines walk the document four times.
The result is exactly what that slower path gives (the same resolvers and constructors'
rules, the same line of every path). Whatever it does not handle — an anchor or alias, an
explicit tag, a merge key, a key that is a collection, a second document, more values or
deeper nesting than the limits allow, a syntax error — makes it answer None, and the
caller takes the full path, which reports those with its own messages.
"""

from typing import Any, Protocol

from yaml import YAMLError
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

Lines = dict[tuple[Any, ...], int]

_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


class _Unhandled(Exception):
    """The document needs the full path."""


class EventLoader(Protocol):
    """What is used of a PyYAML loader: its events and its resolver and constructor tables."""

    yaml_implicit_resolvers: dict[Any, list[tuple[str, Any]]]
    bool_values: dict[str, bool]

    def get_event(self) -> Any: ...


_NO_KEY = object()


def plain_document(
    loader: EventLoader, max_nodes: int, max_depth: int, with_lines: bool = True
) -> tuple[Any, Lines] | None:
    """The single document's data and lines (none `with_lines=False`: a valid file never
    needs them, and recording them is a third of the work), or None when it needs the
    full path."""
    try:
        return _build(loader, max_nodes, max_depth, with_lines)
    except (_Unhandled, YAMLError):
        return None


def _resolved(loader: EventLoader, value: str) -> Any:
    """A plain scalar that one of the loader's implicit resolvers may claim, as
    SafeConstructor builds it (text, a boolean or null)."""
    tag = _STR
    for resolved, regexp in loader.yaml_implicit_resolvers.get(value[:1], ()):
        if regexp.match(value):
            tag = resolved
            break
    if tag == _STR:
        return value
    if tag == _BOOL:
        return loader.bool_values[value.lower()]
    if tag == _NULL:
        return None
    raise _Unhandled  # a merge key, `=` or another tag: the full path knows them


def _build(
    loader: EventLoader, max_nodes: int, max_depth: int, with_lines: bool
) -> tuple[Any, Lines]:
    """One pass over the events, the open collection's state kept in local variables (this
    loop runs once per event, hundreds of thousands of times for a large bank)."""
    resolvers = loader.yaml_implicit_resolvers
    if resolvers.get(None):
        raise _Unhandled  # wildcard resolvers are not replicated here
    get_event = loader.get_event
    if type(get_event()) is not StreamStartEvent or type(get_event()) is not DocumentStartEvent:
        raise _Unhandled  # an empty stream
    lines: Lines = {}
    # The open collections, outermost first; the innermost one's state is in the locals:
    # its value, path, whether it is a mapping, and a mapping's key awaiting its value.
    stack: list[tuple[Any, tuple[Any, ...], bool, Any, tuple[Any, ...]]] = []
    container: Any = None
    path: tuple[Any, ...] = ()
    is_mapping = False
    key: Any = _NO_KEY
    key_path: tuple[Any, ...] = ()
    root: Any = None
    nodes = 0
    seen: dict[str, Any] = {}  # plain scalars a resolver may claim, as resolved
    while True:
        event: Any = get_event()  # an Event subclass: which one decides its attributes
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            container, path, is_mapping, key, key_path = stack.pop()
            continue
        if kind is DocumentEndEvent:
            break
        nodes += 1
        if nodes > max_nodes or len(stack) >= max_depth:
            raise _Unhandled
        if kind is AliasEvent or event.anchor is not None:
            raise _Unhandled  # the node path checks anchors (a duplicate is an error)
        if kind is ScalarEvent:
            if event.tag is not None and event.tag != "!":
                raise _Unhandled
            text = value = event.value
            if event.implicit[0] and text[:1] in resolvers:  # keys like `topic` repeat
                value = seen.get(text, _NO_KEY)
                if value is _NO_KEY:
                    value = seen[text] = _resolved(loader, text)
            if is_mapping and key is _NO_KEY:
                key = value
                if with_lines:
                    key_path = (*path, text)
                    lines[key_path] = event.start_mark.line + 1
                continue
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if (event.tag is not None and event.tag != "!") or (is_mapping and key is _NO_KEY):
                raise _Unhandled  # a tagged collection, or a collection as a key
            value = {} if kind is MappingStartEvent else []
        else:
            raise _Unhandled  # an event the composer would not expect here
        if container is None and not stack:
            node_path: tuple[Any, ...] = ()
            root = value
        elif is_mapping:
            node_path = key_path
            container[key] = value
            key = _NO_KEY
        else:
            node_path = (*path, len(container)) if with_lines else ()
            container.append(value)
        if with_lines:
            lines.setdefault(node_path, event.start_mark.line + 1)
        if kind is not ScalarEvent:
            stack.append((container, path, is_mapping, key, key_path))
            container, path, is_mapping = value, node_path, kind is MappingStartEvent
            key, key_path = _NO_KEY, ()
    if type(get_event()) is not StreamEndEvent:
        raise _Unhandled  # more than one document
    return root, lines
