"""`python -m backprop_tutor` runs the same command line as `backprop-tutor`."""

import sys

from .launch import main

sys.exit(main())
