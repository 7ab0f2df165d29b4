"""The kinds of non-reporting copy the promo detector tells apart, and what happens to each.

One home for the vocabulary: the labelled corpus (bench/corpus/README.md), the detector, the
set-apart lines of imported articles and the API all use these names.
"""

#: kind → what an editor reads.
PROMO_KINDS = {
    "third_party_ad": "Third-party advertisement",
    "newsletter": "Newsletter sign-up",
    "subscription": "Subscription or paywall appeal",
    "donation": "Donation appeal",
    "house_event": "Event promotion",
    "app_or_podcast": "App or podcast promotion",
    "related_links": "Related links or share bar",
    "ad_slot_label": "Ad-slot label",
    "publisher_boilerplate": "Publisher boilerplate",
    "affiliate_disclosure": "Affiliate disclosure or shop link",
}

#: Only an advertiser's copy goes to ad operations as an (inactive) sponsored block; the
#: publisher's own promotion, boilerplate and slot labels are set apart beside the article.
SPONSORED_KINDS = frozenset({"third_party_ad"})
SET_APART_KINDS = tuple(kind for kind in PROMO_KINDS if kind not in SPONSORED_KINDS)
