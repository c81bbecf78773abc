"""CSV files: recordings exported in SI units, and other IMUs' CSV files imported as recordings (`convert`),
with their rows (`rows`), columns (`columns`) and sample clock (`clock`) judged on the way in."""
