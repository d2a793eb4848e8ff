"""The view's state round-trips through the URL query string."""

from dash_app.components import state


def test_round_trip_of_a_full_state():
    full = {"tab": "compare", "metric": "party_members", "regions": ["130000", "130131|village|北庄村"],
            "years": [2018, 2024], "cyear": "2023", "level": "prefecture", "province": "130000",
            "point": {"series": "130131|village|北庄村", "year": 2022, "kind": "target"}}
    assert state.parse(state.encode(full)) == full


def test_an_empty_query_gives_the_defaults():
    assert state.parse("") == state.DEFAULTS
    assert state.parse(None) == state.DEFAULTS


def test_malformed_values_fall_back_to_defaults():
    parsed = state.parse("?tab=nope&from=abc&to=2020&cyear=x&level=village&point=broken")
    assert parsed["tab"] == "trends"
    assert parsed["years"] is None
    assert parsed["cyear"] == "latest"
    assert parsed["level"] == "province"
    assert parsed["point"] is None


def test_years_are_ordered_and_defaults_left_out_of_the_url():
    assert state.parse("?from=2024&to=2018")["years"] == [2018, 2024]
    encoded = state.encode({**state.DEFAULTS, "metric": "party_orgs"})
    assert encoded == "?tab=trends&metric=party_orgs"
