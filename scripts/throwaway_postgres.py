#!/usr/bin/env python3
"""A throwaway PostgreSQL of the machine's packages, for the demo and the tests: `start DIR` creates a cluster in DIR
(once), starts it on a free port of localhost and writes DIR/connection.env (the FABRIQUES_PG_* variables that
`fabriques run --engine postgres` reads); `stop DIR` stops it; `run DIR -- COMMAND…` starts it, runs COMMAND with
those variables and stops it, whatever COMMAND's outcome. Run as root, the server runs as the `postgres` system
user, which owns DIR."""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
DATABASE = "fabriques"
USER = "fabriques"


def pg_binary(name: str) -> str:
    for folder in BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} not found: install PostgreSQL (apt-get install postgresql; scripts/setup_system.sh does)")
    return found


def as_server_user(command: list[str], **options) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, **options)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(folder: Path) -> dict[str, str]:
    folder = folder.resolve()
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    if not (data / "PG_VERSION").exists():
        as_server_user(
            [pg_binary("initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
            stdout=subprocess.DEVNULL,
        )
    port = free_port()
    as_server_user(
        [
            pg_binary("pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(folder / "server.log"),
            "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "start",
        ],
        stdout=subprocess.DEVNULL,
    )
    created = subprocess.run(
        [pg_binary("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE],
        capture_output=True,
        text=True,
    )
    if created.returncode and "already exists" not in created.stderr:
        sys.exit(created.stderr)
    settings = {
        "FABRIQUES_PG_HOST": "127.0.0.1",
        "FABRIQUES_PG_PORT": str(port),
        "FABRIQUES_PG_USER": USER,
        "FABRIQUES_PG_DBNAME": DATABASE,
    }
    (folder / "connection.env").write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
    print(f"PostgreSQL on 127.0.0.1:{port}, database {DATABASE}: settings in {folder / 'connection.env'}")
    return settings


def stop(folder: Path) -> None:
    data = folder.resolve() / "data"
    if (data / "postmaster.pid").exists():
        as_server_user([pg_binary("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], stdout=subprocess.DEVNULL)


def run(folder: Path, command: list[str]) -> int:
    settings = start(folder)
    try:
        return subprocess.run(command, env=os.environ | settings).returncode
    finally:
        stop(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("start", "stop", "run"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("command", nargs="*", help="with run: the command to run (after --)")
    args = parser.parse_args(argv)
    if args.action == "run":
        return run(args.folder, args.command)
    (start if args.action == "start" else stop)(args.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
