"""The refusals of the photo pipeline: each raises a ValidationError with a
Chinese message and the code that names the kind of refusal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _refuse_too_big(size: int, limit: int):
    _refuse(
        _("图片太大：文件有 %(size)s，单张照片不能超过 %(limit)s。")
        % {"size": _mb(size), "limit": _mb(limit)},
        "too_large",
    )


def _refuse_pixels(width: int, height: int, limit: int):
    _refuse(
        _("图片像素过多：%(w)d×%(h)d，单张照片不能超过 %(limit)s 万像素。")
        % {"w": width, "h": height, "limit": f"{limit / 10000:g}"},
        "too_many_pixels",
    )


def _refuse_pixels_unknown(limit: int):
    # Pillow's own bomb check fired while reading the header, before the size
    # could be reported.
    _refuse(
        _("图片像素过多，单张照片不能超过 %(limit)s 万像素。")
        % {"limit": f"{limit / 10000:g}"},
        "too_many_pixels",
    )


def _refuse_incomplete():
    _refuse(_("图片文件不完整（可能没有上传完或已损坏），请重新上传。"), "truncated")


def _refuse_corrupt():
    _refuse(_("图片已损坏，无法读取，请重新导出后上传。"), "corrupt")


def _refuse_foreign():
    _refuse(
        _(
            "文件包含图片以外的数据，出于安全原因不能上传。"
            "手机的“动态照片”“实况照片”也会这样，请关闭后重拍，或另存为普通照片后上传。"
        ),
        "polyglot",
    )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
