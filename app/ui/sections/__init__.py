"""The window's sections (left navigation), each shown only to the roles that may use it."""
