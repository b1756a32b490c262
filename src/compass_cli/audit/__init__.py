"""The interactive evaluation: the interview loop, the keystroke grammar, the terminal prompter."""
