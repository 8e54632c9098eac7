"""Worker processes that end when their supervisor ends (behaviour 8.5).

uvicorn's supervisor stops its workers when it is asked to stop, but when it is killed
(SIGKILL, the OOM killer) they live on as orphans, still holding the listening socket, so
that the server cannot be started again. Each worker therefore asks Linux for SIGTERM when
its parent dies (prctl PR_SET_PDEATHSIG) and, everywhere, watches its parent id: when the
parent is gone it sends itself SIGTERM (a graceful stop), and if it is still alive after a
grace period it exits at once.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

SUPERVISOR_ENV = "ALTEGIO_SUPERVISOR_PID"
PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 0.5
GRACE_SECONDS = 5.0


def supervised() -> None:
    """In a worker started by `serve --workers N`: end with the supervisor. Elsewhere: nothing."""
    text = os.environ.get(SUPERVISOR_ENV)
    if not text or not text.isdigit() or int(text) == os.getpid():
        return
    parent = int(text)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):  # the watchdog below still works
            pass
    threading.Thread(target=_watch, args=(parent,), name="supervisor-watchdog", daemon=True).start()


def _watch(parent: int) -> None:
    # Checked after prctl too: a parent that died before the request would never signal.
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    os._exit(1)
