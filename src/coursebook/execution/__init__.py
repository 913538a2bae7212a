"""Execution: the chapters run in parallel (forked kernels) into the cache Sphinx reads, and the record of where each ran."""
