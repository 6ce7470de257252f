"""Worker processes that stop with their parent: Ctrl-C is handled once, by the command, never by each worker."""

import contextlib
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context


@contextlib.contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A spawn-based process pool whose workers ignore Ctrl-C; on any exception (Ctrl-C included) the pending work
    is cancelled instead of being waited for, so an interrupted command stops at once."""
    pool = ProcessPoolExecutor(
        workers, mp_context=get_context("spawn"), initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN)
    )
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
