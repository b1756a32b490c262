"""Activity records: the entitlements as data, a school's spreadsheets read, coverage counted."""
