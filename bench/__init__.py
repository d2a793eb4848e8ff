"""`make bench`: throughput, build, query and report timings against fixed targets."""
