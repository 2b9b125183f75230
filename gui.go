package main

// runGUI opens the desktop window. It is filled in by the app package's
// entry point.
func runGUI() {}
