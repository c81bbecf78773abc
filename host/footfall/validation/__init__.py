"""Accuracy against reference data: loaders for ../shared/data and the checks `footfall validate` runs."""
