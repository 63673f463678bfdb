"""Open an Anki package safely and read its collection, in either layout.

Current Anki writes `collection.anki21b` (a zstd-compressed SQLite file, schema 18), a
`meta` entry (protobuf) and a stub `collection.anki2` whose single note asks the user to
update Anki: that stub is never read when a newer collection is there. Older Anki and
genanki write `collection.anki21` or `collection.anki2` (schema 11, note types and decks as
JSON in the `col` row) with a JSON media map.

Nothing is extracted by the names inside the archive: the collection is copied, with a
size limit, to a file of our own naming in a temporary folder, so no entry can write
outside it; entries whose names would leave a folder make the package refused.
"""

import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

import zstandard

from quiz.interop.anki_proto import (
    PACKAGE_VERSION_LATEST,
    media_names,
    notetype_is_cloze,
    package_version,
)
from quiz.interop.model import FormatError

MAX_PACKAGE_BYTES = 1024 * 1024 * 1024  # media make packages big; we read only the collection
MAX_COLLECTION_BYTES = 512 * 1024 * 1024  # uncompressed
MAX_MEDIA_MAP_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed: far past what SQLite pages compress to
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")


@dataclass(frozen=True)
class NoteType:
    id: int
    name: str
    fields: list[str]
    cloze: bool


@dataclass(frozen=True)
class Note:
    id: int
    guid: str
    notetype_id: int
    tags: list[str]
    fields: list[str]
    deck_id: int | None  # the deck of its first card


@dataclass(frozen=True)
class Card:
    id: int
    note_id: int
    ord: int
    type: int
    queue: int
    due: int
    interval: int
    data: str


@dataclass(frozen=True)
class Review:
    """One row of Anki's review log."""

    id: int  # milliseconds since the epoch
    card_id: int
    ease: int  # 1 again .. 4 easy; 0 for a manual reschedule
    interval: int
    kind: int  # 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled
    duration_ms: int


@dataclass
class Collection:
    """What we read from an Anki collection."""

    layout: str  # which collection entry was read
    notetypes: dict[int, NoteType] = field(default_factory=dict)
    decks: dict[int, str] = field(default_factory=dict)  # id -> name, nested with ::
    notes: list[Note] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    collection_created: int = 0  # seconds since the epoch (the day count's origin)


def _copy_limited(source: IO[bytes], target: IO[bytes], limit: int, path: Path, entry: str) -> int:
    copied = 0
    while chunk := source.read(1 << 20):
        copied += len(chunk)
        if copied > limit:
            raise FormatError(
                path,
                entry,
                f"unpacks to more than {limit:,} bytes (a zip bomb or a damaged package); "
                "export the deck again from Anki",
            )
        target.write(chunk)
    return copied


def _check_entries(path: Path, archive: zipfile.ZipFile) -> None:
    for info in archive.infolist():
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or ":" in info.filename:
            raise FormatError(
                path,
                info.filename,
                "this entry's name leads out of the package's folder; the package is not "
                "safe to open, so nothing was imported",
            )
        if info.filename in (*COLLECTIONS, "media") and info.file_size > MAX_RATIO * max(
            info.compress_size, 1 << 16
        ):
            raise FormatError(
                path,
                info.filename,
                f"unpacks to {info.file_size:,} bytes from {info.compress_size:,} (a zip "
                "bomb?); nothing was imported",
            )


def _open_archive(path: Path) -> zipfile.ZipFile:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise FormatError(
            path, None, f"cannot read the file ({error.strerror}); check the path"
        ) from None
    if size > MAX_PACKAGE_BYTES:
        raise FormatError(path, None, f"the file is over {MAX_PACKAGE_BYTES:,} bytes; split it")
    if not zipfile.is_zipfile(path):
        raise FormatError(
            path,
            None,
            "not an Anki package (an .apkg is a zip file); export the deck from Anki with "
            "File > Export > Anki Deck Package",
        )
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise FormatError(
            path, None, f"the zip file is damaged ({error}); export it again"
        ) from None


