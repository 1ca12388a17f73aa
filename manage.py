#!/usr/bin/env python
"""Django's command-line utility; operators use the `yingji` command (yingji.cli), which wraps it."""

import sys

if __name__ == "__main__":
    from yingji.cli import main

    main(sys.argv[1:])
