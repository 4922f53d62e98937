"""Public newsletter addresses, mounted at the site root (portal/urls.py). They
are stable: shared links, feeds and the sitemap rely on them.

    /issues/                              every published issue, by publication and year
    /issues/<slug>/                       one publication's issues
    /issues/<slug>/<year>/                one publication's issues of a year, with contents
    /issues/<slug>/<year>/<number>/       an issue (…/print/, …/word/, …/<article>/)
    /news/county/<code>/                  a county's news (code: its 6-digit division code)
    /news/station/<pk>/                   a station's news
    /search/?q=…&county=<code>&year=…     search
    /feeds/rss/, /feeds/atom/             all articles
    /feeds/county/<code>/rss/ (…/atom/)   a county's articles
    /sitemap.xml, /robots.txt
"""

from django.urls import path, re_path

from .views import discovery, news, public

app_name = "newsletter"

issue = "issues/<slug:slug>/<int:year>/<int:number>/"
county = r"(?P<code>\d{6})"


urlpatterns = [
    path("issues/", public.archive, name="archive"),
    path("issues/<slug:slug>/", public.publication_archive, name="publication"),
    path("issues/<slug:slug>/<int:year>/", public.year_archive, name="year"),
    path(issue, public.issue_page, name="issue"),
    path(f"{issue}print/", public.print_page, name="print"),
    path(f"{issue}word/", public.word_file, name="word"),
    path(f"{issue}<int:pk>/", public.article_page, name="article"),
    re_path(rf"^news/county/{county}/$", news.county_news, name="county_news"),
    path("news/station/<int:pk>/", news.station_news, name="station_news"),
    path("search/", news.search_page, name="search"),
    path("feeds/rss/", discovery.site_rss, name="feed_rss"),
    path("feeds/atom/", discovery.site_atom, name="feed_atom"),
    re_path(
        rf"^feeds/county/{county}/rss/$",
        discovery.county_rss,
        name="county_feed_rss",
    ),
    re_path(
        rf"^feeds/county/{county}/atom/$",
        discovery.county_atom,
        name="county_feed_atom",
    ),
]
