"""Figures (matplotlib only here): each plot takes tables and an optional ``ax``."""
