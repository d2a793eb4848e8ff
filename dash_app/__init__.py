"""The analyst dashboard: `create_app(db_path)` in dash_app.app builds it."""
