"""The staff forms that start something preselect what is known: today's date
for what happens today, and the user's one station where there is nothing else
to choose. Where the user has a choice, nothing is chosen for them. (The report
form's own preselection is in test_report_create_photos.py.)"""

from django.utils import timezone

from tests.activities.training_helpers import _training


def test_new_training_session_is_dated_today(login, personas, net):
    training = _training(personas.editor, net.city_a)
    response = login(personas.editor).get(
        f"/staff/trainings/{training.pk}/sessions/new/"
    )
    form = response.context["form"]
    assert form.initial["date"] == timezone.localdate()
    assert form.initial["hours"] == 3


def test_head_of_one_station_finds_it_chosen_for_a_project(login, personas, net):
    response = login(personas.head).get("/staff/projects/new/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["station"] == net.a1.pk
    assert f'<option value="{net.a1.pk}" selected>' in response.content.decode()


def test_county_reviewer_chooses_the_project_station(login, personas):
    # A county bureau starts projects for any of its stations.
    form = login(personas.reviewer).get("/staff/projects/new/").context["form"]
    assert form.initial.get("station") is None
