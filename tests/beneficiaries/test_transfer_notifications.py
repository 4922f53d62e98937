"""A file transferred into a station: its workers and heads are told, with the
stations' names and a link, never the person's name."""

from beneficiaries.services import files as services
from core.models import Event, Notification


def test_the_receiving_station_is_told(
    personas, net, make_file, django_capture_on_commit_callbacks
):
    person = make_file(personas.other_worker, net.a2, name="示例·赵六")
    with django_capture_on_commit_callbacks(execute=True):
        services.beneficiary_transfer(
            beneficiary=person,
            to_station=net.a1,
            reason="随家人迁居",
            by=personas.other_worker,
        )
    notes = Notification.objects.filter(event=Event.TRANSFER_IN)
    assert {n.recipient for n in notes} == {personas.worker, personas.head}
    note = notes.first()
    assert note.path == f"/staff/beneficiaries/{person.pk}/"
    assert "南镇" in note.title and "东镇" in note.title
    assert "赵六" not in note.title
    # The station it left is not told.
    assert not Notification.objects.filter(recipient=personas.other_worker).exists()
