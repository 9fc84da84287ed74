"""The officers' desk: takes the store; gives one frozen view of every dossier and renders it as the JSON contract, the
table, the Excel register, the HTML report, search results, the export and the council hand-off. Never changes a verdict.
"""
