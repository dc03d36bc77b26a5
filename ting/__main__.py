import sys

from ting.cli import main

sys.exit(main())
