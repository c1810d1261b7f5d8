"""`python -m app`: the `momentum-explorer` command (serve, or `export DIR [FIGURE ...]`; app/cli.py)."""

from .cli import main

if __name__ == "__main__":
    main()
