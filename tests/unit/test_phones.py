"""One phone, one spelling (behaviour 16.5): the key phones are matched by, the form they are stored in."""

from __future__ import annotations

import pytest

from altegio_server.clients.rules import normalize_phone
from altegio_server.phones import phone_key, stored_phone
from altegio_server.users.rules import new_user_errors


@pytest.mark.parametrize("spelling", ["+420 601 000-001", "420601000001", "(420) 601.000.001", "+420\t601000001"])
def test_every_spelling_of_a_phone_has_one_key_and_one_stored_form(spelling):
    assert (phone_key(spelling), stored_phone(spelling)) == ("420601000001", "+420601000001")


def test_no_phone_is_stored_as_empty_text():
    assert stored_phone("") == stored_phone(" - ") == ""


def test_a_client_phone_and_a_user_login_are_normalised_alike():
    assert normalize_phone("420-601-000-001") == stored_phone("+420 601 000 001") == "+420601000001"


def test_a_user_phone_in_other_digits_than_ascii_is_refused():
    assert "phone" in new_user_errors("Anna", None, "+٤٢٠٦٠١٠٠٠٠٠١")
