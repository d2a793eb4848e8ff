"""Figures from Chinese reports: ingest → normalize → extract → resolve → store."""

__version__ = "0.1.0"
