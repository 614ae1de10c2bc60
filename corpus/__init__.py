"""Synthetic labeled SPECT reports: seeded study sampling, rule labels, styled rendering."""
