"""The language a request is answered in: the site's (zh-hans, DESIGN.md §9)
unless the reader chose another with the footer's switch, which the language
cookie keeps. One rule for the two places that need it:
portal.middleware.LanguageCookieMiddleware answers in it, and the page cache's
early answer (newsletter.public_cache) finds a stored page by it before that
middleware has run."""

from django.conf import settings


def chosen_language(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen and any(chosen == code for code, _name in settings.LANGUAGES):
        return chosen
    return settings.LANGUAGE_CODE
