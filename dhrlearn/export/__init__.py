"""Exports for publication: data tables (XLSX, CSV), chart images (PNG, SVG) and the report pack."""
