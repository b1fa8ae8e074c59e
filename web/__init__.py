"""The web pages: sign-in, dashboard, servers, and the API settings page."""
