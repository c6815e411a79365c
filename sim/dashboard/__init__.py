"""The trainer's dashboard: a Solara app on Mesa's visualisation tools (``sim dashboard``).

Model-side helpers (``session``, ``network_sample``, ``curve_data``, ``levers``) import neither Solara nor
a browser, so they are tested and benchmarked on their own; the view modules (``app``, ``play``,
``controls``, ``network_view``, ``curves``) need the ``dashboard`` extra.
"""
