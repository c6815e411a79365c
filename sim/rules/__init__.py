"""The weekly rules, one module per submodel of docs/ODD.md.

Every rule is a function ``rule(world, params, stream, week)``: it reads and changes the populations
of ``world`` (``sim.world.World``), takes every number from ``params`` (the scenario and the policy
the levers give, ``sim.world.Params``) and every random draw from ``stream``, its own generator
(``sim.streams``). The weekly order is ``sim.schedule.SCHEDULE``. Rules contain no numeric
literal other than 0 and 1: every coefficient is a scenario parameter (``docs/PARAMETERS.md``).
"""
