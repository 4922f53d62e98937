from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageCookieMiddleware:
    """Chinese unless the user chose otherwise with the footer's switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    reader whose phone is set to English would get English menus around Chinese
    articles. The bureau's interface language is zh-hans (DESIGN.md §9); English
    is there for whoever asks for it, and the choice lives in the language cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
