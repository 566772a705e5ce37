"""Bare baselines: the least code that does the same work as the control plane's path."""
