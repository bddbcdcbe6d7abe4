"""`python -m suiteops.cli ...`: the same as the `suiteops` command."""

import sys

from suiteops.cli import main

sys.exit(main())
