"""A digest of the code and data that turn an input record into its normalised form and
blocking keys. An index stored by other code is stale: the app keeps this digest next to each
stored record so a relink rebuilds exactly the records made by an older engine.
"""

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path

# The modules and data behind normalize_record and blocking_keys (scoring is not part of it:
# a new scorer needs no new index).
_SOURCES = ("columns.py", "dates.py", "normalize.py", "blocking.py")
_DATA = ("given_names.txt", "nicknames.csv")


@cache
def index_version() -> str:
    """Eight hex characters that change whenever normalisation or blocking may change."""
    digest = hashlib.blake2b(digest_size=4)
    here = Path(__file__).resolve().parent
    for name in _SOURCES:
        digest.update(here.joinpath(name).read_bytes())
    data = resources.files("enlace.linkage").joinpath("data")
    for name in _DATA:
        digest.update(data.joinpath(name).read_bytes())
    return digest.hexdigest()
