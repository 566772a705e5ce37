"""The one owner of a tenant's status and desired state, and of the workflows that follow.

Entry points (API endpoints, CLI, the Stripe worker) ask this layer for outcomes ("tenant X on
tier Y", "suspend X"); it changes the tenant through the state machine (`tenants/lifecycle.py`) and
starts the runs (`provisioning`) that reach it. Domains below never import it: the run executor
reports finished runs through the `provisioning.outcomes.RunOutcomes` callback this layer hands it
at worker start (`worker/app.py`). See docs/lifecycle.md.
"""
