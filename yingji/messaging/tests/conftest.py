"""Fixtures of the messaging tests: people with mobiles, a clean queue and outbox, a way to run retries."""

import datetime
import itertools

import pytest
from huey.contrib.djhuey import HUEY

from yingji.accounts.models import Person
from yingji.messaging.channels import OUTBOX

_mobiles = itertools.count(13800000001)


@pytest.fixture(autouse=True)
def clean_queue():
    HUEY.flush()
    OUTBOX.clear()
    yield
    HUEY.flush()
    OUTBOX.clear()


@pytest.fixture
def make_person(region):
    """``make_person(place=…, mobile=…, user=…)``: a person (with a fresh mobile unless given), linked to ``user``."""

    def factory(place=None, mobile=None, user=None, name="张三"):
        person = Person.objects.create(
            name=name,
            place=place or region["village000"],
            mobile=str(next(_mobiles)) if mobile is None else mobile,
        )
        if user is not None:
            user.person = person
            user.save()
        return person

    return factory


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): notify(...)`` runs the after-commit hooks (the queue) like a real commit."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def run_retries():
    """``run_retries()`` runs the retries Huey has scheduled (as if their delay had passed); returns how many."""
    return _run_scheduled


def _run_scheduled(rounds: int = 10) -> int:
    far = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) + datetime.timedelta(days=1)
    ran = 0
    for _ in range(rounds):
        tasks = HUEY.read_schedule(far)
        if not tasks:
            break
        for task in tasks:
            HUEY.execute(task, timestamp=far)
            ran += 1
    return ran
