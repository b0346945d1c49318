"""Uploaded files wait under ``<home>/uploads/<host>-<pid>-…`` (:func:`upload_folder`) until their request
or job ends, so personal data never sits in the system temp folder; what a killed process left there is
removed at the next start (:func:`remove_orphan_uploads`)."""
from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def process_alive(pid: int) -> bool:
    """Is process ``pid`` of this host alive?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


UPLOADS_DIR = "uploads"


def upload_folder(home: Path) -> Path:
    """A new folder for one uploaded file under ``<home>/uploads``, named after this process."""
    root = Path(home) / UPLOADS_DIR
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{socket.gethostname()}-{os.getpid()}-", dir=root))


def remove_orphan_uploads(home: Path) -> int:
    """Remove the upload folders a process of this host left behind when it was killed (call at start)."""
    root = Path(home) / UPLOADS_DIR
    removed = 0
    for folder in root.glob("*-*-*") if root.is_dir() else ():
        host, pid, _ = folder.name.rsplit("-", 2)
        if host != socket.gethostname():
            continue  # another host's (a shared home): its own start cleans it
        if pid.isdigit() and (int(pid) == os.getpid() or process_alive(int(pid))):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    if removed:
        log.warning("%d upload folder(s) left by a stopped process removed", removed)
    return removed
