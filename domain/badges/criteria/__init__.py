"""The badge criteria of the Code, one object each: `mentor.py` ("Earning the Accountability Badge") and
`protege.py` ("Earning the Protégé Accountability Badge"). `base.py` says what a criterion owns."""
