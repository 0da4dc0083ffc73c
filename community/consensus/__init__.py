"""The consensus maths: pure functions over NumPy arrays, no Flask and no database.

Empty until the consensus issue lands; the import-linter contract that keeps it
free of Flask is already in force.
"""
