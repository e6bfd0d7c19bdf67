"""`språk engelska` / `language swedish`: a person's stored language, which wins over the locale."""

from __future__ import annotations

from bot.common.i18n import Language, Translator
from bot.common.text import fold
from bot.core.context import CommandError, Context
from bot.core.registry import Access, Command, Param
from bot.core.reply import Reply, Visibility

_WORDS: dict[str, Language] = {
    "svenska": "sv",
    "swedish": "sv",
    "sv": "sv",
    "engelska": "en",
    "english": "en",
    "en": "en",
}


async def run(context: Context, args: dict[str, str]) -> Reply:
    person = context.require_person()
    wanted = args.get("language")
    if not wanted:
        return Reply(text=context.t("language.current"), visibility=Visibility.ONLY_TO_YOU)
    language = _WORDS.get(fold(wanted))
    if language is None:
        raise CommandError("language.unknown", word=wanted[:40])
    before = person.language
    person.language = language
    if before != language:
        context.audit(
            "person.language", "person", person.id, {"language": before}, {"language": language}
        )
    t = Translator(language, context.t.timezone)  # answer in the language just chosen
    return Reply(text=t("language.set"), visibility=Visibility.ONLY_TO_YOU)


COMMAND = Command(
    key="language",
    names_sv=("språk",),
    names_en=("language",),
    handler=run,
    params=(Param("language", required=False, lookup=True),),
    access=Access.REGISTERED,
    featured=True,
)
