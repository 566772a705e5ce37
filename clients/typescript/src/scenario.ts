// The client scenario run by tests/clients/test_typescript_client.py against a live server:
// create a tier and a plan, create tenants on `local`, page through them with the cursor, and
// read the typed problem of a 409. Prints one JSON summary line; exits 1 on any surprise.
import { createPaybillClient, type Problem, type Tenant } from "./index.js";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const api = createPaybillClient(env("PAYBILL_URL"), env("PAYBILL_API_KEY"));
const suffix = Math.random().toString(36).slice(2, 10);

const tierResult = await api.POST("/v1/tiers", {
  body: {
    key: `ts-tier-${suffix}`,
    name: "TypeScript tier",
    rank: 10,
    default_isolation: "pooled",
    allowed_isolation: ["pooled", "silo"],
    features: [
      { key: "seats", type: "numeric", value: 10, unit: "seat" },
      { key: "sso", type: "boolean", enabled: true },
    ],
    sizing: {
      compute_units: 1,
      memory_gb: 2,
      storage_gb: 20,
      db_class: "small",
      replicas: 1,
      backup_retention_days: 7,
    },
    allowed_clouds: ["local"],
  },
});
check(tierResult.data, `create tier: ${JSON.stringify(tierResult.error)}`);
const tier = tierResult.data;
check(tierResult.response.headers.get("ETag") === `"${tier.version}"`, "tier ETag");

const planResult = await api.POST("/v1/plans", {
  body: { key: `ts-plan-${suffix}`, name: "TypeScript plan", tier: tier.key, interval: "month" },
});
check(planResult.data, `create plan: ${JSON.stringify(planResult.error)}`);

const created: Tenant[] = [];
for (const n of [1, 2, 3]) {
  const { data, error, response } = await api.POST("/v1/tenants", {
    body: {
      slug: `ts-${suffix}-${n}`,
      name: `TypeScript tenant ${n}`,
      tier: tier.key,
      cloud: "local",
      region: "local-1",
      labels: { client: "typescript" },
    },
  });
  check(data, `create tenant: ${JSON.stringify(error)}`);
  check(response.headers.get("Location") === `/v1/tenants/${data.id}`, "tenant Location");
  created.push(data);
}

const seen: string[] = [];
let pages = 0;
let cursor: string | undefined;
do {
  const { data, error } = await api.GET("/v1/tenants", {
    params: { query: { tier: tier.key, limit: 2, cursor } },
  });
  check(data, `list tenants: ${JSON.stringify(error)}`);
  pages += 1;
  seen.push(...data.items.map((tenant) => tenant.id));
  cursor = data.next_cursor ?? undefined;
} while (cursor !== undefined);
check(
  JSON.stringify(seen) === JSON.stringify(created.map((tenant) => tenant.id)),
  `paged ${JSON.stringify(seen)}`,
);

const first = created[0];
check(first, "a tenant");
// A tenant that is not suspended cannot be resumed: 409 invalid-transition.
const conflict = await api.POST("/v1/tenants/{tenant_id}/resume", {
  params: { path: { tenant_id: first.id } },
});
check(conflict.response.status === 409, `resume answered ${conflict.response.status}`);
check(
  conflict.response.headers.get("Content-Type") === "application/problem+json",
  "problem+json",
);
const problem: Problem | undefined = conflict.error;
check(problem, "a typed problem");
check(problem.type.endsWith("/invalid-transition"), problem.type);
check(problem.allowed_actions?.includes("suspend"), JSON.stringify(problem));

console.log(
  JSON.stringify({
    tier: tier.key,
    plan: planResult.data.key,
    tenants: seen.length,
    pages,
    problem: { status: problem.status, type: problem.type, current_status: problem.current_status },
  }),
);
