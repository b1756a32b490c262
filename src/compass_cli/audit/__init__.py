"""The interactive evaluation: the interview loop, the keystroke grammar, the terminal prompter.

Internal: `compass audit` is the interface; the modules may change between releases.
"""
