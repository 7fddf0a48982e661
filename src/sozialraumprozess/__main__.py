"""``python -m sozialraumprozess`` runs the ``sozialraum`` command line."""

from sozialraumprozess.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
