"""Compiled kernels for the weekly rules' arithmetic (numba).

Why: a week of the model makes several hundred numpy calls on arrays of a few thousand people, and at that
size each call costs about as much as its arithmetic (a microsecond or more of Python and numpy dispatch).
A rule stays a Python function of the world, the parameters, its stream and the week, and draws its uniforms
from its own stream as before; the loops over people that follow are a ``kernel``, one pass each, with no
temporaries and no per-call cost.

A kernel gives the numbers the numpy expressions it replaces gave, to the last bit
(``benchmarks/output_fingerprint.py`` checks every shipped scenario):
- no fast-math, so no operation is reordered or fused (no ``a * b + c`` contracted to one rounding);
- ``error_model="numpy"``: a division by zero gives inf or nan, as numpy's does, rather than raising;
- each element's expression keeps numpy's order of operations and its types. A float32 array compared with a
  Python float compares in float32 in numpy 2 (the float is "weak"): a kernel casts such a bound first;
- sums of floats stay in numpy (``np.add.reduce`` adds pairwise; a loop adds in sequence).
Kernels are compiled on first use and cached beside their module (``__pycache__``), so only the first run
after a change pays for compiling.
"""

from __future__ import annotations

import numba

kernel = numba.njit(cache=True, nogil=True, error_model="numpy")
"""Decorator of a rule's compiled loop: ``@kernel`` over a function of arrays and numbers."""
