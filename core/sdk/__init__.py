"""Tools for people who write jurisdiction plugins: the package scaffold (`scaffold.py`).

The conformance kit that checks a plugin lives in `core.conformance`.
"""
