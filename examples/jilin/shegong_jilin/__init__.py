"""Jilin province's standard for urban community workers (DB22/T 3226-2021) as a shegong plugin."""
