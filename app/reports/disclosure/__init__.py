"""Statistical disclosure control for published reports: a model of what a report prints
(model), complementary suppression (suppress), and the audit that runs before a report is written
(audit), all over exact linear relations (solver).

The matrices here are small (a few hundred rows): OpenBLAS's worker threads only cost time on
them, and a great deal on a busy machine, so the package asks for one thread before numpy loads
(an explicit setting in the environment wins)."""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
