"""The web pages and the HTTP JSON API over an archive (``khabar serve``)."""
