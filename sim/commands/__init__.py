"""The command-line verbs: each module adds its parser and runs it (``python -m sim VERB``)."""
