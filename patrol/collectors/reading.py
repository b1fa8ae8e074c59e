"""Reading an input file as text, refusing ones no inventory is as big as."""

from pathlib import Path

from patrol.collectors.errors import FileTooLarge, UnreadableFile

# The largest file `patrol push` reads. A dpkg status file of a full desktop
# is a few MB and big SBOMs tens of MB; past this it is not an inventory.
MAX_FILE_BYTES = 64 * 1024 * 1024


def read_text(path: Path, limit: int | None = None) -> str:
    """The file's text; raises UnreadableFile or FileTooLarge (checked before reading)."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
        if size > limit:
            raise FileTooLarge(
                f"{path}: {size} bytes, more than the {limit} bytes Patrol reads from one file"
            )
        # utf-8-sig: editors on Windows may start the file with a byte order mark.
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path}: not UTF-8 text") from exc
    except OSError as exc:
        raise UnreadableFile(f"{path}: {exc.strerror or exc}") from exc
