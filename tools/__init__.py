"""Developer tools, not installed with the package: benchmarks, the load benchmark and the
election-eve fault drill (``python -m tools.loadbench``, ``python -m tools.faultdrill``)."""
