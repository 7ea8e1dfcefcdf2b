"""A warm Jupyter kernel: started once, it runs one parameterised notebook after another.

A batch of reports pays kernel start-up and the imports of pandas, matplotlib and compintel
once per worker instead of once per notebook. Each notebook still runs under papermill (its
``parameters`` cell, injected parameters and metadata, errors as ``PapermillExecutionError``),
in a real kernel, and before each notebook but the first the kernel's state is reset:
:func:`restore` runs inside the kernel and brings back the user namespace and output history
(IPython's ``reset``, execution count 1), matplotlib's figures and rcParams, pandas' options,
the working directory, environment variables, ``sys.path`` and the warning filters as they were
after start-up. Modules stay imported — that is the saving — so a notebook must not keep
per-customer state in module globals (the report's own modules keep none).

A kernel that cannot start or dies is a :class:`KernelFailure`, an infrastructure failure the
caller may retry once with a fresh kernel; an error raised by the notebook's code is not one.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path
from typing import IO, Any

ENGINE_NAME = "compintel-warm-kernel"
START_TIMEOUT = 60.0        # seconds for a kernel to start and answer
RESET_TIMEOUT = 60.0        # seconds for the reset between two notebooks

# a function of this module called in the kernel, binding no name there
_CALL = "__import__('compintel.warm_kernel', fromlist=['{0}']).{0}()"

# the state restore() brings back, recorded by snapshot() (inside the kernel)
_baseline: dict[str, Any] = {}


class KernelFailure(Exception):
    """The kernel did not start, stopped answering or died: worth one retry with a fresh one."""


# -- inside the kernel ---------------------------------------------------------------------------

def snapshot() -> None:
    """Inside a fresh kernel: import what every report uses and record the state to restore."""
    import matplotlib
    import matplotlib.pyplot  # noqa: F401 - sets up the inline backend once, before the record
    import pandas  # noqa: F401

    rc = dict(matplotlib.rcParams.copy())
    del rc["backend"]                       # as matplotlib.rc_context does: the backend stays
    _baseline.update(cwd=os.getcwd(), environ=dict(os.environ), path=list(sys.path),
                     warnings=list(warnings.filters), rc=rc)


def restore() -> None:
    """Inside a used kernel: back to the state :func:`snapshot` recorded."""
    import matplotlib
    import matplotlib.pyplot as plt
    import pandas
    from IPython import get_ipython

    plt.close("all")
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)       # namespace, In/Out, execution count back to 1
    os.chdir(_baseline["cwd"])
    os.environ.clear()
    os.environ.update(_baseline["environ"])
    sys.path[:] = _baseline["path"]
    warnings.filters[:] = _baseline["warnings"]
    warnings._filters_mutated()  # noqa: SLF001 - the documented-nowhere way to reset the cache
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # deprecated rcParams and options warn when set
        matplotlib.rcParams.update(_baseline["rc"])
        pandas.reset_option("all")
    gc.collect()


def _peak_rss_expression() -> str:
    """An expression a kernel evaluates to its peak resident memory in bytes (Unix)."""
    scale = 1 if sys.platform == "darwin" else 1024          # macOS reports bytes, Linux KiB
    return f"__import__('resource').getrusage(__import__('resource').RUSAGE_SELF).ru_maxrss * {scale}"


# -- in the process that drives the kernel -------------------------------------------------------

class WarmKernel:
    """One kernel that executes notebooks one after another, reset in between.

    ``log`` receives the kernel's own stdout and stderr (start-up warnings, tracebacks printed
    by the kernel): never the user's terminal. On POSIX the kernel talks over Unix sockets in a
    private folder, so kernels started at once by several processes cannot race for a TCP port.
    """

    def __init__(self, kernel_name: str, *, log: IO[Any] | None = None,
                 start_timeout: float = START_TIMEOUT) -> None:
        self.kernel_name = kernel_name
        self.log = log
        self.start_timeout = start_timeout
        self.notebooks = 0               # executed in this kernel so far
        self._km: Any = None
        self._kc: Any = None
        self._socket_dir: str | None = None

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Start the kernel and prepare it (raises KernelFailure)."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        _register_engine()
        options: dict[str, Any] = {}
        if os.name == "posix":
            self._socket_dir = tempfile.mkdtemp(prefix="compintel-kernel-")
            options = {"transport": "ipc", "ip": os.path.join(self._socket_dir, "k")}
        try:
            self._km = AsyncKernelManager(kernel_name=self.kernel_name, **options)
            # an in-memory history: nothing written to ~/.ipython by batch runs (as nbclient does)
            run_sync(self._km.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"],
                                            stdout=self.log, stderr=self.log)
            self._kc = self._km.blocking_client()
            self._kc.start_channels()
            self._kc.wait_for_ready(timeout=self.start_timeout)
            self._run(_CALL.format("snapshot"), self.start_timeout)
        except KernelFailure:
            self.shutdown()
            raise
        except Exception as exc:  # noqa: BLE001 - every way a start fails is the same failure
            self.shutdown()
            raise KernelFailure(f"kernel start: {type(exc).__name__}: {_first_line(str(exc))}") from exc
        self.notebooks = 0

    @property
    def started(self) -> bool:
        return self._km is not None

    @property
    def pid(self) -> int | None:
        provisioner = getattr(self._km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        return getattr(process, "pid", None)

    def alive(self) -> bool:
        if self._km is None:
            return False
        from jupyter_core.utils import run_sync

        try:
            return bool(run_sync(self._km.is_alive)())
        except Exception:  # noqa: BLE001 - a manager that cannot tell has no live kernel
            return False

    def shutdown(self) -> None:
        """Stop the kernel (politely, then by force) and remove its sockets."""
        from jupyter_core.utils import run_sync

        if self._kc is not None:
            with contextlib.suppress(Exception):     # closing what may already be gone
                self._kc.stop_channels()
            self._kc = None
        if self._km is not None:
            try:
                if run_sync(self._km.is_alive)():
                    run_sync(self._km.shutdown_kernel)(now=False)
                else:
                    run_sync(self._km.cleanup_resources)()
            except Exception:  # noqa: BLE001 - a kernel that will not stop is killed
                with contextlib.suppress(Exception):
                    run_sync(self._km.shutdown_kernel)(now=True)
            self._km = None
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None

    # -- work ----------------------------------------------------------------------------------
    def execute_notebook(self, notebook: str | Path, output: str | Path, parameters: dict[str, Any],
                         *, timeout: int | None = None) -> Any:
        """Run ``notebook`` with ``parameters`` under papermill in this kernel; the executed
        notebook is written to ``output`` (also when it fails). ``timeout``: seconds per cell.

        Raises papermill's PapermillExecutionError when the notebook's code fails (the kernel
        stays usable), KernelFailure when the kernel is gone, anything else for other failures
        (a cell timed out: the kernel, still busy, is stopped)."""
        import papermill

        if not self.alive():
            self.shutdown()
            raise KernelFailure("the kernel died between two notebooks")
        if self.notebooks:
            try:
                self._run(_CALL.format("restore"), RESET_TIMEOUT)
            except KernelFailure:
                self.shutdown()
                raise
        self.notebooks += 1
        try:
            return papermill.execute_notebook(
                str(notebook), str(output), parameters=parameters, engine_name=ENGINE_NAME,
                kernel_name=self.kernel_name, progress_bar=False, log_output=False,
                start_timeout=int(self.start_timeout), execution_timeout=timeout,
                # the executed notebook is written once at the end (and on failure), not after
                # every cell: each save serialises and validates the whole notebook
                request_save_on_cell_execute=False, km=self._km, partial_output=str(output))
        except Exception as exc:
            from papermill.exceptions import PapermillExecutionError

            if isinstance(exc, PapermillExecutionError):
                raise
            if not self.alive():
                self.shutdown()
                raise KernelFailure(f"the kernel died: {type(exc).__name__}: "
                                    f"{_first_line(str(exc))}") from exc
            self.shutdown()
            raise

    def usage(self) -> tuple[float | None, float | None]:
        """The kernel's CPU seconds and peak resident memory in MB so far (None where it
        cannot tell): what its notebooks cost, whatever else the machine is doing."""
        figures = {"cpu": "__import__('time').process_time()", "peak": _peak_rss_expression()}
        try:
            reply = self._kc.execute_interactive("", silent=True, store_history=False,
                                                 timeout=RESET_TIMEOUT, user_expressions=figures)
            values = reply["content"]["user_expressions"]
        except Exception:  # noqa: BLE001 - figures for the log, never a failure
            return None, None
        read = {name: float(value["data"]["text/plain"]) if value.get("status") == "ok" else None
                for name, value in values.items()}
        return read.get("cpu"), read["peak"] / 1e6 if read.get("peak") is not None else None

    def _run(self, code: str, timeout: float) -> None:
        """Execute ``code`` quietly in the kernel; a failure or no answer is a KernelFailure."""
        try:
            reply = self._kc.execute_interactive(code, silent=True, store_history=False,
                                                 allow_stdin=False, timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - no answer (TimeoutError) or a dead kernel
            raise KernelFailure(f"the kernel did not answer: {type(exc).__name__}: "
                                f"{_first_line(str(exc))}") from exc
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelFailure(f"the kernel could not be prepared: {content.get('ename')}: "
                                f"{_first_line(content.get('evalue', ''))}")


def _first_line(text: str) -> str:
    text = (text or "").strip()
    return text.splitlines()[0][:300] if text else ""


_registered = False


def _register_engine() -> None:
    """Register the papermill engine that runs notebooks in a kernel it does not own."""
    global _registered
    if _registered:
        return
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.iorw import write_ipynb
    from papermill.log import logger

    class WarmKernelEngine(NBClientEngine):
        """papermill's nbclient engine, executing in the kernel ``km`` it is given: the kernel
        is left running, the client's channels are closed, and on a failure that is not the
        notebook's own (a timeout, a dead kernel) the notebook so far is written out."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     km=None, partial_output=None, **kwargs):
            client = PapermillNotebookClient(
                nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file)
            try:
                return client.execute()
            except Exception:
                if partial_output:
                    write_ipynb(nb_man.nb, partial_output)
                raise
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    _registered = True
