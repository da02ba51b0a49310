"""The dashboard: `streamlit run app.py`. A router: the frame (navigation, shared filters) runs the chosen page."""
from ui import frame

frame.run()
