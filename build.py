"""Build the book: `python build.py --help`."""
from textbook.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
