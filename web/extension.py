def init_app(app):
    """Filled in by the web work."""
