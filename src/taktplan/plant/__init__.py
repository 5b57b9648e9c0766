"""Adapters that turn a plant scenario into each solver stage's input.

The solver stages (balance, sequence, simulate) know nothing of
scenarios; these modules translate between the two and are used by
:mod:`taktplan.pipeline`.
"""
