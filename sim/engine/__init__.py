"""The engine: the Mesa model, its state arrays, mechanics, random streams, record and ensembles.

Nothing here does file IO or plotting."""
