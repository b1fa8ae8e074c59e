"""Running a host's package manager query (dpkg-query, rpm) for `patrol push`."""

import subprocess

from patrol.collectors.errors import CommandFailed


def output_of(command: list[str], error: type[CommandFailed] = CommandFailed) -> str:
    """The standard output of `command`; `error` says why it could not run."""
    program = command[0]
    try:
        done = subprocess.run(command, capture_output=True, check=True, encoding="utf-8")  # noqa: S603 - our own argv
    except FileNotFoundError as exc:
        raise error(f"{program} not found: is it installed on this host?") from exc
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.strip() or f"exit status {exc.returncode}"
        raise error(f"{program} failed: {message}") from exc
    return done.stdout
