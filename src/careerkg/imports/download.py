"""Fetching a source from an http(s) URL, and the scratch folder an import works in."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from rich.progress import (
    BarColumn,
    DownloadColumn,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from ..errors import InputError
from .report import make_progress

__all__ = ["download"]


def download(url: str, folder: Path, *, progress: bool = True, timeout: float = 60.0) -> Path:
    """Download ``url`` into ``folder`` with a progress bar; return the file written."""
    name = Path(urllib.request.url2pathname(url.split("?")[0].rstrip("/").rsplit("/", 1)[-1])).name
    target = folder / (name or "download.zip")
    bar = make_progress(
        progress,
        (
            TextColumn("[bold]download"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        ),
    )
    total: str | None = None
    got = 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(target, "wb") as out, bar:
            total = response.headers.get("Content-Length")
            task = bar.add_task("download", total=int(total) if total else None)
            while chunk := response.read(1 << 16):
                out.write(chunk)
                got += len(chunk)
                bar.advance(task, len(chunk))
    except urllib.error.HTTPError as e:
        raise InputError(f"download failed: HTTP {e.code} {e.reason}", file=url) from e
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise InputError(f"download failed: {getattr(e, 'reason', e)}", file=url) from e
    if total and got != int(total):
        raise InputError(f"download incomplete: got {got} of {total} bytes", file=url)
    return target

