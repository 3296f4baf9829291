"""Loaded for every pytest run from this repository, even when no test path exists."""

pytest_plugins = ["tests.xdist_reports"]
