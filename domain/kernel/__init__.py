"""The shared kernel: actors, roles, typed rejections, the clock, storable text and policy values.

Every other package may import it; it imports nothing of Standing's.
May import: nothing.
"""
