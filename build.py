#!/usr/bin/env python3
"""Thin entry point: ``python build.py build`` is ``pimlearn build``."""

from pimlearn.cli import main

if __name__ == "__main__":
    main()
