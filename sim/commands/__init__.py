"""Subcommands of ``sim``: each module defines NAME, HELP, ORDER, configure(parser) and execute(args)."""
