"""Fuzz the people register import with CSV files (see _people.py)."""

import _people

if __name__ == "__main__":
    _people.harness("csv")
