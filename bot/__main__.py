"""`python -m bot` is the `shopbot` command."""

import sys

from bot.cli import main

sys.exit(main())
