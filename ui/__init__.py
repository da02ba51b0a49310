"""Streamlit-only helpers shared by the dashboard's pages (the library in dhrlearn/ never imports streamlit)."""
