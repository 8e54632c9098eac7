from tests.conftest import PRAGUE


def test_tags_of_a_location_are_listed(api):
    r = api.get(f"/api/v2/locations/{PRAGUE['id']}/tags")
    assert r.status_code == 200
    assert [t["id"] for t in r.json()["data"]] == [str(i) for i in sorted(sum(PRAGUE["tag_ids"].values(), []))]
