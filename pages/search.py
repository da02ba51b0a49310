import streamlit as st
from ui import components as ui
ui.page_header("search", "Coming next.")
