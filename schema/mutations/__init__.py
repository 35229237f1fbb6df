"""Write side. Each mutation parses input, calls one domain use case and maps its result."""
