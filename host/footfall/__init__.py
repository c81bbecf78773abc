"""footfall: open shoe-clipped running-gait sensor, host side.

Data flow: sources -> protocol -> recording -> analysis -> coaching -> outputs.
"""

from footfall.errors import FootfallError

__all__ = ["FootfallError", "__version__"]
__version__ = "0.2.1"  # moves with every change to a figure footfall reports (the analysis JSON says it)
