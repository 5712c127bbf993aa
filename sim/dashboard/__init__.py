"""The seminar dashboard: a local web app (Solara) over the simulator.

Pages (routes of :mod:`sim.dashboard.app`):

- ``/``: explore one scenario live: events on and off, key parameters on sliders, the
  ensemble's charts, one run month by month;
- ``/compare``: two scenarios (or one with two settings) side by side, one time cursor, the
  paired difference;
- ``/play``: the lecturer's page of a role-play game; ``/play/<CODE>``: a team's page.

Each browser session builds its own models (nothing is shared between sessions but a game,
which is shared on purpose). Start it with ``python -m sim dashboard`` (the ``dashboard`` extra).
"""
