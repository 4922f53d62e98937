"""RSS and Atom feeds of the published articles: the whole site, and one county
(every article about it). Links are absolute (newsletter/links.py); an entry is
dated by its issue's printed date, and Atom's ``updated`` moves to the time of
the article's latest correction (RSS has no such date: its pubDate stays the
issue's; newsletter/syndication.py); a summary ends at a sentence or with "…";
the author is the bureau that publishes the newsletter: no staff name appears
in a feed."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from stations.models import County

from . import selectors, syndication
from .links import absolute

ITEMS = 30


def feed_view(feed_class):
    """A view that answers with a new instance of ``feed_class``: a feed keeps
    the request it answers (for its absolute links), so one instance must not
    serve two requests at once."""

    def view(request, *args, **kwargs):
        return feed_class(request)(request, *args, **kwargs)

    view.__name__ = feed_class.__name__
    return view


class _ArticleFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-cn"

    def __init__(self, request):
        self.request = request

    def _absolute(self, path: str) -> str:
        return absolute(self.request, path)

    def articles(self, obj):
        return selectors.published_articles()

    def items(self, obj):
        return list(
            selectors.article_cards(self.articles(obj)).annotate(
                corrected_at=selectors.latest_correction()
            )[:ITEMS]
        )

    def item_title(self, item):
        return item.full_title

    def item_description(self, item):
        # RSS <description> and Atom <summary type="html"> are HTML: a reader
        # decodes the XML once and renders what is left as markup. The lead is
        # plain text, so it is escaped here, before the XML writer escapes it
        # again: a body holding "<script>" then reads as that text, never as
        # a tag. Titles and categories are plain text in both formats.
        return escape(syndication.summarize(item.lead, selectors.EXCERPT_LENGTH))

    def item_link(self, item):
        return self._absolute(item.get_absolute_url())

    def item_guid(self, item):
        return self.item_link(item)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return syndication.issue_moment(item.issue.issue_date)

    def item_updateddate(self, item):
        return syndication.last_change(item.issue.issue_date, item.corrected_at)

    def item_author_name(self, item):
        return item.issue.publication.bureau

    def item_categories(self, item):
        names = [item.section.title]
        if item.county is not None:
            names.append(item.county.name)
        if item.station is not None:
            names.append(str(item.station))
        return names


class SiteFeed(_ArticleFeed):
    def title(self):
        return _("民政简报 · 最新文章")

    def description(self):
        return _("各地民政简报的最新文章：市级、县（市、区）和社工站（点）动态。")

    def link(self):
        return self._absolute(reverse("home"))

    def feed_url(self):
        return self._absolute(self.request.path)


class CountyFeed(_ArticleFeed):
    def get_object(self, request, code):
        return get_object_or_404(County.objects.select_related("city"), code=code)

    def articles(self, obj):
        return selectors.published_articles().filter(county=obj)

    def title(self, obj):
        return _("%(county)s动态 · 民政简报") % {"county": obj.name}

    def description(self, obj):
        return _("民政简报中关于%(city)s%(county)s的文章。") % {
            "city": obj.city.name,
            "county": obj.name,
        }

    def link(self, obj):
        return self._absolute(reverse("newsletter:county_news", args=[obj.code]))

    def feed_url(self, obj):
        return self._absolute(self.request.path)


class SiteAtomFeed(SiteFeed):
    feed_type = Atom1Feed
    subtitle = SiteFeed.description


class CountyAtomFeed(CountyFeed):
    feed_type = Atom1Feed
    subtitle = CountyFeed.description
