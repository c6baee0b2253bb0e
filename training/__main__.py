"""Entry point: `python -m training`."""

import os

# One BLAS thread: the same bytes on any machine whatever its core count (summation order), and
# faster here, since the matrices are small and the cores are shared.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

from training.cli import main

raise SystemExit(main())
