"""Dossier intake for the Vietnam National Quality Award (GTCLQG): watch, receive, read, classify, judge, notify."""

__version__ = "0.1.0"
