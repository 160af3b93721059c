"""``python -m pimlearn``."""

from .cli import main

main()
