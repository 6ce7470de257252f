"""Competitions on the platform: challenge pages, model uploads scored in the worker, leaderboards."""
