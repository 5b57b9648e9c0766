"""``python -m taktplan`` runs the command line."""

from taktplan.cli import main

main()
