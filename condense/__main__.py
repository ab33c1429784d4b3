"""`python -m condense`: the same command line as the installed `condense` command, for a shell where the
venv's scripts folder is not on the path (a notebook's `!python -m condense …`, a Windows venv not activated).
It starts, as the console script does, at :mod:`condense._entry`, which answers Ctrl-C before the command line
is imported."""
from ._entry import main

__all__ = ["main"]

if __name__ == "__main__":
    main()
