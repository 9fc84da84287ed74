"""Reading: takes one archived file; gives its text page by page (pypdf, python-docx, Tesseract), each page with how it
was read and its confidence, and page images. Never judges what a document is; risky parses run in a sandboxed child.
"""
