"""compass-cli: evaluate a careers programme against the Gatsby Benchmarks, offline."""

__version__ = "0.1.0"
