"""The Textual application and its factories, used by the CLI and by the tests.

Start-up paints first, then fills in: the first frame (home's layout, key hints) needs only
Textual; the CLI hands the app an opener that reads the settings and opens the database in
a worker after that frame, and only then are the store, SQLAlchemy and the services
imported (tests/test_startup.py lists what is imported before the first frame)."""

import asyncio
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from quiz.errors import QuizError
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext, system_clock
from quiz.tui.screens.confirm import ConfirmScreen
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from quiz.services.auth import Teacher
    from quiz.services.database import Database
    from quiz.services.profiles import ProfileInfo

# Opens the database named by the settings (blocking; run after the first frame): the
# database and the profile the settings name (None: ask, or the last one used).
Opener = Callable[[], "tuple[Database, str | None]"]

QUIT_QUESTION = "Quit quiz?"
QUIT_DETAIL = "Ctrl+Q quits from any screen; q goes back everywhere else."


class QuizApp(App[None]):
    """The quiz app: asks who is studying (unless it knows), then shows the home screen."""

    TITLE = "quiz"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "back", "Back (home: quit)", show=False, id="app.back"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
        # shown in the footer only where a text box takes `?`:
        Binding("f1", "help", "Help", id="app.help_f1"),
        Binding("j", "cursor(1)", "Down", show=False, id="app.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="app.up"),
    ]

    def __init__(
        self,
        database: "Database | Opener",
        profile_name: str | None = None,
        clock: Callable[[], datetime] | None = None,
        seed: int | None = None,
        keymap: Mapping[str, str] | None = None,
        keymap_problem: str | None = None,
        ask_profile: bool = False,
    ) -> None:
        super().__init__()
        self.ask_profile = ask_profile  # served: each tab asks, never the last profile
        if keymap:
            self.set_keymap(dict(keymap))
        self.keymap_problem = keymap_problem
        self.opener = database if callable(database) else None
        self.profile_name = profile_name
        if profile_name:
            self.sub_title = profile_name  # in the first frame already
        opened = None if callable(database) else database
        self.context = StudyContext(opened, clock or system_clock, seed)
        self.home = HomeScreen(self.context)
        self.theme_writes = asyncio.Lock()  # a profile's themes are stored in turn
        self.startup_error: QuizError | None = None  # why the database did not open

    @property
    def database(self) -> "Database":
        return self.context.database

    async def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.keymap_problem:
            self.notify(self.keymap_problem, severity="warning", timeout=10)
        self.push_screen(self.home)
        if self.opener is None:
            await self._choose_profile()
        # else: once home's first frame is painted (`on_home_screen_painted`)

    def on_home_screen_painted(self) -> None:
        """The first frame is on the screen: now open the database and the profile."""
        if self.opener is not None and self.context.opened is None:
            self.run_worker(self._open_then_choose(self.opener), group="startup")

    async def _open_then_choose(self, opener: Opener) -> None:
        if await self._open_database(opener):
            await self._choose_profile()

    async def _choose_profile(self) -> None:
        """Open the profile named (--profile, QUIZ_PROFILE), else the last one used, else
        ask who is studying."""
        from quiz.services.profiles import last_profile

        name = self.profile_name
        if name is None and not self.ask_profile:
            last = await background(self, last_profile, self.database)
            name = None if isinstance(last, Failed) else last
        if name is not None:
            await self.open_profile(name)
        else:
            from quiz.tui.screens.profile import ProfileScreen

            self.push_screen(ProfileScreen(self.context, first=True), self._profile_chosen)

    async def _open_database(self, opener: Opener) -> bool:
        """Open the database after the first frame (home shows "loading" meanwhile). When it
        cannot be opened, the app exits and the CLI prints why (`startup_error`)."""
        opened = await background(self, _open_and_warm, opener, quiet=True)
        if isinstance(opened, Failed):
            self.startup_error = opened.error
            self.exit(return_code=1)
            return False
        database, named = opened
        self.context.opened = database
        if self.profile_name is None:
            self.profile_name = named
        if database.backup is not None:
            self.notify(f"Backed up the database to {database.backup} before upgrading it.")
        return True

    async def open_profile(self, name: str) -> None:
        """Make `name` the current profile (created if new), remember it, apply its theme.
        A teacher's profile opens only with its PIN; until then nothing changes."""
        from quiz.services.profiles import get_or_create_profile

        profile = await background(
            self, get_or_create_profile, self.database, name, self.context.now()
        )
        if isinstance(profile, Failed):
            if profile.error is not None:  # shown; choose another name
                from quiz.tui.screens.profile import ProfileScreen

                self.push_screen(
                    ProfileScreen(self.context, first=self.context.profile is None),
                    self._profile_chosen,
                )
            return
        if profile.is_teacher:
            teacher = self.context.teacher
            if teacher is None or teacher.profile_id != profile.id:
                from quiz.tui.screens.pin import PinScreen

                self.push_screen(
                    PinScreen(self.context, profile.name),
                    partial(self._pin_checked, profile),
                )
                return
        else:
            self.context.teacher = None
        await self._profile_opened(profile)

    async def _pin_checked(self, profile: "ProfileInfo", teacher: "Teacher | None") -> None:
        """The PIN screen closed: open the teacher's profile, or choose another one."""
        from quiz.tui.screens.profile import ProfileScreen

        if teacher is None:
            self.push_screen(
                ProfileScreen(self.context, first=self.context.profile is None),
                self._profile_chosen,
            )
            return
        self.context.teacher = teacher
        await self._profile_opened(profile)

    async def _profile_opened(self, profile: "ProfileInfo") -> None:
        from quiz.services.profiles import remember_profile

        # Not remembered (a notification says why) is no reason not to open it.
        await background(self, remember_profile, self.database, profile.name)
        self.context.profile = profile
        self.sub_title = profile.name
        if profile.theme and profile.theme in self.available_themes:
            self.theme = profile.theme
        self.home.profile_changed()

    async def _profile_chosen(self, name: str | None) -> None:
        if name is not None:
            await self.open_profile(name)

    def action_switch_profile(self) -> None:
        """Choose another profile, or create one."""
        from quiz.tui.screens.profile import ProfileScreen

        self.push_screen(ProfileScreen(self.context), self._profile_chosen)

    def _remember_theme(self, theme: Theme) -> None:
        profile = self.context.profile
        if profile is not None and profile.theme != theme.name:
            self._store_theme(profile.id, theme.name)

    @work(group="theme")
    async def _store_theme(self, profile_id: int, theme: str) -> None:
        """Store the theme chosen for this profile (the writes keep the order chosen)."""
        from quiz.services.profiles import update_profile_settings

        async with self.theme_writes:
            stored = await background(
                self, update_profile_settings, self.database, profile_id, theme=theme
            )
        current = self.context.profile
        if not isinstance(stored, Failed) and current is not None and current.id == stored.id:
            self.context.profile = stored

    async def action_back(self) -> None:
        """`q`: what Esc does on this screen (back, cancel, close); on home, quit after asking."""
        screen = self.screen
        if isinstance(screen, HomeScreen):
            self.push_screen(ConfirmScreen("Quit quiz?", QUIT_DETAIL), self._quit_confirmed)
            return
        active = screen.active_bindings.get("escape")
        if active is not None and active.enabled:
            await self.run_action(active.binding.action, active.node)

    async def action_quit(self) -> None:
        """Ctrl+Q: quit from anywhere; asks first while an answer is in progress."""
        if isinstance(self.screen, ConfirmScreen) and self.screen.question == QUIT_QUESTION:
            self.exit()  # Ctrl+Q twice
            return
        reason = self._in_progress()
        if reason is None:
            self.exit()
        else:
            self.push_screen(ConfirmScreen(QUIT_QUESTION, reason), self._quit_confirmed)

    def _quit_confirmed(self, yes: bool | None) -> None:
        if yes:
            self.exit()

    def _in_progress(self) -> str | None:
        """Why quitting now would lose something, or None."""
        from quiz.tui.screens import attempt, review

        for screen in self.screen_stack:
            if isinstance(screen, review.ReviewScreen) and screen.phase is review.Phase.ASKING:
                return "The card on screen is not checked yet (checked answers are all saved)."
            if isinstance(screen, attempt.AttemptScreen) and screen.phase is not attempt.Phase.DONE:
                return (
                    "Your answers so far are saved, but the paper is not submitted "
                    "and its time keeps running."
                )
        return None

    def action_cursor(self, step: int) -> None:
        """`j`/`k`: move the cursor of the focused list or table down/up."""
        name = "action_cursor_down" if step > 0 else "action_cursor_up"
        move = getattr(self.focused, name, None)
        if callable(move):
            move()

    def action_help(self) -> None:
        """Show every key of the current screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every key binding of the screen is also a command in the palette."""
        yield from super().get_system_commands(screen)
        seen = {"quit", "app.quit", "app.change_theme"}
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.description and binding.action not in seen and active.enabled:
                seen.add(binding.action)
                yield SystemCommand(
                    binding.description,
                    binding.tooltip or f"key: {binding.key_display or binding.key}",
                    partial(self.run_action, binding.action, active.node),
                )


