"""The one way a command stops with a reason: exit code 1 and a single line on stderr."""

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class Refused(Exception):
    """A clear one-line reason to stop with exit code 1."""
