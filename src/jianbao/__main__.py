"""``python -m jianbao`` runs the command line."""

from jianbao.cli import main

main()
