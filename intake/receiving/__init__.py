"""Receiving: takes the shared inbox; gives the dossier folders and files found there, when each file has settled, its
copy in the content-addressed archive, and the one-instance lock. Never reads a file's content, never changes the inbox.
"""
