"""The read side: figures computed from current accepted returns, as plain dicts.

- ``spend``: spend KPIs and flows from the maintained aggregates (``spend_kpis``,
  ``spend_flows``, and ``spend_table`` / ``flow_table`` for many periods at once); releases
  pass ``return_ids`` to recompute the figures of exactly the returns they were built from.
- ``partnership``: one place partnership's view; ``mca``: a sub-region's view.
- ``charter``: commitments scoreboard, measures and contributions; ``common``: the period
  window, lineage and submission status the views share; ``registry``: places, their LADs
  and their partners as plain rows, read once per view.
"""