@contextmanager
def open_package(path: Path) -> Iterator[Collection]:
    """The package's collection, read into memory; the temporary copy is removed after."""
    folder = Path(tempfile.mkdtemp(prefix="quiz-apkg-"))
    try:
        with _open_archive(path) as archive:
            _check_entries(path, archive)
            names = set(archive.namelist())
            layout = next((name for name in COLLECTIONS if name in names), None)
            if layout is None:
                raise FormatError(
                    path,
                    None,
                    "the zip holds no Anki collection (collection.anki21b, .anki21 or .anki2); "
                    "export the deck from Anki again",
                )
            current = layout == "collection.anki21b"
            if "meta" in names:
                version = _meta_version(path, archive)
                if version > PACKAGE_VERSION_LATEST:
                    raise FormatError(
                        path,
                        "meta",
                        "made by a newer Anki than this reader knows; export "
                        "it with 'Support older Anki versions' ticked",
                    )
            database = folder / "collection.sqlite"
            try:
                with archive.open(layout) as entry, open(database, "wb") as target:
                    source: IO[bytes] = (
                        zstandard.ZstdDecompressor().stream_reader(entry) if current else entry
                    )
                    _copy_limited(source, target, MAX_COLLECTION_BYTES, path, layout)
                media = _media(path, archive, current) if "media" in names else []
            except (zipfile.BadZipFile, zstandard.ZstdError, OSError, EOFError) as error:
                raise FormatError(
                    path, layout, f"cannot be unpacked ({error}); export it again"
                ) from None
        collection = read_collection(path, database, layout)
        collection.media = media
        yield collection
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _meta_version(path: Path, archive: zipfile.ZipFile) -> int:
    try:
        return package_version(archive.read("meta")[:4096])
    except Exception as error:  # protobuf's DecodeError, or a damaged entry
        raise FormatError(
            path, "meta", f"is not Anki package metadata ({error}); export again"
        ) from None


def _media(path: Path, archive: zipfile.ZipFile, current: bool) -> list[str]:
    """The names in the media map: zstd protobuf (current) or JSON {"0": "name"}."""
    with archive.open("media") as entry:
        raw = entry.read(MAX_MEDIA_MAP_BYTES + 1)
    if len(raw) > MAX_MEDIA_MAP_BYTES:
        raise FormatError(path, "media", "the media list is too big; export without media")
    try:
        if current:
            data = zstandard.ZstdDecompressor().decompress(raw, max_output_size=MAX_MEDIA_MAP_BYTES)
            return media_names(data) if data else []
        mapping = json.loads(raw or b"{}")
        return [str(name) for name in mapping.values()] if isinstance(mapping, dict) else []
    except Exception as error:  # zstd, protobuf or JSON: the map is damaged
        raise FormatError(path, "media", f"the media list cannot be read ({error})") from None


def _unicase(a: str, b: str) -> int:
    a, b = a.casefold(), b.casefold()
    return (a > b) - (a < b)


def read_collection(path: Path, database: Path, layout: str) -> Collection:
    """Read note types, decks, notes, cards and the review log from a collection file."""
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise FormatError(path, layout, f"is not a collection ({error})") from None
    connection.create_collation("unicase", _unicase)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if "notes" not in tables or "col" not in tables:
            raise FormatError(path, layout, "is not an Anki collection (no notes table)")
        collection = Collection(layout)
        if "notetypes" in tables:
            _schema18(connection, collection)
        else:
            _schema11(path, layout, connection, collection)
        collection.collection_created = int(
            connection.execute("SELECT crt FROM col").fetchone()[0] or 0
        )
        first_deck: dict[int, int] = {}
        for row in connection.execute(
            "SELECT id, nid, did, ord, type, queue, due, ivl, data FROM cards ORDER BY nid, ord"
        ):
            collection.cards.append(
                Card(row[0], row[1], row[3], row[4], row[5], row[6], row[7], row[8] or "")
            )
            first_deck.setdefault(row[1], row[2])
        for row in connection.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"):
            collection.notes.append(
                Note(
                    row[0],
                    row[1],
                    row[2],
                    row[3].split(),
                    row[4].split("\x1f"),
                    first_deck.get(row[0]),
                )
            )
        for row in connection.execute(
            "SELECT id, cid, ease, ivl, type, time FROM revlog ORDER BY id"
        ):
            collection.reviews.append(Review(*row))
        return collection
    except sqlite3.DatabaseError as error:
        raise FormatError(
            path, layout, f"is not a readable collection ({error}); export again"
        ) from None
    finally:
        connection.close()


def _schema18(connection: sqlite3.Connection, collection: Collection) -> None:
    fields: dict[int, list[str]] = {}
    for ntid, name in connection.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(name)
    for ntid, name, config in connection.execute("SELECT id, name, config FROM notetypes"):
        collection.notetypes[ntid] = NoteType(
            ntid, name, fields.get(ntid, []), notetype_is_cloze(config or b"")
        )
    for did, name in connection.execute("SELECT id, name FROM decks"):
        collection.decks[did] = name.replace("\x1f", "::")


def _schema11(
    path: Path, layout: str, connection: sqlite3.Connection, collection: Collection
) -> None:
    models_json, decks_json = connection.execute("SELECT models, decks FROM col").fetchone()
    try:
        models, decks = json.loads(models_json), json.loads(decks_json)
    except ValueError as error:
        raise FormatError(path, layout, f"its note types cannot be read ({error})") from None
    for key, model in models.items():
        names = [f["name"] for f in sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))]
        collection.notetypes[int(key)] = NoteType(
            int(key), str(model.get("name", key)), names, model.get("type") == 1
        )
    for key, deck in decks.items():
        collection.decks[int(key)] = str(deck.get("name", key))