def _open_and_warm(opener: Opener) -> "tuple[Database, str | None]":
    """Open the database, and import what home's counts need while still in the worker."""
    opened = opener()
    import quiz.tui.screens.home_data  # noqa: F401

    return opened


def make_app(
    database: "Database",
    profile_name: str | None = None,
    clock: Callable[[], datetime] | None = None,
    seed: int | None = None,
    keymap: Mapping[str, str] | None = None,
    keymap_problem: str | None = None,
    ask_profile: bool = False,
) -> QuizApp:
    """Build the app for an open database (the CLI and the tests both use this).

    With `profile_name` that profile is used (created if missing) and nobody is asked;
    otherwise the last profile, or the profile screen on first start. `clock` gives the
    current time (default: the system clock, UTC); `seed` fixes option shuffling.
    `keymap` maps binding ids to keys (quiz.tui.keymap); `keymap_problem` is shown once.
    `ask_profile` (a tab of `quiz serve`) asks who is studying even when a profile was used
    before."""
    return QuizApp(database, profile_name, clock, seed, keymap, keymap_problem, ask_profile)


def make_opening_app(
    opener: Opener,
    profile_name: str | None = None,
    keymap: Mapping[str, str] | None = None,
    keymap_problem: str | None = None,
    ask_profile: bool = False,
) -> QuizApp:
    """Build the app that paints first and then opens the database with `opener` (the
    CLI's way: start-up costs no more than a bare Textual app until the first frame)."""
    return QuizApp(
        opener, profile_name, keymap=keymap, keymap_problem=keymap_problem, ask_profile=ask_profile
    )
