"""``python -m enlace.linkage``."""

from enlace.linkage.cli import main

raise SystemExit(main())
