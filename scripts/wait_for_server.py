"""Wait until a URL answers (any HTTP status), at most 60 s: `make run` prints the demo logins
only once the server is up, so they are the last lines on the screen."""

import sys
import time
import urllib.error
import urllib.request


def main(url: str, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # nosec B310 # a local http URL  # noqa: S310
                return 0
        except urllib.error.HTTPError:
            return 0  # it answered
        except OSError:
            time.sleep(0.3)
    print(f"The server did not answer on {url} within {timeout:.0f} s.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
