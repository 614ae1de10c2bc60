"""Evaluation against labeled reports (policy section 11 format)."""
