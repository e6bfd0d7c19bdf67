"""Filling a form in the terminal: one field at a time, then submitted like a platform's form.

Slack opens a modal and Teams a card; the terminal asks for each field in turn, with its label,
hint and whether it is required, checks what it can here (length, a choice among the options,
a readable date and time), and hands the values to the form's route exactly as the platforms
do. What the core then refuses comes back as field errors, and only those fields are asked
again. `avbryt` / `cancel`, an empty line on a required field or Ctrl-D leave the form with
nothing sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from bot.common.i18n import Translator
from bot.common.text import fold
from bot.core.reply import Form, FormField, Reply, Visibility

CANCEL_WORDS = ("avbryt", "cancel")
CLEAR = "-"  # empties an optional field that has a value
_MANY = re.compile(r"\s*[,;]\s*|\s+")


@dataclass(frozen=True)
class Ask:
    """Say this and wait for the next line."""

    reply: Reply


@dataclass(frozen=True)
class Submit:
    """Every field has its value: send them to the form's route."""

    route: str
    payload: dict[str, object]


@dataclass(frozen=True)
class Cancelled:
    reply: Reply


Step = Ask | Submit | Cancelled


def _private(text: str) -> Reply:
    return Reply(text=text, visibility=Visibility.ONLY_TO_YOU)


@dataclass
class FormFilling:
    """One form being filled in, field by field."""

    form: Form
    t: Translator
    values: dict[str, object] = field(default_factory=dict)
    pending: list[FormField] = field(default_factory=list)

    @classmethod
    def start(cls, form: Form, t: Translator) -> tuple[FormFilling, Reply]:
        """Begin with the first field; the reply introduces the form and asks for it."""
        filling = cls(form, t, pending=list(form.fields))
        intro = t("typed.form.start", title=form.title, count=len(form.fields))
        return filling, _private(intro + "\n\n" + filling._question())

    @property
    def current(self) -> FormField:
        return self.pending[0]

    def answer(self, line: str) -> Step:
        """Take one line as the answer to the current field."""
        text = line.strip()
        if fold(text) in CANCEL_WORDS:
            return self.cancel()
        asked = self.current
        if not text:
            if asked.initial not in (None, ""):
                return self._accept(asked, self._initial_value(asked))
            if asked.required:
                return self.cancel()
            return self._accept(asked, None)
        if text == CLEAR and not asked.required:
            return self._accept(asked, "")
        value, problem = self._read(asked, text)
        if problem is not None:
            return Ask(_private(problem + "\n\n" + self._question()))
        return self._accept(asked, value)

    def cancel(self) -> Cancelled:
        return Cancelled(_private(self.t("typed.form.cancelled", title=self.form.title)))

    def refused(self, errors: dict[str, str]) -> Reply:
        """The core refused some fields: ask for those again, with what was wrong."""
        named = [f for f in self.form.fields if f.name in errors]
        if not named:
            # An error on no field of this form: nothing to ask again, start over.
            named = list(self.form.fields)
        self.pending = named
        lines = [
            self.t("typed.form.fix", label=f.label, error=errors.get(f.name, "")) for f in named
        ]
        return _private("\n".join(lines) + "\n\n" + self._question())

    # --- one field ----------------------------------------------------------------------

    def _accept(self, asked: FormField, value: object) -> Step:
        if value is None:
            self.values.pop(asked.name, None)
        else:
            self.values[asked.name] = value
        self.pending.pop(0)
        if self.pending:
            return Ask(_private(self._question()))
        return Submit(self.form.route, {**self.form.payload, **self.values})

    def _question(self) -> str:
        t, asked = self.t, self.current
        position = self.form.fields.index(asked) + 1
        need = t("typed.form.required" if asked.required else "typed.form.optional")
        lines = [
            t(
                "typed.form.field",
                label=asked.label,
                number=position,
                count=len(self.form.fields),
                need=need,
            )
        ]
        if asked.hint:
            lines.append(asked.hint)
        if asked.kind in ("choice", "multichoice"):
            key = "typed.form.choose" if asked.kind == "choice" else "typed.form.choose_many"
            lines.append(t(key))
            lines.extend(f"  {n}. {label}" for n, (_k, label) in enumerate(asked.options, 1))
        elif asked.kind == "datetime":
            lines.append(t("typed.form.datetime_hint"))
        elif asked.kind == "users":
            lines.append(t("typed.form.users_hint"))
        if asked.max_length:
            lines.append(t("typed.form.max_length", limit=asked.max_length))
        if asked.initial not in (None, ""):
            lines.append(t("typed.form.current", value=self._shown(asked)))
            if not asked.required:
                lines.append(t("typed.form.clear", clear=CLEAR))
        lines.append(t("typed.form.how_to_cancel"))
        return "\n".join(lines)

    def _shown(self, asked: FormField) -> str:
        """The current value as a person reads it: option labels, not keys."""
        initial = str(asked.initial or "")
        if asked.kind in ("choice", "multichoice"):
            labels = dict(asked.options)
            return ", ".join(labels.get(k, k) for k in initial.split(",") if k)
        return initial.replace("T", " ") if asked.kind == "datetime" else initial

    def _initial_value(self, asked: FormField) -> object:
        initial = str(asked.initial)
        if asked.kind == "multichoice":
            return [k for k in initial.split(",") if k]
        return initial

    def _read(self, asked: FormField, text: str) -> tuple[object, str | None]:
        """The value to send for a typed answer, or what is wrong with it."""
        t = self.t
        if asked.kind == "choice":
            key = self._option(asked, text)
            if key is None:
                return None, t("typed.form.no_such_option", text=text[:60])
            return key, None
        if asked.kind == "multichoice":
            keys = []
            for part in [p for p in _MANY.split(text) if p]:
                key = self._option(asked, part)
                if key is None:
                    return None, t("typed.form.no_such_option", text=part[:60])
                if key not in keys:
                    keys.append(key)
            return keys, None
        if asked.kind == "datetime":
            try:
                moment = datetime.fromisoformat(text.replace(" ", "T", 1))
            except ValueError:
                return None, t("typed.form.bad_datetime", text=text[:60])
            return moment.isoformat(timespec="minutes"), None
        if asked.max_length is not None and len(text) > asked.max_length:
            return None, t("typed.form.too_long", length=len(text), limit=asked.max_length)
        return text, None

    @staticmethod
    def _option(asked: FormField, text: str) -> str | None:
        """An option by its number, its key or its label (forgiving case and accents)."""
        if text.isdigit() and 1 <= int(text) <= len(asked.options):
            return asked.options[int(text) - 1][0]
        wanted = fold(text)
        for key, label in asked.options:
            if wanted in (fold(key), fold(label)):
                return key
        return None
