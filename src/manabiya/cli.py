"""The `manabiya` console script: Django's management commands under the project's name.

Commands with a dash (`manabiya import-events`) map to the underscore name Django uses.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manabiya.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "manabiya"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
