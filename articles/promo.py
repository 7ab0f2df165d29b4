"""Detect promotional copy (advertising) that has slipped into reporting.

Pure Python, no Django: the importer uses it to move pasted calls to action and affiliate lines
out of an article body, and the publish check uses it to refuse bodies that still read as ads.

How it works: a line is matched against named regex signals grouped in families (call to action,
money offer, urgency, ...). Within a family only the strongest hit counts, so five weak
imperatives are not worth more than one; families are then combined with a noisy-or, which keeps
the score in 0..1 and means one weak hint never reaches THRESHOLD on its own. Text inside quotation
marks is scored at a fraction of its weight (a quoted "sign up now" is something someone said),
and reporting framing ("the company said", "urged customers to") damps the whole score.

What it deliberately does not treat as an ad: editorial navigation ("Read more: <headline>",
"Related: <headline>" label a link to our own reporting, so the label is dropped and the headline
scored alone), a hashtag or handle mentioned as a word ("the hashtag #ad must appear"), inch
marks (55") taken for quotation marks. An unclosed “ covers only its own sentence, so a stray
quote mark cannot hide an ad pasted after it. Families, roughly from strongest to weakest:
sponsor labels and credits, affiliate disclosures and tracking links, calls to action (an
imperative at the start of a clause, made promotional by a hook: the reader, a price, "now",
a brand or a platform), channel plugs (podcast, app, social handles), money offers and prices,
small print (T&Cs, 18+, capital at risk), urgency and scarcity, selling points, clickbait.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

THRESHOLD = 0.5
QUOTED_FACTOR = 0.3  # quoted speech is reported, not addressed to our reader
# After an unclosed “ the words may still be the speaker's (a quote continued into the next
# paragraph) or may be pasted copy the quote mark does not belong to: between the two.
UNCLOSED_QUOTE_FACTOR = 0.8
REPORTING_FACTOR = 0.5  # attribution and third-person framing mark a sentence as reporting
SHORT_SENTENCE_WORDS = 12  # ad copy comes in short sentences; see assess()
PITCH_SENTENCES = 3  # a pitch spans at most a few short sentences; see assess()

_I = re.IGNORECASE
# A price or reward. Possessive quantifiers stop "$1.8 billion" backtracking into "$1.";
# corporate-scale sums (billion, million) are news about companies, never an offer to a reader.
_CURRENCY = r"[$£€¥₹₩]"
_MONEY = rf"(?:{_CURRENCY}\s?\d[\d,.]*+|\d[\d,.]*+\s?€)(?!\s?(?:billion|million|bn|trillion)\b)"
_AMOUNT = (
    rf"(?:{_CURRENCY}\s?\d[\d,.]*+|\d[\d,.]*+\s?(?:%|€|(?:usdt|usdc|usd|eur|gbp|jpy|btc|eth|sol|"
    r"dollars|pounds|euros|yen)\b))"
    r"(?!\s?(?:billion|million|bn|trillion)\b)"
)
# Imperatives that in a news line almost only ever address the reader ...
_STRONG_VERBS = (
    r"sign[- ]?up|sign in|log in|subscribe|register|download|install|enrol+|claim|redeem|unlock|"
    r"shop|click|tap|upgrade|swipe|rsvp|pre-?order|donate|copy-trade"
)
# ... and ones that also start ordinary sentences ("Trade drives...", "Save the Children said").
_WEAK_VERBS = (
    r"join|order|try|book|get|grab|start|discover|save|earn|buy|visit|follow|apply|open|deposit|"
    r"bet|play|trade|switch|activate|reserve|secure|check(?: out)?|explore|learn|compare|stream|"
    r"refinance|spin|stake|copy|protect|master|become|launch|call|text|scan|enter|use|place|"
    r"treat yourself|support|refer|lock in|find(?: out)?|go|turn on|stay|enjoy|browse|double|"
    r"snap up|stock up|pick up|choose|boost|see|watch|read|win|cut|stop|take|beat|put|gift|"
    r"catch|listen(?: to)?|tune in|share|score|hit|invest|connect|mine|pay|hear|lose|attend"
)
# Where an imperative can start: line start, after sentence/clause punctuation or a dash.
_CLAUSE = r"(?:^|[.!?:;|•(\[—–]\s*|\s[-–]\s)\W*"
_AFTER = r"\b(?![-'])"  # keeps "Start-ups", "Sign-ups", "Buy-to-let" out
_NOT_BNPL = r"(?!\s+now,? pay later)"  # "buy now, pay later" is a product category, not a CTA
# What turns a bare imperative into an ad: the reader's stake, a deadline, an instant result.
_HOOK = (
    r"you|your|yours|our|now|today|tonight|free|here|below|online|instantly|how|app|newsletter|"
    r"inbox|premium|unlimited|ad-free|big|risk-free|with us|for more|in (?:under |less than "
    r"|just )?(?:one|a|\w+ )?(?:seconds?|minutes?|hours?|clicks?|click|taps?)|"
    r"(?:a|one) (?:single )?(?:click|tap)|to (?:keep|continue) reading"
)
# A price in a currency (not a percentage: "Book sales rose 6%") also hooks a weak imperative:
# "Get 10 GB for £8 a month" is selling, "Get tough on tax evasion" is not.
_WEAK_HOOK = rf"\b(?:{_HOOK})\b|{_MONEY}"
# An unambiguous verb also turns promotional next to plain commercial nouns ("sign in to see
# prices"); for weak verbs those nouns are left out ("Trade deal talks stall" is a headline).
_STRONG_HOOK = (
    rf"\b(?:{_HOOK}|prices?|deals?|offers?|discounts?|savings|bonus|rewards?|trial|account)\b|"
    rf"{_AMOUNT}"
)
# Capitalised words that end an imperative without being a brand ("... on Monday."); platforms
# (below) are where something is, not who sells it.
_NOT_BRAND = (
    r"(?:The|A|An|Our|Your|This|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Christmas|Easter)\b"
)
_EMOJI = r"[\U0001F300-\U0001FAFF\u2300-\u23FF\u2600-\u27BF\u2B50➡→]"
_PLATFORMS = (
    r"facebook|instagram|tiktok|youtube|x|twitter|threads|bluesky|linkedin|snapchat|pinterest|"
    r"whatsapp|telegram|discord|twitch|spotify|apple podcasts|google podcasts|patreon|substack|"
    r"reddit|mastodon"
)


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
       r"^\W*(?P<key>sponsored(?: content| post| article| feature| story)?|advertisement|"
       r"advertorial|advert|ad|promoted(?: content| post| article| story)?|promotion|"
       r"paid (?:partnership|content|post|promotion|article|feature)|anzeige|werbung|publicité|"
       r"publicidad|pubblicità|(?:partner|sponsor|branded|advertiser|commercial|brand) content|"
       r"(?:advertising|promotional|ad) feature)"
       r"\s*(?:[]):|–—-]|$|(?:from|by|with)\s+[^.!?,;]{1,50}\.?$)"),
    # Who paid: "Presented by X", "Supported by the Y Foundation", "Produced for Z".
    _s("sponsor label", "credit line", 0.9,
       r"^\W*(?P<key>(?:sponsored|presented|promoted|brought to you|paid for|supported|funded|"
       r"powered|underwritten) by|produced for|(?:(?:presented|produced|created) )?(?:paid |in )?"
       r"(?:partnership|association) with|content from our partners?)[,:]?\s+[^.!?,;]{1,50}\.?$"),
    # "This episode is sponsored by", "The following is a paid advertisement from".
    _s("sponsor label", "credit sentence", 0.85,
       r"\b(?:(?:this|today's|our|the following) (?:\w+ )?(?:article|post|story|content|episode|"
       r"newsletter|podcast|video|segment|series|feature|guide|page|show)|this|the following) "
       r"(?:is|was|has been) (?:produced |created |written |made |published |presented |"
       r"brought to you |commissioned (?:and )?)?(?P<key>(?:sponsored|brought to you|supported|"
       r"paid for|presented|made possible|funded|commissioned) by|in (?:partnership|association) "
       r"with|an? (?:paid|sponsored|promoted) (?:advertisement|advert|ad|promotion|post|feature))"),
    # The advertorial's own disclaimer: the newsroom distancing itself from the copy.
    _s("sponsor label", "advertorial disclaimer", 0.8,
       r"(?P<key>(?:does|do) not (?:necessarily )?reflect the views of (?:the |our )?"
       r"(?:editorial|newsroom|publication|publisher)|are (?:those|the views) of the "
       r"(?:advertiser|sponsor)|editorial (?:team|staff|department) (?:was|were) not involved|"
       r"\b(?:this|the following) (?:content|article|feature|page|story) was (?:created|produced|"
       r"written) by [\w ]{1,30} for (?-i:[A-Z]))"),
    # Ad-slot furniture left behind by scraping ("Story continues below advertisement").
    _s("sponsor label", "ad slot", 0.6,
       r"(?P<key>(?:story|article) continues below|continue reading below|scroll (?:down )?to "
       r"(?:continue|keep) reading)"),
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
    # Disclosures come in many wordings, but all say the same: we are paid when you buy.
    _s("affiliate link", "disclosure", 0.75,
       r"(?P<key>\(affiliate(?: link)?\)|\bwe (?:may |might |could |can |will )?(?:earn|receive|"
       r"get|make|collect) (?:a |an )?(?:small |affiliate )?(?:commission|compensation|fee|"
       r"share of (?:the )?(?:sales|revenue)|revenue|money)|"
       r"\bwe (?:may |might |could |will )?(?:be|are|get) (?:paid|compensated)|"
       r"\b(?:amazon|ebay|\w+) associates? we earn|\bqualifying purchases|"
       r"at no (?:extra |additional )?cost to you|"
       r"\baffiliate (?:links?\b|disclosure|commission\b))"),
    _s("affiliate link", "links on this page", 0.45,
       r"(?P<key>\blinks? (?:on|in) this (?:page|article|post|story|guide|newsletter)|"
       r"\b(?:the |some of the )?links below|\bpartner links)"),
    _s("link", "bare link", 0.15,
       r"(?P<key>https?://\S+|www\.\S+|\b[\w-]+\.(?:com|io|org|net)/\S*|"
       r"\b[\w-]+\.(?:com|io|co|app|bet|casino|shop|store|ai|xyz)\b)"),
    # Calls to action addressed to the reader.
    _s("call to action", "cta phrase", 0.55,
       r"\b(?P<key>click (?:here|the link|below)|tap (?:here|the link|below)|"
       r"link in (?:our |my |the )?bio|"
       r"get started|learn more|get the (?:app|deal|offer)|claim (?:your|now|it|the (?:offer|bonus|"
       r"deal))|redeem (?:your|now)|grab (?:the|this|your) (?:deal|offer|bargain)|"
       r"shop (?:the|our) (?:look|collection|sale|range|deal)|start your free|see if you qualify|"
       r"see rates and fees|save your (?:seat|spot|place)|"
       r"reserve your (?:\w+ )?(?:seat|spot|place)|"
       r"become a (?:member|subscriber|patron)|upgrade to \w+|follow us|scan the qr|"
       r"open (?:your|an) account|try \w+(?: \w+)? free|don't wait|"
       r"act (?:now|fast)|hurry|add (?:\w+ ){0,4}to (?:your )?(?:basket|cart|bag)|"
       r"(?:don't|never) miss (?:out|our|a|another))"),
    # "Text WIN to 80888" is only a call to action as an imperative; "customers can text PAC to
    # 65075" is consumer advice.
    _s("call to action", "text to shortcode", 0.55, rf"{_CLAUSE}(?P<key>text \w+ to \d+)"),
    _s("call to action", "sign-up prompt", 0.55,
       r"\b(?:when|if|once|after) you (?P<key>join|sign[- ]?up|register|subscribe|deposit|refer|"
       r"enrol+|verify)\b"),
    # "What to check before you book" is service journalism: weaker unless an offer comes too.
    _s("call to action", "purchase prompt", 0.35,
       r"\b(?:when|if|once|after|before) you (?P<key>open|download|spend|buy|shop|order|book|bet|"
       r"switch|trade|apply|move|click|purchase)\b"),
    _s("call to action", "social proof", 0.5,
       r"\b(?P<key>join (?:over |more than )?[\d,.]+\s*(?:k|m|million|thousand)?)\s+\w+"),
    _s("call to action", "strong imperative with hook", 0.55,
       rf"(?:{_CLAUSE}|,\s*|\band\s+)(?P<key>{_STRONG_VERBS}){_AFTER}[^.!?]{{0,40}}?"
       rf"(?:{_STRONG_HOOK})"),
    _s("call to action", "imperative with hook", 0.45,
       rf"(?:{_CLAUSE}|,\s*|\band\s+)(?P<key>{_WEAK_VERBS}){_AFTER}{_NOT_BNPL}[^.!?]{{0,40}}?"
       rf"(?:{_WEAK_HOOK})"),
    # An imperative that ends on a brand: "Book hotels ... in one place with Roamly."
    _s("call to action", "imperative naming a brand", 0.45,
       rf"{_CLAUSE}(?P<key>{_STRONG_VERBS}|{_WEAK_VERBS}){_AFTER}{_NOT_BNPL}[^.!?]*?\b(?:with|on|"
       rf"at|via) (?!{_NOT_BRAND}|(?:{_PLATFORMS})\b)(?-i:[A-Z][a-z]+[A-Z]?[\w&'-]*)\s*(?:[.!]|$)"),
    # An imperative with a deadline: "Book by 30 June", "Apply before Friday".
    _s("call to action", "imperative with deadline", 0.45,
       rf"{_CLAUSE}(?P<key>(?:{_STRONG_VERBS}|{_WEAK_VERBS}) (?:now |today )?(?:by|before|until)) "
       r"(?:\d|midnight|tonight|tomorrow|the end|\w+day\b)"),
    _s("call to action", "sign-up reward", 0.45,
       r"\b(?P<key>(?:just |simply )?for (?:signing up|joining|registering|subscribing))\b"),
    _s("call to action", "you can get", 0.4,
       r"\b(?P<key>you (?:can|could) (?:now )?(?:get|claim|earn|win|save|enjoy|grab|unlock))\b"),
    _s("call to action", "strong imperative", 0.35, rf"{_CLAUSE}(?P<key>{_STRONG_VERBS}){_AFTER}"),
    _s("call to action", "imperative", 0.25, rf"{_CLAUSE}(?P<key>{_WEAK_VERBS}){_AFTER}"),
    # Two imperative clauses in one line ("Go premium and unlock...") is a pitch, not a report.
    _s("repeated call to action", "two imperatives", 0.3,
       rf"{_CLAUSE}(?P<key>{_STRONG_VERBS}|{_WEAK_VERBS}){_AFTER}[^.!?]*?(?:[.!?:;,]\s*|\band\s+)"
       rf"(?:{_STRONG_VERBS}|{_WEAK_VERBS}){_AFTER}"),
    # Channel plugs: our podcast, our WhatsApp, our handle. News names platforms, but rarely
    # points the reader at "us" on one of them.
    _s("channel plug", "us on a platform", 0.5,
       rf"(?P<key>\b(?:us|me|@\w+) on (?:{_PLATFORMS})\b|\bour (?:{_PLATFORMS}) (?:channel|group|"
       r"server|community|page|account|feed)\b|\bwherever you (?:get|find|listen to) (?:your )?"
       r"podcasts?|\bwherever you listen|\bin your podcast app|\bavailable on (?:apple|google) "
       r"podcasts)"),
    _s("channel plug", "social call to action", 0.55,
       r"\b(?P<key>swipe up|dm (?:me|us)|(?:i'll|we'll) dm you|"
       r"hit (?:the )?(?:subscribe|like|follow|bell)|smash (?:that|the) like|"
       r"turn on (?:post )?notifications|comment [\"“]?[A-Z]+\b)"),
    # A show or channel name may sit between the verb and the platform: a longer reach.
    _s("channel plug", "imperative to a platform", 0.3,
       rf"{_CLAUSE}(?P<key>{_STRONG_VERBS}|{_WEAK_VERBS}){_AFTER}[^.!?]{{0,60}}?\b(?:on "
       rf"(?:{_PLATFORMS})|(?:on|in|via) our (?:free )?(?:app|website|site))\b"),
    _s("channel plug", "handle", 0.3, r"(?P<key>(?<![\w.@])@[A-Za-z]\w{2,})"),
    # Money offers: reporting mentions these too, so each needs a second signal to trip.
    _s("money offer", "up to amount in rewards", 0.45,
       rf"(?P<key>\bup to {_AMOUNT}\s+(?:in\s+)?(?:\w+\s+)?(?:rewards?|bonus|credits?|cash ?back|"
       r"free bets?|off|discount|in \w+))"),
    _s("money offer", "amount bonus", 0.45,
       rf"(?P<key>{_AMOUNT}\s*(?:welcome |sign-?up |deposit |cash |joining )?(?:bonus|credit|"
       r"rewards?|cash ?back|back|free bets?|off|discount|match)\b)"),
    _s("money offer", "freebie", 0.4,
       r"(?P<key>\bfree (?:\w+ )?(?:trial|spins?|bets?|shipping|delivery|gift|sample|quote|"
       r"consultation|demo|share|stock|valuation|lesson|class|session|ebook|guide|estimate|app|"
       r"p&p|postage|returns|tote)|"
       r"\bget (?:\w+ ){0,3}free\b|cash ?back(?! (?:apps?|sites?|websites?|cards?|schemes?|"
       r"programmes?|programs?)\b)|no[- ]deposit|welcome (?:bonus|offer|package|gift)|"
       r"sign[- ]?up bonus|odds boosts?|risk[- ]free(?! (?:rates?|returns?|assets?|bonds?|"
       r"interest))|bonus (?:points|miles)|"
       r"intro apr|buy (?:one|two),? get (?:one|the third)|price of one|is on us|for \$0|"
       r"(?:months?|weeks?|days?)(?: of [\w ]+)? (?:for )?free|(?:lifetime|unlimited) access|"
       r"(?:fee|commission)-free|zero (?:fees?|commission)|half[- ]price|(?:two|three|\d) for "
       r"(?:one|two|\d)\b|free (?:for )?(?:\d+|a|one|two|three|seven) "
       r"(?:days?|weeks?|months?|nights?)|"
       r"free returns|first (?:month|week|year|box|order|lesson)s? (?:for )?(?:free|[$£€]\d))"),
    _s("money offer", "rate or points", 0.45,
       r"(?P<key>\d[\d.]*% (?:aer|apy|apr|gross)\b|"
       r"\b\d+x? (?:points|miles|stars) (?:per|on|for)\b)"),
    _s("money offer", "intro price", 0.4,
       rf"(?P<key>\b\d+ (?:days?|weeks?|months?) (?:of [\w+ ]{{1,20}} )?(?:for|at) {_AMOUNT})"),
    _s("price pitch", "selling price", 0.4,
       rf"(?P<key>\b(?:(?:save|earn|win|get|receive)(?: up to| an extra| a further)? {_AMOUNT}|"
       rf"(?:for|is|are|now|from|at) (?:just|only) {_AMOUNT}|(?:is|are|now) (?:down|reduced) to "
       rf"{_AMOUNT}|starting (?:at|from) {_AMOUNT}|as little as {_AMOUNT}|"
       rf"(?:down|reduced) from {_AMOUNT}|{_MONEY}\s?/\s?(?:mo|month|yr|year|wk|"
       r"week)\b)|"
       r"for less\b|one low price|"
       r"(?<!up )(?<!down )(?<![\d%] )\bfrom [$£€¥]\d[\d,.]*+"
       r"(?=\s*(?:[.!]|$|pp\b|per person|a night|each)))"),
    # A struck-through price, written the retail way: "(was $349)", "RRP £99". "Down from £1.50"
    # stays in the price-pitch family above, where it cannot add to "is down to": petrol prices
    # are news.
    _s("price cut", "was price", 0.35,
       rf"(?P<key>\((?:was|rrp|usually|normally|reg\.?):? {_MONEY}|\brrp:? {_MONEY})"),
    # What you must spend to get the offer: "on orders over £30", "when you spend $75".
    _s("spend threshold", "order minimum", 0.35,
       rf"(?P<key>\b(?:on|with) (?:all |any |your )?(?:orders?|purchases?|baskets?|spend) "
       rf"(?:over|above|of|worth) {_MONEY}|\bwhen you spend {_MONEY}|"
       r"\bon (?:all|every|any|your (?:next|first)) (?:orders?|purchases?))"),
    _s("advertiser voice", "we offer you", 0.45,
       r"\b(?P<key>we(?:'ll| will) (?:give|match|send|pay|double|add|throw in|refund|credit|cover|"
       r"beat)\b)"),
    _s("advertiser voice", "first person", 0.15, r"\b(?P<key>our|we)\b"),
    _s("promo code", "code token", 0.6,
       r"\b(?P<key>(?i:code|coupon)\s*:?\s*[\"']?[A-Z][A-Z0-9]{3,})\b", 0),
    # A bare code word after "use"/"with": WELCOME10, AUTUMN20. Capitals plus digits, so
    # "with COP28 delegates" could also match: worth less than a named code.
    _s("promo code", "bare code", 0.45,
       r"\b(?i:with|use|using|enter|apply|quote)\s+(?P<key>[A-Z]{3,}\d{1,3})\b", 0),
    _s("promo code", "code mention", 0.35,
       r"\b(?P<key>(?:promo|coupon|discount|voucher|referral) codes?|no code needed)\b"),
    _s("urgency", "deadline", 0.35,
       r"\b(?P<key>limited[- ]time|(?:today|tonight|this \w+|\w+day|weekend) only|now through|"
       r"(?:offer|sale|deal)s? (?:ends?|expires?)|ends (?:soon|tonight|at midnight)|at midnight|"
       r"prices? go(?:es)? up|last chance|before (?:it's|they're) gone|before (?:it|they) "
       r"(?:ends?|sells? out)|early[- ]bird|flash sale|for a limited|lock in|limited offer|"
       r"(?:starts?|ends?|live|out|on sale) now|prices? (?:rises?|increases?) (?:in|on|at|after) |"
       r"offer valid|valid (?:until|till)|early access)\b"),
    # A short line that opens with the name of an offer: "Deal alert:", "Today's deal:".
    _s("offer framing", "deal label", 0.5,
       r"^\W*(?P<key>(?:today's |daily |top |hot |flash |lightning |limited(?:[- ]time)? |"
       r"exclusive |best |weekend )?(?:deals?|offers?|coupon|promo|bargain|price drop)"
       r"(?: alert| of the (?:day|week))?)\s*[:!|]"),
    # An offer named as such; "reader offers" are always bought space.
    _s("offer framing", "reader offer", 0.5,
       r"\b(?P<key>(?:exclusive )?readers?'? (?:offer|deal|discount|price|exclusive)s?)\b"),
    _s("offer framing", "named offer", 0.4,
       r"\b(?P<key>(?:exclusive|special|welcome|introductory|limited[- ]time|black friday|"
       r"cyber monday|flash|members?'?|vip|bonus) (?:offer|deal|discount|price)s?|"
       r"exclusive for)\b"),
    _s("scarcity", "few left", 0.35,
       r"\b(?P<key>only \d+ (?:\w+ )?(?:left|remaining)|(?:spots|places|seats) are limited|"
       r"limited (?:spots|places|seats|stock)|while (?:stocks?|supplies) last)\b"),
    # Small print that law or platforms make advertisers carry; reporting quotes it, not uses it.
    _s("terms", "small print", 0.5,
       r"(?P<key>\bts? ?& ?c'?s? apply|\bterms (?:(?:and|&) conditions )?apply|"
       # "18+ only" is small print, "18+ venues" an adjective.
       r"\b(?:18|19|21)\+(?!\s?(?!only\b)[a-z])|"
       r"begambleaware|\bgambleaware|(?:gamble|play|bet) responsibly|when the fun stops|"
       r"1-800-gambler|gambling problem\?|new (?:& |and )?(?:eligible )?(?:customers|players|users)"
       r" only|capital (?:is )?at risk|cancel any ?time|no annual fee|no wagering|"
       r"min(?:imum)? deposit|\bno [\w-]+(?: [\w-]+)? (?:required|needed)|no strings attached|"
       r"\d+(?:\.\d+)?% of retail (?:investor |cfd )?accounts lose money|"
       r"representative (?:example|\d[\d.]*% apr)|% apr \(variable\)|not financial advice|"
       r"subject to (?:availability|status)|at participating \w+)"),
    # What trading, lending and telecoms ads sell on; reporting names these as "zero-fee apps".
    _s("selling point", "no-friction claim", 0.35,
       r"\b(?P<key>no (?:kyc|paperwork|contract|credit checks?|hidden (?:fees|charges)|lock-?in|"
       r"minimum balance|verification)|low(?:est)? fees|instant (?:withdrawals|payouts|approval|"
       r"decision)|\d+x leverage|spreads? from \d)"),
    _s("selling point", "slogan", 0.3,
       r"\b(?P<key>starts here|is waiting(?: for you)?|awaits you|made (?:easy|simple)|"
       r"(?:the )?(?:smarter|easier|easiest|simplest|smartest|fastest|quickest) way to|"
       r"just better \w+)\b"),
    # Clickbait from content-recommendation widgets pasted under articles.
    # "One weird trick" is never news; "what happens next" is also a headline, so it weighs less.
    _s("clickbait", "chumbox", 0.5,
       r"\b(?P<key>(?:this|one) (?:\w+ )?(?:simple|weird|strange|little|odd) trick|"
       r"(?:doctors|experts|banks|dentists|lawyers) hate (?:this|these|him|her|it)\b)"),
    _s("clickbait", "teaser", 0.35,
       r"\b(?P<key>you won't believe|what happens next|will (?:shock|amaze) you)\b"),
    _s("app store", "available on", 0.4,
       r"(?P<key>\bapp store\b|google play|\b(?:ios|iphone) and android|"
       r"android and (?:ios|iphone))"),
    # Shop furniture: the checkout, the basket, instalments.
    _s("shop furniture", "checkout", 0.4,
       r"\b(?P<key>at checkout|in (?:your|the) (?:basket|cart)|interest-free instalments|"
       r"pay in \d instalments|next-day delivery|delivered to your door)\b"),
    # Buttons and price widgets scraped with the article: "View deal", "$299 at Best Buy".
    _s("shop furniture", "button", 0.6,
       rf"^\W*(?P<key>(?:view|see|get|check|shop|buy|compare) (?:the )?(?:deal|offer|prices?|now|"
       rf"it at \w+)|{_MONEY} (?:at|@) [A-Z][\w.&' -]{{1,30}})\W*$"),
    _s("new-customer offer", "first-order offer", 0.4,
       r"\b(?P<key>new (?:users|customers|players|members|subscribers|account holders)"
       r"(?: get| receive| earn|:)|"
       r"your first (?:deposit|order|purchase|bet|trade|box|booking|ride|lesson|transfer|"
       r"\d+ (?:weeks|months)))"),
    # Present-tense perks for a segment of readers: "Members get early access".
    _s("new-customer offer", "segment perk", 0.35,
       r"^\W*(?P<key>(?:our )?(?:members|subscribers|readers|customers|cardholders|students) "
       r"(?:get|save|enjoy|receive|earn|can (?:now )?(?:get|save|enjoy|claim))\b)"),
    _s("reader hook", "question hook", 0.3,
       r"^\W*(?P<key>(?:looking (?:for|to)|want|need|tired of|sick of|ready (?:to|for)|"
       r"like what you|fancy|struggling|new to|thinking (?:of|about)|enjoy(?:ed)?|liked?|loved?|"
       r"found this|planning|considering|dreaming of|in the market for|searching for)"
       r"\b[^?]*\?)"),
    _s("addresses reader", "second person", 0.2, r"\b(?P<key>you(?:r|'ve|'ll|'re)?|yourself)\b"),
    # An emoji opening a line is a social or newsletter bullet; inside prose it is just a glyph.
    _s("emoji", "leading emoji", 0.3, rf"^(?P<key>{_EMOJI})"),
    _s("punctuation", "exclamation or emoji", 0.1,
       rf"(?P<key>!|{_EMOJI})"),
)
# fmt: on

# Reporting framing: attribution, third-person institutions, reported instructions.
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|according to|reported|announced|disclosed|alleged|alleges|ruled|"
    r"found|confirmed|warned|complained|sued|fined|banned|ordered|"
    r"(?:filings?|data|figures|records|documents|screenshots|emails|statistics) "
    r"(?:show|shows|showed|suggest|suggests|suggested)|"
    r"(?:urg|ask|encourag|advis|remind|invit)(?:ed|es|ing|s)\s+(?:\w+\s+){0,4}to|"
    r"called on\s+(?:\w+\s+){0,3}to|"
    # Present-tense attribution after a third-party speaker ("..., campaigners urge").
    r"(?:experts?|analysts?|campaigners?|advisers?|advisors?|economists?|officials?|critics?|"
    r"researchers?|regulators?|police|authorities|charities|groups?|body|watchdog|regulator) "
    r"(?:urge|urges|warn|warns|advise|advises|recommend|recommends|argue|argues|note|notes|"
    r"estimate|estimates|suggest|suggests)|"
    # ... or any speaker, when the speech verb closes the sentence ("..., paramedics advise.").
    r",\s+(?:\w+\s+){1,3}(?:urge|urges|warn|warns|advise|advises|recommend|recommends|argue|"
    r"argues|note|notes|suggest|suggests|insist|insists|add|adds)(?=\s*[,.;!?]|$)|"
    # Advice or a slogan introduced as someone's: "The minister's advice was simple: check...".
    r"(?:\w+'s|his|her|their|its|the) (?:\w+ )?(?:advice|message|warning|plea|instructions?|"
    r"slogan|motto|mantra)s?\b[^.!?:]{0,40}(?=:)|"
    # Passive past tense: someone else was offered, told or promised something.
    r"(?:was|were|had been) (?:offered|told|promised|given|sent|charged|urged|encouraged|"
    r"invited|asked|marketed|advertised|withdrawn)|"
    r"(?:the|its|their) (?:company|company's|firm|exchange|exchange's|platform|retailer|chain|"
    r"bank|casino|bookmaker|operator|airline|carrier|startup|regulator|watchdog|court|judge|"
    r"lawsuit|government|ministry|council|agency|shareholders|analysts|investors|executives?))\b",
    _I,
)
# Quotation: a closed curly quote, an unclosed one only up to the end of its own sentence (so a
# stray “ cannot hide the rest of a paragraph), or straight quotes not used as inch marks (55").
_QUOTED = re.compile(r"“[^“”]*”|“[^“”.!?]*[.!?]?|(?<![\w\"])\"[^\"]*\"(?!\w)")
# An opening “ with no closing mark after it, and the rest of its sentence.
_UNCLOSED = re.compile(r"“[^“”.!?]*(?:[.!?]+|$)(?![^“]*”)")
# A hashtag or label mentioned as a word ("the hashtag #ad must appear") is not one in use.
_MENTION = re.compile(
    r"\b(?:hashtags?|tag(?:s|ged|ging)?|label(?:s|led|ed|ling)?(?: as)?|(?:the )?words?|"
    r"handles?|accounts?|usernames?|names?)\s+([#@]\w+)",
    _I,
)
# Editorial navigation ("Read more: <headline>", "Related: <headline>") labels a link to our own
# reporting; the label is dropped and the headline scored on its own.
_NAVIGATION = re.compile(
    r"^\W*(?:read more|related(?: coverage| stories| articles?| reading)?|see also|more on this"
    r"(?: story)?|further reading|watch|listen|video|photos?|gallery|explainer|analysis|opinion)"
    r"\s*:\s*",
    _I,
)
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


def _quote_mention(mention: re.Match[str]) -> str:
    # "the hashtag #ad" names the label; quoting it lets it count as speech, not as a label.
    return mention.group(0).replace(mention.group(1), f"“{mention.group(1)}”")


def _short(sentence: str) -> bool:
    return len(sentence.split()) <= SHORT_SENTENCE_WORDS


def assess(text: str) -> PromoVerdict:
    """Score one paragraph or line; reasons give the strongest hit of each signal family.

    The paragraph is scored as a whole, sentence by sentence, and in pairs of short sentences (a
    pitch often spreads over two: "Trade with zero fees. Open your account in minutes."), keeping
    the highest: otherwise one "officials said" would also damp an ad pasted onto the end of the
    paragraph. Pairs are limited to short sentences because joining two long sentences of
    reporting mostly adds chance hits. Quotes are masked first, so that a closed quotation
    running over several sentences stays quoted. An unclosed “ covers only its own sentence:
    what follows is scored on its own at UNCLOSED_QUOTE_FACTOR, so a stray quote mark cannot
    hide an ad pasted after it.
    """
    text = _NAVIGATION.sub("", _normalise(text), count=1)
    if not text:
        return PromoVerdict(0.0, ())
    text = _MENTION.sub(_quote_mention, text)
    unclosed = _UNCLOSED.search(text)
    if not unclosed or not text[unclosed.end() :].strip():
        return _assess_span(text)
    head, tail = _assess_span(text[: unclosed.end()]), _assess_span(text[unclosed.end() :])
    damped = round(tail.score * UNCLOSED_QUOTE_FACTOR, 3)
    tail = PromoVerdict(damped, (*tail.reasons, "after an unclosed quote"))
    return max(head, tail, key=lambda v: v.score)


def _assess_span(text: str) -> PromoVerdict:
    outside = _QUOTED.sub(_mask_quote, text)
    sentences = _SENTENCE_BREAK.split(outside)
    if len(sentences) == 1:
        return _score(outside, " … ".join(_QUOTED.findall(text)))
    # Runs of up to PITCH_SENTENCES short sentences; long reporting sentences stand alone.
    runs = [
        sentences[start : start + size]
        for size in range(2, PITCH_SENTENCES + 1)
        for start in range(len(sentences) - size + 1)
    ]
    windows = sentences + [" ".join(run) for run in runs if all(map(_short, run))]
    return max((_score(window, "") for window in windows), key=lambda v: v.score)


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
