"""This course's hooks for the generator's forked kernels (`coursebook: kernels: hooks:` in _config.yml).

The warm kernel imports torch once; each chapter's kernel is forked from it and must behave as a fresh one.
"""

import os
import sys


def fork_refusal() -> str:
    """CUDA cannot be used in a process forked after it started."""
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_initialized():
        return "CUDA is initialised in the zygote, and a forked process cannot use it"
    return ""


def after_fork() -> None:
    """A fresh seed, and the thread count of this kernel: OpenMP read OMP_NUM_THREADS when the zygote imported torch."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.seed()
        threads = os.environ.get("OMP_NUM_THREADS", "")
        torch.set_num_threads(int(threads) if threads.isdigit() else os.cpu_count() or 1)
