"""Identity and access: API keys bound to one role (and, for advertisers, one advertiser)."""
