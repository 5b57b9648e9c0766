"""``python -m taktplan`` runs the command line."""

from taktplan.entry import main

main()
