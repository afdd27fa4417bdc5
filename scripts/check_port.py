"""Stops `make run` before it prints anything if its port is taken, so the address it prints
is the one it serves on: `python scripts/check_port.py HOST PORT`."""

import socket
import sys


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As runserver does: a port left in TIME_WAIT by the last run counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


if __name__ == "__main__":
    host, port = sys.argv[1], int(sys.argv[2])
    if not port_is_free(host, port):
        sys.exit(
            f"Port {port} on {host} is in use (another SafeHub or another program?). "
            f"Choose another: make run PORT={port + 1}"
        )
