"""The operator console: server-rendered pages (Jinja2 + htmx) over the API's own services.

An entry point like `app` and `cli`: it reads through the domains' repositories and changes
things through their services, with the signed-in key's principal, so roles and tenant scoping
are the API's. See docs/console.md.
"""
