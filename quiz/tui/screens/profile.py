"""Who is studying? Choose a profile from the list or create one by typing a name."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from quiz.services.profiles import ProfileInfo, list_profiles
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext

NAME_LIMIT = 100


class ProfileScreen(Screen[str]):
    """Lists the profiles; Enter opens the highlighted one, or the name typed below.
    Dismisses with the chosen profile's name (the app creates it if it is new)."""

    DEFAULT_CSS = """
    ProfileScreen { align: center middle; }
    ProfileScreen > Vertical {
        width: 64; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 1 2;
    }
    ProfileScreen .title { text-style: bold; margin-bottom: 1; }
    ProfileScreen OptionList { height: auto; max-height: 12; margin-bottom: 1; }
    ProfileScreen .hint { color: $text-muted; }
    ProfileScreen #error { color: $text-error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Back", id="profile.cancel"),
        Binding("n", "new", "New profile", id="profile.new"),
    ]

    def __init__(self, context: StudyContext, first: bool = False) -> None:
        super().__init__()
        self.context = context
        self.first = first
        self.profiles: list[ProfileInfo] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("Who is studying?", classes="title")
            yield OptionList(id="profiles")
            yield Static("New profile: type a name and press Enter", classes="hint", id="new-hint")
            yield Input(placeholder="Your name", id="name", max_length=NAME_LIMIT)
            yield Static("", id="error")
        yield Footer()

    async def on_mount(self) -> None:
        profiles = await background(self, list_profiles, self.context.database)
        if isinstance(profiles, Failed):
            if profiles.error is None:
                return  # the screen has gone
            profiles = []  # shown; a new profile can still be typed
        self.profiles = profiles
        options = self.query_one("#profiles", OptionList)
        current = self.context.profile.name if self.context.profile else None
        for profile in self.profiles:
            notes = [
                note
                for note, on in (
                    ("teacher", profile.is_teacher),
                    ("current", profile.name == current),
                )
                if on
            ]
            label = f"{profile.name}  ({', '.join(notes)})" if notes else profile.name
            options.add_option(Option(label, id=profile.name))
        options.display = bool(self.profiles)
        if self.profiles:
            self.query_one("#new-hint", Static).update("Or a new profile: type a name, Enter")
            options.highlighted = next(
                (i for i, p in enumerate(self.profiles) if p.name == current), 0
            )
            options.focus()
        else:
            self.query_one("#name", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return not self.first
        return True

    def action_cancel(self) -> None:
        self.dismiss()

    def action_new(self) -> None:
        self.query_one("#name", Input).focus()

    @on(OptionList.OptionSelected, "#profiles")
    def choose(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(event.option.id)

    @on(Input.Submitted, "#name")
    def create(self, event: Input.Submitted) -> None:
        name = " ".join(event.value.split())
        if not name:
            self.query_one("#error", Static).update("Type a name first (1 to 100 characters).")
            return
        self.dismiss(name)
