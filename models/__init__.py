"""Model artifacts shipped with the service, and the scripts that made them."""
