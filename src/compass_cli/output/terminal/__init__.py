"""What people see in the terminal: rich tables, marks and error lines.

The only modules that use rich (with the audit's prompter, audit/terminal.py). A Console is
made per call, so test runners capture what is printed. Every string that comes from a file
(names, titles, answers, file names) is printed as a ``Text`` of text.terminal (console.plain):
rich does not read ``[link=...]`` in a Text as markup, and terminal() drops escape sequences.
"""
