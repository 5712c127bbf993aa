"""alliance-sim: an agent-based simulator of trust, hedging and alliance politics."""

__version__ = "0.1.0"
MODEL_VERSION = "1.1"  # bump when a mechanism changes the numbers
