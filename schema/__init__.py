"""Standing's interfaces: the GraphQL schema, the Starlette app that serves it, and the CLI.

Resolvers parse input, call one domain use case and map the result. No rule lives here.
"""
