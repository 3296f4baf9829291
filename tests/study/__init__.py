"""Tests of the self-study mode."""
