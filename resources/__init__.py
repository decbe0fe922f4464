"""The look: style.qss and icons/. pyproject.toml ships this folder inside the program as the package
app.assets (app/resources.py finds it there)."""
