"""Participants: registering mentors and protégés, updating profiles, and the directory each role browses.

May import: kernel, infra, models, standing, deadlines, badges.
"""
