import sys

from dhrlearn.cli import main

if __name__ == "__main__":  # tagging processes started by multiprocessing import this module too
    sys.exit(main())
