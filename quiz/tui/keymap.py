"""The user's keymap file: binding ids mapped to the keys that should run them.

    # ~/.config/quiz/keymap.yaml (platformdirs' user config dir)
    home.study_all: A
    review.again: "1,j"

Each binding of the app has an id (`?` shows the keys; the README lists the ids). The file
is read once at start; Textual's `App.set_keymap` replaces each listed binding's keys.
It is read before the first frame: YAML's parser is imported only when there is a file."""

from pathlib import Path

from platformdirs import user_config_path

KEYMAP_FILE = "keymap.yaml"


def keymap_path() -> Path:
    """Where the keymap file is looked for (it need not exist)."""
    return user_config_path("quiz", appauthor=False) / KEYMAP_FILE


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], str | None]:
    """The keymap in `path` (default: keymap_path()) and a sentence saying what was wrong
    with the file, if anything. A missing file is an empty keymap; a broken one is ignored
    whole (the default keys stay) rather than half applied."""
    path = keymap_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as error:
        return {}, f"The keymap {path} could not be read ({error}); the default keys are used."
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        return {}, f"The keymap {path} is not valid YAML{line}; fix it to use your keys."
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, (
            f"The keymap {path} should map binding ids to keys, like `home.study_all: A`; "
            "the default keys are used."
        )
    keymap: dict[str, str] = {}
    bad: list[str] = []
    for binding_id, keys in data.items():
        if isinstance(keys, int) and not isinstance(keys, bool):
            keys = str(keys)
        if not isinstance(binding_id, str) or not isinstance(keys, str) or not keys.strip():
            bad.append(str(binding_id))
            continue
        keymap[binding_id] = ",".join(key.strip() for key in keys.split(",") if key.strip())
    if bad:
        return keymap, (
            f"The keymap {path} gives no key for {', '.join(bad)}; "
            "write each as `binding.id: key` (several keys separated by commas)."
        )
    return keymap, None
