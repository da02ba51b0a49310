import sys

from dhrlearn.cli import main

sys.exit(main())
