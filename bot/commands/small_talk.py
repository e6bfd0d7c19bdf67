"""`hej`, `tack`, `god morgon`, `hello`, `thanks`: a short friendly answer with a hint.

Staff write to the bot as to a colleague; a greeting answered with "Jag känner inte till
kommandot" makes the bot look broken. Greetings in front of a question are left out by the
parser (`bot.common.text.drop_greeting`); this answers one that stands alone.
"""

from __future__ import annotations

from bot.common.text import fold, without_decoration
from bot.core.context import DirectoryContext
from bot.core.registry import Access, Command, Param
from bot.core.reply import Reply, Visibility

_THANKS = ("tack", "tack sa mycket", "tackar", "thanks", "thank you", "thx", "cheers")
_MORNING = ("god morgon", "godmorgon", "good morning")


def answer(context: DirectoryContext, args: dict[str, str]) -> Reply:
    said = fold(without_decoration(context.request.text.lstrip("/")))
    if said.startswith(_THANKS):
        key = "people.smalltalk.thanks"
    elif said.startswith(_MORNING):
        key = "people.smalltalk.morning"
    else:
        key = "people.smalltalk.hello"
    name = context.person.name.split()[0] if context.person else ""
    text = context.t(key, name=name).replace(" !", "!").replace(" ,", ",")
    hint = context.t("people.smalltalk.hint")
    return Reply(text=f"{text}\n{hint}", visibility=Visibility.ONLY_TO_YOU)


COMMAND = Command(
    key="small_talk",
    names_sv=(
        "hej",
        "hejsan",
        "hallå",
        "tjena",
        "god morgon",
        "godmorgon",
        "god dag",
        "god kväll",
        "tack",
        "tack så mycket",
        "tackar",
    ),
    names_en=("hello", "hi", "hey", "good morning", "good evening", "thanks", "thank you"),
    answer=answer,
    params=(Param("rest", required=False, greedy=True),),
    access=Access.ANYONE,
    listed=False,
)
