"""The web pages: sign-in, dashboard, servers, the API page and the docs."""
