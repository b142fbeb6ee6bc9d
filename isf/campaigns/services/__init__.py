"""Writes of the campaigns app, split by what they hold; import from the submodules."""
