"""Trusted autograder: sandboxed execution of student functions and plain-data transport."""
