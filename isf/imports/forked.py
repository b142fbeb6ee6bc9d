"""A forked worker process that computes and sends picklable values back through a pipe (the second validating
process of a big order import, isf.imports.orders._cuts)."""

import contextlib
import os
import pickle
import queue
import signal
import threading


class _Worker:
    """A forked process sending picklable values (see _fork), read here by a thread as they come, so the worker
    never waits for this process to read."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self._values: queue.SimpleQueue = queue.SimpleQueue()
        self._reader = threading.Thread(target=self._read, args=(fd,), daemon=True)
        self._reader.start()

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb", buffering=1 << 20) as f:
            try:
                while True:
                    self._values.put(pickle.load(f))  # streamed: the pickled bytes are never held whole
            except Exception:  # noqa: BLE001, S110 - EOF, or a broken worker: the caller does the rest itself
                pass
            finally:
                self._values.put(_END)

    def values(self):
        """Its values, in order, until it ended (normally or not: the caller sees which it did not get)."""
        while (value := self._values.get()) is not _END:
            yield value
        self._reader.join()
        os.waitpid(self.pid, 0)
        self.pid = None

    def stop(self) -> None:
        """End the worker early (its remaining work is done here)."""
        if self.pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.pid = None
        self._reader.join()


_END = object()


def _fork(work) -> _Worker | None:
    """Run ``work(send)`` in a forked copy of this process, which sends its values with ``send(value)``; None if no
    process could be started.

    The copy only computes (it must not touch the database) and ends with os._exit, so nothing of the parent -
    its connection, its temporary files - is cleaned up twice.
    """
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # pragma: no cover - runs in the child, whose coverage is not collected
        code = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb", buffering=1 << 20) as f:
                def send(value) -> None:
                    pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
                    f.flush()

                work(send)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return _Worker(pid, read)
