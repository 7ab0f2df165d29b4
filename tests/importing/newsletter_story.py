"""A self-written story with a newsletter box in the middle, shared by the set-apart tests."""

HEADLINE = "Harbour ferry fares rise for the first time in six years"
DEK = "The town council approved a 40-cent increase on Tuesday, citing fuel and repair costs."
BOX = [
    "Get the Harbour Weekly",
    "Our best local reporting, delivered to your inbox every Friday morning.",
    "Email address",
    "Sign up",
    "By signing up you agree to receive occasional offers from our partners.",
]
PARAGRAPHS = [
    "Single tickets on the Quayside ferry will cost $3.40 from March, up from $3.00, after "
    "councillors voted six to three in favour of the increase.",
    "Transport officer Lena Marsh told the meeting that diesel had risen by a third since the "
    "last review and that the older of the two boats needs a new engine this year.",
    "Councillor Tom Abara, who voted against, said commuters from the estuary villages had no "
    "other way to reach the hospital and would be hit hardest.",
    "Monthly passes will rise from $60 to $68, and children under twelve will continue to "
    "travel free, the council said.",
    "The operator said it would publish a revised timetable next week.",
]
TEXT = "\n\n".join([HEADLINE, DEK, *PARAGRAPHS[:2], *BOX, *PARAGRAPHS[2:]])
