"""Start a server on a free 127.0.0.1 port for a test, and wait until it answers: any command
(:func:`serving`), an ASGI app in a thread of the test process (:func:`serving_app`), or a
Virtuoso server with a database of its own (:func:`virtuoso_server`)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving_app(app, *, seconds: float = 10) -> Iterator[str]:
    """Serve the ASGI ``app`` with uvicorn in a thread until the block ends; yields its base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + seconds
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        pytest.fail(f"uvicorn did not start within {seconds:g} s")
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(5)


@contextmanager
def serving(command: Sequence[str], probe_url: str, *, seconds: float = 20) -> Iterator[subprocess.Popen]:
    """Run ``command`` until the block ends; fail the test if ``probe_url`` never answers."""
    proc = subprocess.Popen(list(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + seconds
    try:
        while True:
            try:
                urllib.request.urlopen(probe_url, timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(f"server did not start: {proc.stderr.read().decode()[-2000:]}")
                time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        proc.wait(10)


VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql-v")

#: The SQL run through isql once the server is up: the anonymous SPARQL user ("SPARQL", who
#: answers /sparql and /sparql-graph-crud) may update, and may write every graph.
VIRTUOSO_GRANTS = """\
GRANT SPARQL_UPDATE TO "SPARQL";
GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL";
GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
"""


def virtuoso_ini(folder: Path, http_port: int, sql_port: int, *, buffers: int = 10_000) -> Path:
    """A virtuoso.ini keeping every database file in ``folder``, listening on 127.0.0.1 only.

    ``ResultSetMaxRows`` is raised far above careerkg's largest answer (the packaged 10,000
    silently truncates) and query time is not capped (a capped query returns partial results).
    ``buffers``: 8 KB pages of cache (the packaged ini's 10,000 is 80 MB)."""
    ini = folder / "virtuoso.ini"
    ini.write_text(
        f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {buffers * 3 // 4}
ThreadsPerQuery = 2
MaxClientConnections = 8
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 8
MaxClientConnections = 8
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
""",
        encoding="utf-8",
    )
    return ini


@contextmanager
def virtuoso_server(folder: Path, *, seconds: float = 60, buffers: int = 10_000) -> Iterator[str]:
    """Run ``virtuoso-t`` in the foreground with a fresh database in ``folder`` (free ports on
    127.0.0.1), grant SPARQL updates to the anonymous user, and yield the ``/sparql`` URL;
    stop the server when the block ends. Skips the test when Virtuoso is not installed."""
    if VIRTUOSO is None or ISQL is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    http_port, sql_port = free_port(), free_port()
    ini = virtuoso_ini(folder, http_port, sql_port, buffers=buffers)
    url = f"http://127.0.0.1:{http_port}/sparql"
    with open(folder / "stdout.log", "wb") as log:
        proc = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = (folder / "stdout.log").read_text(errors="replace")[-2000:]
                    pytest.fail(f"virtuoso did not start: {tail}")
                time.sleep(0.2)
        granted = subprocess.run(
            [ISQL, f"127.0.0.1:{sql_port}", "dba", "dba"],
            input=VIRTUOSO_GRANTS,
            capture_output=True,
            text=True,
            timeout=30,
        )
        if granted.returncode != 0 or "Error" in granted.stdout + granted.stderr:
            pytest.fail(f"isql could not grant SPARQL updates: {granted.stdout}{granted.stderr}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
