"""Self-study mode: exercises, scheduling and progress."""
