"""The conformance kit: a contract check a jurisdiction plugin runs before an office installs it.

`pytest --shegong-jurisdiction KEY` (the `pytest11` plugin in `pytest_plugin.py`) checks every hook
the jurisdiction answers on seeded workers and communities generated from its own vocabularies
(`generate.py`): types and units, citations, determinism, quotas within their unit, pay lines and
pool shares that add up, retirement after birth and monotone in birth date, staffing monotone in
households (`checks.py`); then it runs the cases the plugin ships.
"""
