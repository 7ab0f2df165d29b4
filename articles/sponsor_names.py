"""Naming the advertiser of a line the promo detector rated as a third-party advertisement.

The importer files such a line as an inactive SponsoredBlock for ad operations, under the
sponsor this guesses (a credit such as "sponsored by …", a brand after a call to action, a
CamelCase name, or the host of a link). It never decides whether a line is an ad: that is the
detector's job (articles/detector.py).
"""

import re
from urllib.parse import urlsplit

_I = re.IGNORECASE


def _normalise(text: str | None) -> str:
    # Curly apostrophes would defeat "don't"; whitespace runs are layout only.
    return " ".join((text or "").replace("’", "'").split())


_NAME = r"[A-Z][\w'&.+-]*\w(?:\s+(?:&\s+)?[A-Z][\w'&.+-]*\w)*"
# Capitalised words that are not the advertiser: sentence furniture, dates, product tiers, the
# platforms an ad points to, and the responsible-gambling line that bookmaker ads must carry.
_NOT_NAMES = {
    *("The", "A", "An", "Our", "Your", "This", "Today", "Now", "Here", "It", "Christmas"),
    *("Free", "Premium", "Pro", "Plus"),
    *("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    *("January", "February", "March", "April", "May", "June", "July", "August", "September"),
    *("October", "November", "December"),
    *("Instagram", "WhatsApp", "Facebook", "TikTok", "YouTube", "Android", "BeGambleAware"),
}
_CREDIT = re.compile(
    r"\b(?:(?:sponsored|presented|promoted|supported|paid for|brought to you|funded) by|"
    r"(?:partnership|association) with|content from)\s+(?:our (?:friends|partners?)(?: at)?,?\s+)?"
    r"(?:the\s+)?(?P<name>[^.,;:!?()\[\]|—–]+)",
    _I,
)
_BRAND_PATTERNS = (
    # "join Bybit", "at LuckyHarbor Casino", "try Notaly Pro free"
    re.compile(
        rf"\b(?i:join|try|with|at|on|download|install|get|switch to|sign up (?:on|at|with)|"
        rf"register (?:on|at|with)|visit|our partners at)\s+(?:the\s+)?(?P<name>{_NAME})"
    ),
    # "open a Sprigg account", "the free Weatherwise app"
    re.compile(
        rf"\b(?i:a|an|the|our)\s+(?:(?i:free|new)\s+)?(?P<name>{_NAME})\s+(?i:app|card|account|"
        rf"box|membership|subscription|newsletter|vpn)\b"
    ),
    re.compile(r"\b(?P<name>[A-Z][a-z]+[A-Z]\w*)"),  # CamelCase is a brand's tell: "SurfGuard"
)
_NOT_SPONSOR_HOSTS = re.compile(
    r"bit\.ly|amzn\.to|lnk\.to|tinyurl|ow\.ly|cutt\.ly|geni\.us|rebrand\.ly|example", _I
)


def _brand(name: str) -> str | None:
    words = [word for word in name.split() if word not in _NOT_NAMES]
    acronym = len(words) == 1 and words[0].isupper() and len(words[0]) <= 4
    if not words or words[0] == "&" or acronym:
        return None  # "ISA", "ETF": acronyms of products, not advertisers
    return " ".join(words)


def guess_sponsor(text: str) -> str | None:
    """Best guess at the advertiser a promotional line names, or None."""
    text = _normalise(text)
    if match := _CREDIT.search(text):
        return " ".join(match.group("name").split()[:5]) or None
    for pattern in _BRAND_PATTERNS:
        for match in pattern.finditer(text):
            if name := _brand(match.group("name")):
                return name
    if url := re.search(r"https?://\S+", text):
        host = urlsplit(url.group(0)).hostname or ""
        labels = [p for p in host.split(".") if p not in {"www", "shop", "go", "partner", "app"}]
        if len(labels) >= 2 and not _NOT_SPONSOR_HOSTS.search(host):
            return labels[-2].capitalize()
    return None
