"""Forms for report photos: a batch upload with one caption and consent state, and
the edit form of one photo. The files themselves are judged by activities/photos/,
one by one, so that one bad file does not sink the batch."""

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import ReportPhoto

CONSENT_MESSAGE = _("照片中有可辨认的人，请确认已取得本人或监护人同意。")


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets the phone pick several photos at once (Django 5.2,
    "Uploading multiple files")."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A list of uploaded files. Each file is only collected here: an empty or
    broken file is reported by the photo pipeline with its position in the batch,
    instead of failing the whole form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], "required")
        return files


class PhotoUploadForm(forms.Form):
    photos = MultipleFileField(
        label=_("照片"),
        help_text=_("可一次选择多张。只接受 JPEG、PNG、WebP 照片。"),
        error_messages={"required": _("请选择至少一张照片。")},
    )
    caption = forms.CharField(
        label=_("图片说明"),
        max_length=200,
        required=False,
        help_text=_("同一批照片使用同一说明，上传后可逐张修改。"),
    )
    shows_people = forms.BooleanField(label=_("照片中有可辨认的人"), required=False)
    consent = forms.BooleanField(
        label=_("已取得当事人（或监护人）同意"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("shows_people") and not data.get("consent"):
            self.add_error("consent", CONSENT_MESSAGE)
        return data


class ReportPhotosForm(PhotoUploadForm):
    """The photos sent with a new report, on the form that files it: the photo
    page's batch, optional, and bounded so that the report's one request stays
    short (the files are processed while the worker waits). More are added on
    the report page afterwards."""

    MAX_PHOTOS = 10

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].required = False
        self.fields["photos"].help_text = _(
            "可选，最多 %(n)d 张；更多照片可在保存后到报告页面添加。"
        ) % {"n": self.MAX_PHOTOS}
        self.fields["caption"].help_text = _("这些照片使用同一说明，保存后可逐张修改。")

    def clean(self):
        if not self.cleaned_data.get("photos") and "photos" not in self.errors:
            # With no photo chosen, the consent boxes describe nothing: a box
            # ticked by mistake does not hold up the report.
            return self.cleaned_data
        return super().clean()

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > self.MAX_PHOTOS:
            raise forms.ValidationError(
                _(
                    "一次最多随报告上传 %(n)d 张照片，这次选了 %(m)d 张。"
                    "请少选几张，其余的在保存后到报告页面添加。"
                ),
                code="too_many",
                params={"n": self.MAX_PHOTOS, "m": len(photos)},
            )
        return photos


class PhotoEditForm(forms.ModelForm):
    class Meta:
        model = ReportPhoto
        fields = ["caption", "shows_people", "consent"]
