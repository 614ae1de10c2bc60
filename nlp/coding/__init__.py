"""Deterministic coding: the code table as data, the rules from facts to codes, the edits.

`table` loads and validates `codes.json`; `rules` turns `StudyFacts` into candidate code
sets with readable reasoning steps; `edits` checks any code set (from the rules, the
model or a coder) against the table and the policy.
"""
