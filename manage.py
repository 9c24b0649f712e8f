#!/usr/bin/env python
from enlace.cli import main

if __name__ == "__main__":
    main()
