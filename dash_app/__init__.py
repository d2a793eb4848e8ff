"""The analyst dashboard: `create_app(db_path)` in dash_app.app builds it from the page shell
(dash_app.components) and one module per tab (dash_app.pages)."""
