"""Pages of the campaigns app, split by what they serve."""
