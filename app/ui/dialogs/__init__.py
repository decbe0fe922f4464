"""Dialogs: each loads its data, lets the user edit, calls one service on OK and closes only if
the service succeeded."""
