"""Naming the advertiser of a third-party ad (articles/sponsor_names.py)."""

import pytest

from articles.sponsor_names import guess_sponsor

SEED_AD = "Get up to $30,050 in trading rewards when you join Bybit today"


def test_the_seed_advert_names_bybit():
    assert guess_sponsor(SEED_AD) == "Bybit"


@pytest.mark.parametrize(
    ("text", "sponsor"),
    [
        ("Sponsored by Acme Bank", "Acme Bank"),
        ("This podcast is brought to you by Quarry & Co.", "Quarry & Co"),
        ("Try Streamwise free for 30 days.", "Streamwise"),
        ("Claim 100 free spins at Lucky Moor Casino!", "Lucky Moor Casino"),
        ("Download the Pennywise app and get $10.", "Pennywise"),
    ],
)
def test_guess_sponsor_finds_the_advertiser(text, sponsor):
    assert guess_sponsor(text) == sponsor


@pytest.mark.parametrize(
    "text",
    ["", "   ", "The council met on Tuesday.", "Prices rose 3% in May.", "Use code SAVE20 now."],
)
def test_guess_sponsor_returns_none_when_nothing_is_found(text):
    assert guess_sponsor(text) is None
