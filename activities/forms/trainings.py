"""Forms for trainings (the training, its sessions, the sign-in sheet) and for
funded projects (the project, linking a report)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities import permissions, selectors
from activities.models import ActivityReport, Project, Training, TrainingSession
from activities.permissions.reports import reports_visible_to
from core.dates import DateInput, DateRangesForm
from stations.permissions import get_scope

# The activity kind of the report that tells a training's story in the newsletter.
TRAINING_KIND = "培训"


def _organiser_value(city_id, county_id) -> str:
    return f"county-{county_id}" if county_id else f"city-{city_id}"


class TrainingForm(forms.ModelForm):
    organiser = forms.ChoiceField(
        label=_("主办单位"),
        help_text=_("市民政局主办，或某个县（市、区）民政局主办。"),
    )

    class Meta:
        model = Training
        fields = ["title", "place", "description", "report"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    field_order = ["title", "organiser", "place", "description", "report"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._organisers = {}
        choices = []
        for city, county in permissions.organisers_for(user):
            value = _organiser_value(city.pk, county.pk if county else None)
            self._organisers[value] = (city, county)
            unit = f"{city.name}{county.name}" if county else city.name
            choices.append((value, _("%(unit)s民政局") % {"unit": unit}))
        self.fields["organiser"].choices = choices
        if self.instance.pk:
            self.initial["organiser"] = _organiser_value(
                self.instance.city_id, self.instance.county_id
            )
        reports = reports_visible_to(user).filter(
            Q(kind__name=TRAINING_KIND) | Q(pk=self.instance.report_id)
        )
        self.fields["report"].queryset = reports.order_by("-start_date", "-pk")
        self.fields["report"].label_from_instance = lambda r: (
            f"{r.start_date:%Y-%m-%d} {r.title}"
        )
        self.fields["report"].help_text = _("可选：报道这次培训的活动报告。")

    def clean(self):
        cleaned = super().clean()
        organiser = self._organisers.get(cleaned.get("organiser"))
        if organiser:
            self.instance.city, self.instance.county = organiser
        return cleaned


class TrainingSessionForm(DateRangesForm, forms.ModelForm):
    """Date, topic, teacher, hours. The date is held to its range on the field
    (core/dates.py: at most a year ahead); the hours are checked by the
    service (above 0, at most 24), whose errors the view shows on the fields."""

    class Meta:
        model = TrainingSession
        fields = ["date", "topic", "teacher", "hours"]
        widgets = {
            "date": DateInput(),
            "hours": forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        }
        help_texts = {"hours": _("本次课程的学时，大于 0 且不超过 24，如 3 或 1.5。")}
        # Django's own messages here are terse or half-translated ("确认小数不超过
        # 1 位."); a worker filling this in on a phone gets a plain example.
        error_messages = {
            "date": {
                "required": _("请填写课程日期。"),
                "invalid": _("请按“年-月-日”填写日期，如 2023-03-01。"),
            },
            "topic": {"required": _("请填写课程主题。")},
            "hours": {
                "required": _("请填写学时。"),
                "invalid": _("请填写学时，例如 3 或 1.5。"),
                "max_decimal_places": _("学时最多保留 1 位小数，如 1.5。"),
                "max_digits": _("一次课程的学时不能超过 24 小时。"),
                "max_whole_digits": _("一次课程的学时不能超过 24 小时。"),
            },
        }


class AttendanceForm(forms.Form):
    """The sign-in sheet: a checkbox per worker of the organiser's area, optionally
    narrowed to one station."""

    workers = forms.ModelMultipleChoiceField(
        label=_("参训社工"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("%(value)s 不是本次培训可选的社工，签到未保存。"),
            "invalid_pk_value": _("“%(pk)s”不是有效的社工编号。"),
        },
    )

    def __init__(self, *args, training, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        workers = permissions.trainees_eligible_for(training).select_related("station")
        if station is not None:
            workers = workers.filter(station=station)
        self.fields["workers"].queryset = workers.order_by(
            "station__town__county__display_order",
            "station__town__display_order",
            "real_name",
        )
        self.fields["workers"].label_from_instance = self._label

    @staticmethod
    def _label(worker):
        label = f"{worker.real_name}（{worker.station.name}）"
        if worker.status != worker.Status.ACTIVE:
            label += f" · {worker.get_status_display()}"
        return label


class ProjectForm(DateRangesForm, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "title",
            "funder",
            "station",
            "start_date",
            "end_date",
            "target_villages",
            "target_activities",
            "target_person_times",
            "target_cases",
            "description",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only someone who manages the project's station reaches its edit page,
        # so the current station is always among these.
        self.fields["station"].queryset = permissions.project_stations_for(user)
        self.fields["station"].label_from_instance = lambda s: s.full_name
        scope = get_scope(user)
        if (
            not self.instance.pk
            and self.initial.get("station") is None
            and len(scope.lead_stations) == 1
            and not (scope.is_superuser or scope.manages_network)
        ):
            # The head of one station starts projects for that station only.
            self.initial["station"] = next(iter(scope.lead_stations))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        return cleaned

    def validate_constraints(self, exclude=None):
        # The model's only constraint (dates in order) is checked in clean() with
        # a Chinese message; Django's own message would name the constraint.
        pass


class LinkReportForm(forms.Form):
    report = forms.ModelChoiceField(
        label=_("关联活动报告"),
        queryset=ActivityReport.objects.none(),
        error_messages={
            "invalid_choice": _(
                "只能关联本站在项目周期内、尚未关联其他项目的活动报告。"
            ),
            "required": _("请选择要关联的活动报告。"),
        },
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        # Checks the posted choice only: the project page draws the select itself
        # from the same queryset.
        self.fields["report"].queryset = selectors.linkable_reports(project)
