"""``python -m tessera compile <folder> --out <dir>``: see tessera.compile."""

import sys

from tessera.compile import main

sys.exit(main())
