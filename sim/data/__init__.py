"""Reference data shipped with the package (see README.md): read with importlib.resources."""
