"""Template tags of the newsletter pages: an article body, a photo as a
responsive image, the guard of a search box, summaries and share images."""

from __future__ import annotations

import dataclasses

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from activities.photos import THUMB_SIZE, WEB_SIZE
from newsletter import syndication
from newsletter.forms.search import NO_LONG_NUMBER, PERSONAL_NUMBER
from newsletter.links import absolute
from newsletter.rendering import MISSING_PHOTO_TEXT

register = template.Library()

# The article column is at most 46rem wide; a phone shows the photo full width.
ARTICLE_SIZES = "(max-width: 48rem) 100vw, 46rem"


def _fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """The size of a rendition made with the photo pipeline's rule (activities/
    photos/pipeline.py): the longest side brought down to ``longest``."""
    width, height = size
    scale = longest / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


@register.simple_tag
def photo_img(photo, number=0, sizes=ARTICLE_SIZES):
    """``<img>`` of an article photo: the web rendition, the thumbnail offered
    for narrow screens (``srcset`` with widths), its size so the page does not
    jump, loaded lazily, the caption as its text alternative."""
    web = photo.web_file
    thumb = photo.thumb_file
    alt = photo.caption or _("文章配图 %(n)s") % {"n": number}
    width, height = photo.size
    if not (width and height):
        return format_html(
            '<img src="{}" alt="{}" loading="lazy" decoding="async">', web.url, alt
        )
    web_w, web_h = _fit((width, height), WEB_SIZE)
    if thumb is None:
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" '
            'decoding="async">',
            web.url,
            alt,
            web_w,
            web_h,
        )
    thumb_w = _fit((width, height), THUMB_SIZE)[0]
    return format_html(
        '<img src="{}" srcset="{} {}w, {} {}w" sizes="{}" alt="{}" width="{}" '
        'height="{}" loading="lazy" decoding="async">',
        web.url,
        thumb.url,
        thumb_w,
        web.url,
        web_w,
        sizes,
        alt,
        web_w,
        web_h,
    )


@register.filter
def summarize(text, limit=syndication.SUMMARY_LENGTH):
    """A description or excerpt that ends at a sentence or with "…", never
    inside a word (newsletter/syndication.py)."""
    return syndication.summarize(text, int(limit))


@register.simple_tag(takes_context=True)
def page_share_image(context):
    """The share image of the page (``share``, a syndication.ShareImage, set
    by the view; the site's default image without one), its address made
    absolute: on PUBLIC_BASE_URL, else the request's host. A set page's stand-in
    for the address (newsletter/cooking.py) is left for its frame to fill."""
    image = context.get("share") or syndication.default_image()
    request = context.get("request")
    if image.url.startswith("/") and request is not None:
        image = dataclasses.replace(image, url=absolute(request, image.url))
    return image


@register.simple_tag
def photo_thumb(photo):
    """The thumbnail of a list entry: decoration beside the title that names
    the article, so it is hidden from screen readers."""
    thumb = photo.thumb_file or photo.web_file
    width, height = photo.size
    if width and height:
        width, height = _fit((width, height), THUMB_SIZE)
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" loading="lazy" '
            'decoding="async">',
            thumb.url,
            width,
            height,
        )
    return format_html(
        '<img src="{}" alt="" loading="lazy" decoding="async">', thumb.url
    )


SUBHEADING_TAGS = {"h2", "h3", "h4"}


def missing_photo_note(photo, edit_url: str = "") -> str:
    """Where a past issue's file named a picture it did not hold: a quiet note
    for readers, so the text does not run on as if nothing stood there; for
    an editor (``edit_url``, the article's edit page) a visible box that says
    it can be replaced or removed there."""
    if not edit_url:
        return format_html('<p class="nl-missing-photo">〔{}〕</p>', MISSING_PHOTO_TEXT)
    return format_html(
        '<div class="nl-missing-photo-edit" role="note"><p><strong>{}</strong> '
        '<span class="meta">{}</span></p><p><a href="{}#missing-photo-{}">{}</a>'
        "</p></div>",
        MISSING_PHOTO_TEXT,
        _("照片%(n)s") % {"n": photo.position},
        edit_url,
        photo.pk,
        _("在文章编辑页换上图片或删除这处标记"),
    )


@register.simple_tag
def article_body(article, sub_tag="h3", edit=False):
    """An article's blocks (``article.blocks``, newsletter/rendering.py) as
    HTML: paragraphs, subheadings as ``sub_tag``, photos as figures, a picture
    the file did not hold as a note (``missing_photo_note``; with ``edit``, the
    editor's box). Written in Python rather than as a template loop: an issue
    page holds a few hundred blocks, and this is where its rendering time
    went. A block's ``html`` is the sanitised body (p, h3, strong, em, br
    only), safe to output."""
    if sub_tag not in SUBHEADING_TAGS:
        sub_tag = "h3"
    edit_url = (
        reverse("newsletter_staff:article_edit", args=[article.pk]) if edit else ""
    )
    parts = []
    for block in article.blocks:
        if block.is_photo:
            photo = block.photo
            if photo.is_missing:
                parts.append(missing_photo_note(photo, edit_url))
                continue
            if not photo.has_picture:
                continue
            caption = (
                format_html("<figcaption>{}</figcaption>", photo.caption)
                if photo.caption
                else ""
            )
            parts.append(
                format_html(
                    '<figure class="nl-photo">{}{}</figure>',
                    photo_img(photo, block.number),
                    caption,
                )
            )
        elif block.is_subheading:
            parts.append(f'<{sub_tag} class="nl-subheading">{block.html}</{sub_tag}>')
        else:
            parts.append(f"<p>{block.html}</p>")
    return mark_safe("\n".join(parts))  # the blocks' html is sanitised


@register.simple_tag
def search_number_guard():
    """The pattern and title of a search box outside the search page (the
    home page's): the same refusal of long numbers as the search form's."""
    return format_html('pattern="{}" title="{}"', NO_LONG_NUMBER, str(PERSONAL_NUMBER))
