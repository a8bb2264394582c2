"""Run the serang-gis command of the Python where the package is installed, line by line.

QGIS's own Python usually lacks geopandas, pyogrio, folium and the rest, so the algorithms never
import serang_gis: they run ``<python> -m serang_gis <command> ...`` (the interpreter from the
provider setting or SERANG_GIS_PYTHON) or else the ``serang-gis`` executable found on PATH. This
module imports only the standard library.
"""

import os
import queue
import shutil
import subprocess
import threading

ENV_PYTHON = "SERANG_GIS_PYTHON"
# QGIS's own Python, GDAL and PROJ settings would point the other interpreter at the wrong libraries and data
DROPPED_ENV = ("PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP", "PROJ_LIB", "PROJ_DATA", "GDAL_DATA", "GDAL_DRIVER_PATH")
NOT_FOUND = ("serang-gis is not installed where QGIS can find it. Install it in a Python of its own "
             "(python3 -m pip install serang-gis, or pipx install serang-gis), then either put its serang-gis "
             "command on PATH or give that Python in Settings > Options > Processing > Providers > serang-gis "
             "(or the SERANG_GIS_PYTHON environment variable).")


class RunError(Exception):
    """The command could not start, failed (its own message), or was cancelled."""


def command(python: str = "") -> list:
    """The command line that starts serang-gis: the setting, else $SERANG_GIS_PYTHON, else PATH."""
    python = (python or os.environ.get(ENV_PYTHON, "")).strip()
    if python:
        found = shutil.which(python) if not os.path.isabs(python) else python
        if not found or not os.path.isfile(found):
            raise RunError(f"the Python for serang-gis ({python}, from the provider setting or {ENV_PYTHON}) "
                           "does not exist: give the full path of the interpreter where serang-gis is installed")
        return [found, "-m", "serang_gis"]
    exe = shutil.which("serang-gis")
    if exe is None:
        raise RunError(NOT_FOUND)
    return [exe]


def child_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update(PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1", NO_COLOR="1", TERM="dumb", COLUMNS="120")
    return env


def _pump(stream, lines):
    for line in stream:
        lines.put(line)
    lines.put(None)


def error_message(output: list) -> str:
    """The CLI's own error (click prints it as "Error: ..." to stderr), else the last lines it wrote."""
    starts = [i for i, line in enumerate(output) if line.startswith("Error: ")]
    if starts:
        text = "\n".join(output[starts[-1]:])
        return text[len("Error: "):].strip()
    return "\n".join(output[-10:]).strip() or "no message"


def run(args: list, *, python: str = "", on_line=print, canceled=lambda: False) -> list:
    """Run ``serang-gis <args>``; each line it writes goes to ``on_line``; a failure raises RunError with its message."""
    cmd = command(python) + [str(a) for a in args]
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                text=True, encoding="utf-8", errors="replace", env=child_env(),
                                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    except OSError as exc:
        raise RunError(f"cannot start {cmd[0]}: {exc}") from None
    lines, output = queue.Queue(), []
    threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            if canceled():
                proc.terminate()  # SIGTERM: serang-gis removes what it was writing
                proc.wait(60)
                raise RunError(f"serang-gis {args[0]} cancelled; files being written were removed") from None
            continue
        if line is None:
            break
        output.append(line.rstrip("\r\n"))
        on_line(output[-1])
    rc = proc.wait()
    if rc != 0:
        raise RunError(f"serang-gis {args[0]} failed (exit {rc}): {error_message(output)}")
    return output
