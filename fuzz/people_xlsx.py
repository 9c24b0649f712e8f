"""Fuzz the people register import with .xlsx workbooks (see _people.py)."""

import _people

if __name__ == "__main__":
    _people.harness("xlsx")
