import pytest
from django.urls import reverse

from isf.org.choices import Role
from isf.org.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_wrong_login_shows_one_message_whether_or_not_the_user_exists(client):
    UserFactory(username="anna")
    known = client.post("/login/", {"username": "anna", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
    unknown = client.post("/login/", {"username": "nobody", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
    assert known.status_code == unknown.status_code == 200
    assert b"User name or password is wrong" in known.content
    assert b"User name or password is wrong" in unknown.content
    assert b"nobody" not in unknown.content.replace(b'value="nobody"', b"")


def test_correct_login_lands_on_home(client):
    UserFactory(username="anna")
    response = client.post("/login/", {"username": "anna", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")


@pytest.mark.parametrize(
    ("role", "heading_en"),
    [
        (Role.INSIDE_AGENT, b"My work queue"),
        (Role.FIELD_REP, b"My accounts"),
        (Role.INSIDE_LEAD, b"Team overview"),
        (Role.SALES_LEAD, b"Segment overview"),
        (Role.MARKETING, b"Marketing"),
        (Role.ADMIN, b"Administration"),
    ],
)
def test_each_role_lands_on_its_own_home_page(client, role, heading_en):
    client.force_login(UserFactory(role=role))
    response = client.get("/home/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert heading_en in response.content


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")
