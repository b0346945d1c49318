"""Quality and speed benchmarks (`python -m bench.quality`)."""
