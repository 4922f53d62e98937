"""QuickSelect writes the HTML Django's Select writes through its templates."""

from django import forms
from django.utils.safestring import mark_safe

from core.forms import QuickSelect

CHOICES = [
    ("", "全部"),
    ("a", "<b>甲</b> & 乙"),
    ("b", mark_safe("<i>safe</i>")),
    (3, 4),
    ("组", [("x", "一"), ("y", '"二"')]),
]


def _both(value, attrs=None, widget_attrs=None):
    return (
        forms.Select(attrs=widget_attrs, choices=CHOICES).render("f", value, attrs),
        QuickSelect(attrs=widget_attrs, choices=CHOICES).render("f", value, attrs),
    )


def test_same_html_as_django_select():
    for value in ("", "a", "y", 3, None):
        django_html, quick = _both(value)
        assert quick == django_html


def test_same_html_with_attributes():
    attrs = {"id": "id_f", "required": True, "disabled": False, "data-x": '"q"'}
    django_html, quick = _both("b", attrs, widget_attrs={"class": "c&d"})
    assert quick == django_html


def test_same_html_for_a_multiple_select():
    django_html = forms.SelectMultiple(choices=CHOICES).render("f", ["a", "x"])

    class QuickMultiple(QuickSelect):
        allow_multiple_selected = True

    quick = QuickMultiple(choices=CHOICES).render("f", ["a", "x"])
    assert quick == django_html


def test_a_subclass_with_its_own_template_renders_through_it():
    class Own(QuickSelect):
        option_template_name = "django/forms/widgets/radio_option.html"

    class Django(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    html = Own(choices=[("a", "甲")]).render("f", "a")
    assert "<label>" in html
    assert html == Django(choices=[("a", "甲")]).render("f", "a")
