"""What the add and edit forms check, apart from any screen: each field's text becomes a value or a
message naming the field, what is wrong and what is expected; a whole form becomes a record."""
