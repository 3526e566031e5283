"""API endpoints of this app, one router per register; ``agreements/api.py`` joins them."""
