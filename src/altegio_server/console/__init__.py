"""The web console (behaviour 21): server-rendered pages under `/console` for the people who
run classes and for integrators who debug against a sandbox."""
