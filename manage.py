#!/usr/bin/env python
"""Django's command-line utility; `kraftsenter` (the console script) does the same."""

from kraftsenter.cli import main

if __name__ == "__main__":
    main()
