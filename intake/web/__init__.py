"""The officers' desk as a web application (`intake serve`): sign-in, the queue, the dossier, decisions."""
