"""The built-in jurisdictions, each a plugin registered through the `shegong.jurisdictions`
entry-point group exactly as a third-party package would be."""
