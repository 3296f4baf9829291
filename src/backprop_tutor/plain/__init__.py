"""The line-at-a-time front ends: the tutor's quiz (`--plain`) and self-study (`quiz --plain`).

Plain text over any pair of streams, no Textual and no Rich, for screen readers, small
terminals and pipes. Both talk through `lines.LineConversation`, whose one loop reads an
answer per line, `?` for a hint, `!` for the value and `q` to stop.
"""
