"""``python -m api.cli``: the ``jiebang`` command."""
import sys

from api.cli import main

sys.exit(main())
