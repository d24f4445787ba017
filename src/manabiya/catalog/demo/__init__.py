"""Demo data and synthetic catalogues.

`region` holds the five demo municipalities (their real programme names, providers and venues),
`loader` turns them into a dated catalogue through the real services, and `synthetic` writes
large made-up catalogues straight into the tables for load tests and benchmarks.
"""
