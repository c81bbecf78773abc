"""The `footfall` command line. Each command lives in its own module in this package.

A command module defines `register(sub)` that adds its parser to the argparse sub-parsers and sets
`func=run` where `run(args) -> int`. Heavy imports (numpy, bleak, matplotlib) happen inside `run`, so
`footfall --help` stays fast. Any FootfallError, and any OSError from a file the system refused, becomes one
clear line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import difflib
import errno
import importlib
import os
import sys
from collections.abc import Sequence

from footfall import __version__
from footfall.errors import FootfallError

# One line per command module, in the order `footfall --help` lists them.
COMMANDS: list[str] = [
    "demo",
    "live",
    "scan",
    "info",
    "export",
    "import_csv",
    "simulate",
    "bench",
    "analyse",
    "validate",
    "firmware",
    "runner",
    "shoes",
    "history",
    "progress",
    "checkin",
    "advice",
    "report",
    "virtual_shoe",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="footfall", description="Open running-gait sensor: record, analyse, coach.")
    parser.add_argument("--version", action="version", version=f"footfall {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"footfall.cli.{name}").register(sub)
    _name_commands(parser)
    return parser


def _name_commands(parser: argparse.ArgumentParser) -> None:
    """Each (sub)command's errors start with its full name ("footfall runner add: error: ..."), as argparse's do."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                command.set_defaults(command_name=command.prog)
                _name_commands(command)


def _command_parser(parser: argparse.ArgumentParser, prog: str) -> argparse.ArgumentParser:
    """The (sub)command parser called `prog` ("footfall runner add"), else `parser` itself."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                if prog == command.prog or prog.startswith(command.prog + " "):
                    return _command_parser(command, prog)
    return parser


def refuse_extra(parser: argparse.ArgumentParser, extra: Sequence[str]) -> None:
    """Exit through `parser.error` on arguments it does not take: an unknown option with the nearest known one
    ("unknown option --duraton (did you mean --duration?)"), else the leftover arguments."""
    unknown = next((word for word in extra if word.startswith("-") and word != "-"), None)
    if unknown is None:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    name = unknown.partition("=")[0]
    known = [option for option in parser._option_string_actions if option.startswith("--")]
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    parser.error(f"unknown option {name}" + (f" (did you mean {close[0]}?)" if close else
                                             f" (see `{parser.prog} --help`)"))


def _never_fail_on_characters() -> None:
    """A character the output's encoding cannot show (a runner called Łukasz on a Windows cp1252 pipe or file, any
    non-ASCII under LC_ALL=C) prints as "?" rather than ending the command with a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # io.TextIOWrapper has it; a test's StringIO need not
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a closed or detached stream: nothing will be printed on it anyway
                pass


def main(argv: Sequence[str] | None = None) -> int:
    _never_fail_on_characters()
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # reported by the command that was given them, with its own usage (argparse's root parser did it)
        refuse_extra(_command_parser(parser, getattr(args, "command_name", parser.prog)), extra)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except FootfallError as exc:
        print(f"{args.command_name}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{args.command_name}: interrupted", file=sys.stderr)
        return 130
    except UnicodeEncodeError as exc:
        if "surrogate" not in exc.reason:
            raise
        print(f"{args.command_name}: error: {_LOCALE_TEXT}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `footfall ... | head`: the reader left; nothing more to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so the interpreter's final flush stays quiet
        return 0
    except OSError as exc:  # a file the system would not let us read or write (a full disk, /proc, permissions)
        print(f"{args.command_name}: error: {exc} ({_os_hint(exc)})", file=sys.stderr)
        return 2


# Under a locale that is not UTF-8 (LC_ALL=C with UTF-8 mode off), Python keeps the bytes of a non-ASCII argument
# it cannot decode as lone surrogates; SQLite and the files we write take UTF-8 only, so they cannot hold them.
_LOCALE_TEXT = ("a name or path given has characters this terminal's locale cannot pass on, so footfall can't "
                "store them (the locale is not UTF-8: set LANG=C.UTF-8 or PYTHONUTF8=1 and run it again)")


def _os_hint(exc: OSError) -> str:
    """What to do about a refused file: a full disk says so rather than pointing at permissions."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "the disk is full, or the file is over a size limit: free some space and run it again"
    return "check the path and its permissions"


if __name__ == "__main__":
    sys.exit(main())
