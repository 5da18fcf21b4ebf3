"""Measuring: the strategies, the reference points, the writes, the pages, the faults."""


class BenchRefused(RuntimeError):
    """A measurement that cannot run here (nothing loaded, a tool missing, not on a
    cluster); the message says what to do. Commands print it in one line."""
