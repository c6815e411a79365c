"""Imported only by the forkserver that local Dask workers fork from: the workers ignore Ctrl-C.

Ctrl-C in a terminal sends SIGINT to every process of the foreground group, local workers included;
each would print its own KeyboardInterrupt traceback. The ``sim`` process alone handles it: it stops
the cluster, keeps the finished runs and prints one line. Workers fork from the forkserver after this
module set SIGINT to "ignore" there, and inherit that.
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
