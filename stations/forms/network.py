from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DateInput, DateRangesForm
from stations import permissions
from stations.models import ServicePoint, SocialWorker, Station, Town, Village


class StationForm(DateRangesForm, forms.ModelForm):
    class Meta:
        model = Station
        fields = ["town", "name", "address", "phone", "opened_on", "publish_head_name"]
        widgets = {
            "opened_on": DateInput(),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        towns = Town.objects.filter(county__in=permissions.counties_manageable_by(user))
        # One station per town: offer only towns that have none (and the current one).
        towns = towns.filter(station__isnull=True)
        if self.instance.pk:
            towns = towns | Town.objects.filter(pk=self.instance.town_id)
        self.fields["town"].queryset = towns.select_related("county").order_by(
            "county__display_order", "display_order"
        )


class ServicePointForm(DateRangesForm, forms.ModelForm):
    class Meta:
        model = ServicePoint
        fields = ["name", "village", "address", "opened_on"]
        widgets = {"opened_on": DateInput()}

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.station = station
        self.fields["village"].queryset = Village.objects.filter(
            town=station.town_id
        ).order_by("name")
        self.fields["village"].help_text = _(
            "只列出本镇（街道）的村（居）；缺少的请先导入或由县区民政局添加。"
        )

    def clean_name(self):
        # The station is not a form field, so ModelForm skips the (station, name)
        # constraint; check it here, or a duplicate name fails only at save.
        name = self.cleaned_data["name"]
        duplicate = ServicePoint.objects.filter(
            station=self.instance.station, name=name
        ).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(
                _("本站已有名为“%(name)s”的社工点。"),
                code="unique",
                params={"name": name},
            )
        return name


class SocialWorkerForm(DateRangesForm, forms.ModelForm):
    class Meta:
        model = SocialWorker
        fields = [
            "real_name",
            "gender",
            "station",
            "post_type",
            "qualification",
            "hire_date",
            "phone",
            "status",
        ]
        widgets = {
            "hire_date": DateInput(),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].required = True
        self.fields["station"].queryset = (
            permissions.stations_manageable_by(user)
            .with_place()
            .order_by("town__county__display_order", "town__display_order")
        )
        self.fields["station"].label_from_instance = lambda s: s.full_name
