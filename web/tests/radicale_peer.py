"""radicale_peer.py - a Radicale CalDAV server for the browser tests (tests/api/radicale.py):
one user with one calendar of events. Prints one JSON line {"url", "collection", "username",
"password"} when ready and stops when its standard input closes.

Usage: /usr/bin/python3 web/tests/radicale_peer.py
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))

import radicale  # noqa: E402


def main():
    dav = radicale.Radicale({"sam": "sam-app-password"})
    try:
        col = dav.mkcalendar("sam", "work")
        print(json.dumps({"url": dav.url, "collection": dav.url + col, "username": "sam",
                          "password": "sam-app-password"}), flush=True)
        sys.stdin.read()
    finally:
        dav.close()


if __name__ == "__main__":
    main()
