"""townsquare — an open engine for the public town square.

Keep speech up, keep hate and violent conspiracies from finding a refuge, under public and accountable rules,
and let advertisers choose adjacency without ever buying censorship.
"""

__version__ = "0.1.0"
