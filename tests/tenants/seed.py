"""Many tenants at once, straight in SQL (for plan tests and the list benchmark)."""

from __future__ import annotations

import psycopg

SEED_TIERS = ("seed-gold", "seed-silver", "seed-bronze")
# Filter values (list query names) that match many seeded rows, and per combination of
# filters, values that match none.
MATCH_MANY = {"status": "active", "tier": "seed-gold", "cloud": "local"}
MATCH_NOTHING: dict[tuple[str, ...], dict[str, str]] = {
    ("status",): {"status": "deprovisioned"},
    ("tier",): {"tier": "no-such-tier"},
    ("cloud",): {"cloud": "gcp"},
    ("status", "tier"): {"status": "suspended", "tier": "seed-silver"},
    ("status", "cloud"): {"status": "suspended", "cloud": "aws"},
    ("tier", "cloud"): {"tier": "seed-gold", "cloud": "aws"},
    ("status", "tier", "cloud"): {"status": "suspended", "tier": "seed-gold", "cloud": "aws"},
}

_TIERS_SQL = """
INSERT INTO tiers (key, name, rank, default_isolation, allowed_isolation, features, sizing,
                   allowed_clouds, allowed_regions, version)
SELECT t, t, i, 'pooled', '["pooled"]', '[]', '{}', '["local", "aws"]', '{}', 1
FROM unnest(%(tiers)s::text[]) WITH ORDINALITY AS u(t, i)
ON CONFLICT (key) DO NOTHING
"""

# By g % 10: status suspended at 0 (else active; failed at g % 1000 = 1), tier gold at 0-3,
# silver at 4-6, bronze at 7-9, cloud aws at 5 (else local). So each of these values is common
# (10-40% of the rows) but some combinations match nothing (suspended+aws, suspended+silver,
# gold+aws): only an index on the whole combination finds "nothing" without walking rows.
# One tenant a second from 2026-01-01.
_TENANTS_SQL = """
INSERT INTO tenants (id, slug, name, status, desired_state, tier_key, isolation_model,
                     isolation_override, cloud, region, labels, contacts, entitlement_overrides,
                     billing_provider, status_changed_at, version, created_at, updated_at)
SELECT gen_random_uuid(), %(prefix)s || g, 'Seed ' || g,
       CASE WHEN g %% 10 = 0 THEN 'suspended' WHEN g %% 1000 = 1 THEN 'failed'
            ELSE 'active' END,
       'active',
       (%(tiers)s::text[])[CASE WHEN g %% 10 < 4 THEN 1 WHEN g %% 10 < 7 THEN 2 ELSE 3 END],
       'pooled', false,
       CASE WHEN g %% 10 = 5 THEN 'aws' ELSE 'local' END, 'local-1', '{}', '[]', '[]',
       'manual', now(), 1,
       timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second',
       timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
FROM generate_series(%(start)s::int, %(stop)s::int) AS g
"""


def seed_tenants(
    conn: psycopg.Connection[object], count: int, *, prefix: str = "seed-", batch: int = 100_000
) -> None:
    """Insert `count` tenants (slugs `<prefix><n>`) and ANALYZE, so plans see the real sizes."""
    conn.execute(_TIERS_SQL, {"tiers": list(SEED_TIERS)})
    for start in range(1, count + 1, batch):
        stop = min(count, start + batch - 1)
        conn.execute(
            _TENANTS_SQL,
            {"prefix": prefix, "tiers": list(SEED_TIERS), "start": start, "stop": stop},
        )
        conn.commit()
    conn.execute("ANALYZE tenants")
    conn.commit()
