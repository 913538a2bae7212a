"""$package: the code every chapter of $title_en shares (seeded data, the statistics the chapters compute)."""

import numpy as np


def sample(n: int, seed: int = 0) -> np.ndarray:
    """n seeded draws from a standard normal distribution: the same numbers on every machine."""
    return np.random.default_rng(seed).standard_normal(n)


def mean(values: np.ndarray) -> float:
    return float(np.mean(values))


def spread(values: np.ndarray) -> float:
    """The sample standard deviation (n - 1 in the denominator)."""
    return float(np.std(values, ddof=1))
