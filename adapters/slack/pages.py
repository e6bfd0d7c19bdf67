"""The web pages of Slack's install flow, in the bot's language and accessible (WCAG 2.1 AA).

Bolt's own pages are English, have no `lang` and no title, and load Slack's button image from
the internet; these say the same in plain words, with the page's language and title set, a
heading, and a text link for the button, so nothing is fetched from anywhere else.
"""

from __future__ import annotations

from html import escape

from slack_sdk.oauth.redirect_uri_page_renderer import RedirectUriPageRenderer

from bot.common.i18n import Translator

_STYLE = (
    "body{margin:0;padding:2rem 1rem;font-family:system-ui,sans-serif;color:#1d1c1d;"
    "background:#fff;line-height:1.5}main{max-width:36rem;margin:auto}"
    "a{color:#0b4f8a}a.button{display:inline-block;padding:.6rem 1.2rem;color:#fff;"
    "background:#4a154b;border-radius:4px;font-weight:600;text-decoration:none}"
)


def page(t: Translator, title: str, body: str, head: str = "") -> str:
    """A whole page: the language, a title that says what it is, one heading, the body."""
    return (
        f'<!doctype html>\n<html lang="{t.language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{head}<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )


def install_page(t: Translator, url: str) -> str:
    text = escape(t("slack.page.install.text"))
    button = f'<a class="button" href="{escape(url)}">{escape(t("slack.page.install.button"))}</a>'
    return page(t, t("slack.page.install.title"), f"<p>{text}</p>\n<p>{button}</p>")


class OAuthPages(RedirectUriPageRenderer):
    """The pages after Slack sends the installer back: done (on to Slack) or failed."""

    def __init__(self, t: Translator, base: RedirectUriPageRenderer) -> None:
        super().__init__(
            install_path=base.install_path,
            redirect_uri_path=base.redirect_uri_path,
            success_url=base.success_url,
            failure_url=base.failure_url,
        )
        self.t = t

    def render_success_page(
        self,
        app_id: str,
        team_id: str | None,
        is_enterprise_install: bool | None = None,
        enterprise_url: str | None = None,
    ) -> str:
        t = self.t
        url = self.success_url
        if url is None:
            if is_enterprise_install and enterprise_url and app_id:
                url = f"{enterprise_url}manage/organization/apps/profile/{app_id}/workspaces/add"
            elif team_id is None or app_id is None:
                url = "slack://open"
            else:
                url = f"slack://app?team={team_id}&id={app_id}"
        browser = f"https://app.slack.com/client/{team_id}"
        body = (
            f"<p>{escape(t('slack.page.done.text'))}</p>\n<ul>\n"
            f'<li><a href="{escape(url)}">{escape(t("slack.page.done.app"))}</a></li>\n'
            f'<li><a href="{escape(browser)}">{escape(t("slack.page.done.browser"))}</a></li>\n'
            "</ul>"
        )
        # Straight on to Slack, as Bolt's page does; an immediate redirect is no time limit.
        head = f'<meta http-equiv="refresh" content="0; URL={escape(url)}">\n'
        return page(t, t("slack.page.done.title"), body, head)

    def render_failure_page(self, reason: str) -> str:
        t = self.t
        again = f'<a href="{escape(self.install_path)}">{escape(t("slack.page.failed.again"))}</a>'
        body = (
            f"<p>{escape(t('slack.page.failed.reason', reason=reason))}</p>\n"
            f"<p>{again}</p>\n<p>{escape(t('slack.page.failed.help'))}</p>"
        )
        return page(t, t("slack.page.failed.title"), body)
