"""Detect promotional copy (advertising) that has slipped into reporting.

Pure Python, no Django: the importer uses it to move pasted calls to action and affiliate lines
out of an article body, and the publish check uses it to refuse bodies that still read as ads.

How it works: a line is matched against named regex signals grouped in families (call to action,
money offer, urgency, ...). Within a family only the strongest hit counts, so five weak
imperatives are not worth more than one; families are then combined with a noisy-or, which keeps
the score in 0..1 and means one weak hint never reaches THRESHOLD on its own. Text inside quotation
marks is scored at a fraction of its weight (a quoted "sign up now" is something someone said),
and reporting framing ("the company said", "urged customers to") damps the whole score.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

THRESHOLD = 0.5
QUOTED_FACTOR = 0.3  # quoted speech is reported, not addressed to our reader
REPORTING_FACTOR = 0.5  # attribution and third-person framing mark a sentence as reporting
SHORT_SENTENCE_WORDS = 12  # ad copy comes in short sentences; see assess()

_I = re.IGNORECASE
# A price or reward. Possessive quantifiers stop "$1.8 billion" backtracking into "$1.";
# corporate-scale sums (billion, million) are news about companies, never an offer to a reader.
_AMOUNT = (
    r"(?:[$£€]\s?\d[\d,.]*+|\d[\d,.]*+\s?(?:%|(?:usdt|usd|btc|eth|dollars|pounds|euros)\b))"
    r"(?!\s?(?:billion|million|bn|trillion)\b)"
)
# Imperatives that in a news line almost only ever address the reader ...
_STRONG_VERBS = (
    r"sign[- ]?up|sign in|log in|subscribe|register|download|install|enrol+|claim|redeem|unlock|"
    r"shop|click|tap|upgrade"
)
# ... and ones that also start ordinary sentences ("Trade drives...", "Save the Children said").
_WEAK_VERBS = (
    r"join|order|try|book|get|grab|start|discover|save|earn|buy|visit|follow|apply|open|deposit|"
    r"bet|play|trade|switch|activate|reserve|secure|check(?: out)?|explore|learn|compare|stream|"
    r"refinance|spin|stake|copy|protect|master|become|launch|call|text|scan|enter|use|place|"
    r"treat yourself|support|refer|lock in|find(?: out)?|go|turn on|stay|enjoy|browse|double|"
    r"snap up|stock up|pick up|choose|boost|see|watch|read|win|cut|stop|take|beat|put|gift"
)
# Where an imperative can start: line start, after sentence/clause punctuation or a dash.
_CLAUSE = r"(?:^|[.!?:;|•(\[—–]\s*|\s[-–]\s)\W*"
_AFTER = r"\b(?![-'])"  # keeps "Start-ups", "Sign-ups", "Buy-to-let" out
_NOT_BNPL = r"(?!\s+now,? pay later)"  # "buy now, pay later" is a product category, not a CTA
# What turns a bare imperative into an ad: the reader's stake, a deadline, an instant result.
_HOOK = (
    r"your|our|now|today|tonight|free|here|below|online|instantly|how|app|newsletter|inbox|"
    r"premium|unlimited|ad-free|big|in (?:one|\w+ )?(?:seconds|minutes|hours|clicks?|click)|"
    r"to (?:keep|continue) reading"
)
# An unambiguous verb also turns promotional next to plain commercial nouns ("sign in to see
# prices"); for weak verbs those nouns are left out ("Trade deal talks stall" is a headline).
_STRONG_HOOK = rf"{_HOOK}|prices?|deals?|offers?|discounts?|savings|bonus|rewards?|trial|account"


@dataclass(frozen=True)
class Signal:
    family: str  # reasons are labelled by family; only the strongest hit per family counts
    name: str
    weight: float
    pattern: re.Pattern[str]


def _s(family: str, name: str, weight: float, regex: str, flags: int = _I) -> Signal:
    return Signal(family, name, weight, re.compile(regex, flags))


# Each pattern may name the telling part `key`; that is what the reason quotes.
# fmt: off
SIGNALS: tuple[Signal, ...] = (
    # A disclosure label is the clearest signal there is: alone it is enough. Mid-sentence
    # "sponsored by" is not one ("the bill, sponsored by Senator X"), so labels are anchored.
    _s("sponsor label", "label line", 0.9,
       r"^\W*(?P<key>sponsored(?: content| post)?|advertisement|advertorial|ad|promoted|"
       r"promotion|paid (?:partnership|content|post|promotion)|"
       r"(?:partner|sponsor|branded|advertiser) content|(?:advertising|promotional) feature)"
       r"\s*(?:[]):|–—-]|$|(?:from|by|with)\s+[^.!?]{1,50}$)"),
    _s("sponsor label", "credit line", 0.9,
       r"^\W*(?P<key>(?:sponsored|presented|promoted|brought to you) by|(?:paid |in )?partnership"
       r" with|in association with|content from our partners?)[,:]?\s+[^.!?]{1,50}$"),
    _s("sponsor label", "credit sentence", 0.85,
       r"\b(?:this|today's|our) (?:article|post|story|content|episode|newsletter|podcast|video|"
       r"segment|series|feature|guide|page|show) (?:is|was|has been) (?:produced |created |"
       r"written |made |published |presented |brought to you )?(?P<key>(?:sponsored|brought to you|"
       r"supported|paid for|presented|made possible|funded) by|"
       r"in (?:partnership|association) with)"),
    _s("sponsor label", "hashtag", 0.8, r"(?P<key>#(?:ad|sponsored|spon)\b|\((?:ad|sponsored)\))"),
    # Affiliate and tracking links: the link itself is the advertiser's instrument.
    _s("affiliate link", "tracking params", 0.75,
       r"(?P<key>[?&](?:utm_[a-z]+|ref|aff|aff_?id|affiliate|tag|aid|clickid|irclickid|subid|"
       r"partner|referrer)=[\w.-]*)"),
    _s("affiliate link", "shortener", 0.6,
       r"(?P<key>\b(?:bit\.ly|tinyurl\.com|amzn\.to|lnk\.to|ow\.ly|rebrand\.ly|cutt\.ly|geni\.us|"
       r"shorturl\.at|tidd\.ly|howl\.me|rstyle\.me|go\.[\w-]+\.[a-z]{2,})/\S*)"),
    _s("affiliate link", "affiliate path", 0.5,
       r"(?P<key>https?://\S+/(?:go|ref|aff|r|recommends|out)/\w+)"),
    _s("affiliate link", "disclosure", 0.75,
       r"(?P<key>\(affiliate(?: link)?\)|\bwe (?:may |might )?(?:earn|receive) (?:a |an )?"
       r"(?:small )?(?:commission|fee))"),
    _s("link", "bare link", 0.15, r"(?P<key>https?://\S+|www\.\S+|\b[\w-]+\.(?:com|io|org|net)/\S*)"),
    # Calls to action addressed to the reader.
    _s("call to action", "cta phrase", 0.55,
       r"\b(?P<key>click (?:here|the link|below)|tap (?:here|the link)|link in (?:our |my )?bio|"
       r"get started|learn more|get the (?:app|deal|offer)|claim (?:your|now|it|the (?:offer|bonus|"
       r"deal))|redeem (?:your|now)|grab (?:the|this|your) (?:deal|offer|bargain)|"
       r"shop (?:the|our) (?:look|collection|sale|range|deal)|start your free|see if you qualify|"
       r"see rates and fees|save your (?:seat|spot|place)|reserve your (?:seat|spot|place)|"
       r"become a (?:member|subscriber|patron)|upgrade to \w+|follow us|scan the qr|"
       r"text \w+ to \d+|open (?:your|an) account|try \w+(?: \w+)? free|don't wait|"
       r"act (?:now|fast)|hurry|add (?:\w+ ){0,4}to (?:your )?(?:basket|cart|bag)|"
       r"(?:don't|never) miss (?:out|our|a|another))"),
    _s("call to action", "sign-up prompt", 0.55,
       r"\b(?:when|if|once|after) you (?P<key>join|sign[- ]?up|register|subscribe|deposit|refer|"
       r"enrol+|verify)\b"),
    # "What to check before you book" is service journalism: weaker unless an offer comes too.
    _s("call to action", "purchase prompt", 0.35,
       r"\b(?:when|if|once|after|before) you (?P<key>open|download|spend|buy|shop|order|book|bet|"
       r"switch|trade|apply|move)\b"),
    _s("call to action", "social proof", 0.5,
       r"\b(?P<key>join (?:over |more than )?[\d,.]+\s*(?:k|m|million|thousand)?)\s+\w+"),
    _s("call to action", "strong imperative with hook", 0.55,
       rf"(?:{_CLAUSE}|,\s*|\band\s+)(?P<key>{_STRONG_VERBS}){_AFTER}[^.!?]{{0,40}}?"
       rf"\b(?:{_STRONG_HOOK})\b"),
    _s("call to action", "imperative with hook", 0.45,
       rf"(?:{_CLAUSE}|,\s*|\band\s+)(?P<key>{_WEAK_VERBS}){_AFTER}{_NOT_BNPL}[^.!?]{{0,40}}?"
       rf"\b(?:{_HOOK})\b"),
    _s("call to action", "sign-up reward", 0.45,
       r"\b(?P<key>(?:just |simply )?for (?:signing up|joining|registering|subscribing))\b"),
    _s("call to action", "strong imperative", 0.35, rf"{_CLAUSE}(?P<key>{_STRONG_VERBS}){_AFTER}"),
    _s("call to action", "imperative", 0.25, rf"{_CLAUSE}(?P<key>{_WEAK_VERBS}){_AFTER}"),
    # Two imperative clauses in one line ("Go premium and unlock...") is a pitch, not a report.
    _s("repeated call to action", "two imperatives", 0.3,
       rf"{_CLAUSE}(?P<key>{_STRONG_VERBS}|{_WEAK_VERBS}){_AFTER}[^.!?]*?(?:[.!?:;,]\s*|\band\s+)"
       rf"(?:{_STRONG_VERBS}|{_WEAK_VERBS}){_AFTER}"),
    # Money offers: reporting mentions these too, so each needs a second signal to trip.
    _s("money offer", "up to amount in rewards", 0.45,
       rf"(?P<key>\bup to {_AMOUNT}\s+(?:in\s+)?(?:\w+\s+)?(?:rewards?|bonus|credits?|cash ?back|"
       r"free bets?|off|discount|in \w+))"),
    _s("money offer", "amount bonus", 0.45,
       rf"(?P<key>{_AMOUNT}\s*(?:welcome |sign-?up |deposit |cash |joining )?(?:bonus|credit|"
       r"rewards?|cash ?back|back|free bets?|off|discount|match)\b)"),
    _s("money offer", "freebie", 0.4,
       r"(?P<key>\bfree (?:\w+ )?(?:trial|spins?|bets?|shipping|delivery|gift|sample|quote|"
       r"consultation|demo|share|stock|valuation|lesson|class|session|ebook|guide|estimate|app)|"
       r"\bget (?:\w+ ){0,3}free\b|cash ?back|no[- ]deposit|welcome (?:bonus|offer|package)|"
       r"sign[- ]?up bonus|odds boosts?|risk[- ]free (?:bet|trial)|bonus (?:points|miles)|"
       r"intro apr|buy (?:one|two),? get (?:one|the third)|price of one|is on us|for \$0|"
       r"(?:months?|weeks?|days?)(?: of [\w ]+)? (?:for )?free|(?:lifetime|unlimited) access|"
       r"(?:fee|commission)-free|zero (?:fees?|commission)|half[- ]price|(?:two|three|\d) for "
       r"(?:one|two|\d)\b|free (?:for )?(?:\d+|a|one|two|three|seven) "
       r"(?:days?|weeks?|months?|nights?)|"
       r"free returns|first (?:month|week|year|box|order|lesson)s? (?:for )?(?:free|[$£€]\d))"),
    _s("money offer", "rate or points", 0.45,
       r"(?P<key>\d[\d.]*% (?:aer|apy|apr|gross)\b|"
       r"\b\d+x? (?:points|miles|stars) (?:per|on|for)\b)"),
    _s("price pitch", "selling price", 0.4,
       rf"(?P<key>\b(?:(?:save|earn|win|get|receive)(?: up to| an extra| a further)? {_AMOUNT}|"
       rf"(?:for|is|are|now|from|at) (?:just|only) {_AMOUNT}|(?:is|are|now) (?:down|reduced) to "
       rf"{_AMOUNT}|\(was {_AMOUNT}|starting (?:at|from) {_AMOUNT}|as little as {_AMOUNT})|"
       r"for less\b|one low price|(?<!up )(?<!down )(?<![\d%] )\bfrom [$£€]\d[\d,.]*+(?=\s*(?:[.!]|"
       r"$|pp\b|per person|a night|each)))"),
    _s("advertiser voice", "we offer you", 0.45,
       r"\b(?P<key>we(?:'ll| will) (?:give|match|send|pay|double|add|throw in|refund|credit|cover|"
       r"beat)\b)"),
    _s("advertiser voice", "first person", 0.15, r"\b(?P<key>our|we)\b"),
    _s("promo code", "code token", 0.6,
       r"\b(?P<key>(?i:code|coupon)\s*:?\s*[\"']?[A-Z][A-Z0-9]{3,})\b", 0),
    _s("promo code", "code mention", 0.35,
       r"\b(?P<key>(?:promo|coupon|discount|voucher|referral) codes?)\b"),
    _s("urgency", "deadline", 0.35,
       r"\b(?P<key>limited[- ]time|(?:today|tonight|this \w+|\w+day|weekend) only|now through|"
       r"(?:offer|sale|deal)s? (?:ends?|expires?)|ends (?:soon|tonight|at midnight)|at midnight|"
       r"prices? go(?:es)? up|last chance|before (?:it's gone|it ends)|early[- ]bird|flash sale|"
       r"for a limited|lock in)\b"),
    # An offer named as such; "reader offers" are always bought space.
    _s("offer framing", "reader offer", 0.5,
       r"\b(?P<key>(?:exclusive )?readers?'? (?:offer|deal|discount|price|exclusive)s?)\b"),
    _s("offer framing", "named offer", 0.4,
       r"\b(?P<key>(?:exclusive|special|welcome|introductory|limited[- ]time|black friday|"
       r"cyber monday|flash|members?'?|vip|bonus) (?:offer|deal|discount|price)s?|"
       r"exclusive for)\b"),
    _s("scarcity", "few left", 0.35,
       r"\b(?P<key>only \d+ (?:\w+ )?(?:left|remaining)|(?:spots|places|seats) are limited|"
       r"limited (?:spots|places|seats)|while (?:stocks?|supplies) last)\b"),
    _s("terms", "small print", 0.5,
       r"(?P<key>\bt ?& ?cs? apply|\bterms (?:and conditions )?apply|\b(?:18|21)\+|begambleaware|"
       r"gamble responsibly|1-800-gambler|gambling problem\?|new (?:customers|players|users) only|"
       r"capital at risk|cancel any ?time|no annual fee|no wagering|min(?:imum)? deposit|"
       r"\bno [\w-]+(?: [\w-]+)? (?:required|needed)|no strings attached)"),
    _s("app store", "available on", 0.4,
       r"(?P<key>\bapp store\b|google play|\b(?:ios|iphone) and android|"
       r"android and (?:ios|iphone))"),
    _s("new-customer offer", "first-order offer", 0.4,
       r"\b(?P<key>new (?:users|customers|players|members|subscribers|account holders)"
       r"(?: get| receive| earn|:)|"
       r"your first (?:deposit|order|purchase|bet|trade|box|booking|ride|lesson|transfer|"
       r"\d+ (?:weeks|months)))"),
    _s("reader hook", "question hook", 0.3,
       r"^\W*(?P<key>(?:looking (?:for|to)|want|need|tired of|sick of|ready (?:to|for)|"
       r"like what you|fancy|struggling|new to|thinking (?:of|about))\b[^?]*\?)"),
    _s("addresses reader", "second person", 0.2, r"\b(?P<key>you(?:r|'ve|'ll|'re)?|yourself)\b"),
    _s("punctuation", "exclamation or emoji", 0.1, r"(?P<key>!|[\U0001F300-\U0001FAFF➡→])"),
)
# fmt: on

# Reporting framing: attribution, third-person institutions, reported instructions.
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|according to|reported|announced|disclosed|alleged|alleges|ruled|"
    r"found|confirmed|warned|complained|sued|fined|banned|ordered|filings? show|"
    r"(?:urg|ask|encourag|advis|remind|invit)(?:ed|es|ing|s)\s+(?:\w+\s+){0,4}to|"
    r"called on\s+(?:\w+\s+){0,3}to|"
    r"(?:the|its|their) (?:company|company's|firm|exchange|exchange's|platform|retailer|chain|"
    r"bank|casino|bookmaker|operator|airline|carrier|startup|regulator|watchdog|court|judge|"
    r"lawsuit|government|ministry|council|agency|shareholders|analysts|investors|executives?))\b",
    _I,
)
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=\W*[A-Z0-9])")


@dataclass(frozen=True)
class PromoVerdict:
    score: float  # 0..1 (noisy-or of signal weights, damped for reporting framing)
    reasons: tuple[str, ...]  # "family: 'matched text'", strongest first

    @property
    def is_promotional(self) -> bool:
        return self.score >= THRESHOLD


def _normalise(text: str | None) -> str:
    # Curly apostrophes would defeat "don't" and "you're"; whitespace runs are layout only.
    return " ".join((text or "").replace("’", "'").split())


def _best_hits(outside: str, quoted: str) -> dict[str, tuple[float, str]]:
    """Strongest (weight, reason text) per family; quoted text counts at QUOTED_FACTOR."""
    best: dict[str, tuple[float, str]] = {}
    for signal in SIGNALS:
        for part, factor, note in ((outside, 1.0, ""), (quoted, QUOTED_FACTOR, " (quoted)")):
            match = signal.pattern.search(part) if part else None
            weight = signal.weight * factor
            if match and weight > best.get(signal.family, (0.0, ""))[0]:
                key = (match.groupdict().get("key") or match.group(0)).strip()
                best[signal.family] = (weight, f"{signal.family}: '{key}'{note}")
    return best


def _score(outside: str, quoted: str) -> PromoVerdict:
    hits = sorted(_best_hits(outside, quoted).values(), reverse=True)
    miss = 1.0
    for weight, _reason in hits:
        miss *= 1.0 - weight  # noisy-or: each family adds evidence, the total stays below 1
    score = 1.0 - miss
    reasons = [reason for _weight, reason in hits]
    if score and (framing := _REPORTING.search(outside)):
        score *= REPORTING_FACTOR
        reasons.append(f"reads as reporting: '{framing.group(0)}'")
    return PromoVerdict(round(score, 3), tuple(reasons))


def _mask_quote(quote: re.Match[str]) -> str:
    # Keep a full stop that closes the quote (“put out the word.”): it still ends the sentence.
    end = quote.group(0).rstrip('”"')[-1:]
    return f" …{end if end in '.!?' else ''} "


def _short(sentence: str) -> bool:
    return len(sentence.split()) <= SHORT_SENTENCE_WORDS


def assess(text: str) -> PromoVerdict:
    """Score one paragraph or line; reasons give the strongest hit of each signal family.

    The paragraph is scored as a whole, sentence by sentence, and in pairs of short sentences (a
    pitch often spreads over two: "Trade with zero fees. Open your account in minutes."), keeping
    the highest: otherwise one "officials said" would also damp an ad pasted onto the end of the
    paragraph. Pairs are limited to short sentences because joining two long sentences of
    reporting mostly adds chance hits. Quotes are masked first, so that a quotation running over
    several sentences stays quoted.
    """
    text = _normalise(text)
    if not text:
        return PromoVerdict(0.0, ())
    outside = _QUOTED.sub(_mask_quote, text)
    verdict = _score(outside, " … ".join(_QUOTED.findall(text)))
    sentences = _SENTENCE_BREAK.split(outside)
    if len(sentences) > 1:
        pairs = zip(sentences, sentences[1:], strict=False)
        windows = sentences + [f"{a} {b}" for a, b in pairs if _short(a) and _short(b)]
        verdict = max([verdict, *(_score(window, "") for window in windows)], key=lambda v: v.score)
    return verdict


def is_promotional(text: str) -> bool:
    """True when assess(text) reaches THRESHOLD."""
    return assess(text).is_promotional


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
