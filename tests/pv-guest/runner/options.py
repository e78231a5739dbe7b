"""The global options every guest test takes, from their one definition."""

import os
import textwrap
import tomllib

from . import RunnerError

TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                     "kernel", "global-options.toml")


def global_options():
    """(name, values, help) for each option, in the table's order; values[0] is the default."""
    path = os.path.normpath(TABLE)
    try:
        with open(path, "rb") as f:
            table = tomllib.load(f)
        return [(o["name"], list(o["values"]), o["help"]) for o in table["option"]]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as e:
        raise RunnerError(f"{path}: cannot read the global options table ({type(e).__name__}: {e})")


def describe():
    """The options for `run --help`: name, values with the default marked, help."""
    lines = ["global options: NAME=VALUE on any guest command line (kernel/global-options.toml)"]
    for name, values, text in global_options():
        shown = " | ".join(v + (" (default)" if i == 0 else "") for i, v in enumerate(values))
        lines.append(f"  {name}: {shown}")
        lines += textwrap.wrap(text, 78, initial_indent="      ", subsequent_indent="      ")
    return "\n".join(lines)
