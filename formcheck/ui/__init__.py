"""Pure helpers for the Streamlit pages (tables, chart data, upload checks, text). No Streamlit imports here,
so everything the pages show can be unit-tested without a browser."""
