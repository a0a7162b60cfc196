"""The operator's interfaces: the command line (`tui.cli`) and the full-screen Textual app.

Importing this package must stay cheap: the CLI's JSON commands never load Textual."""
