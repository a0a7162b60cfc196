"""National law at the root of every jurisdiction chain (paid leave, labour contracts, committees)."""
