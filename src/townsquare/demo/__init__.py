"""A small demo data set written for the project (French and English), loaded by `townsquare demo load`."""
