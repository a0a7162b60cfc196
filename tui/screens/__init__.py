"""One module per screen: dashboard, roster, worker detail, plugins, and the modals they open."""
