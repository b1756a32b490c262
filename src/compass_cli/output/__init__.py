"""Results into words: JSON, CSV, Markdown, HTML, PDF and the terminal's tables.

Every output is rendered from one result object (a Result, a Summary, a Comparison, the
report's context, records Coverage); nothing here reads answer files or scores anything.
Only the terminal modules (output.terminal) use rich.

Internal: the public API is compass_cli's own (its __init__.py); render_report is the way in.
"""
