"""backprop-tutor: walk a small computation graph by hand and have every number checked."""

__version__ = "0.1.0"
