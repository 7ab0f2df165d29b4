"""What the seed article is known to contain, shared by the tests that check it."""

AD = "Get up to $30,050 in trading rewards when you join Bybit today"
HEADINGS = [
    "The Manufacturing Gambit",
    "Strategic Timing",
    "Currency Calculations",
    "Toyota moves ahead as Trump returns to Asia",
    "Trade drives Trump’s full Asia tour",
]
