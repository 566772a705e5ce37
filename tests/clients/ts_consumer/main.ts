// A user's project: `paybill-client` installed from the tarball `npm pack` makes, compiled with
// `tsc --strict` and no skipLibCheck, run under Node against the live API
// (tests/clients/test_typescript_package.py). Prints one JSON line; throws on any surprise.
import { createPaybillClient, paginate, type Problem, type Tenant } from "paybill-client";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

const api = createPaybillClient(env("PAYBILL_URL"), env("PAYBILL_API_KEY"));
const tier = env("PAYBILL_TIER");

const created = await api.POST("/v1/tenants", {
  body: { slug: env("PAYBILL_SLUG"), name: "Consumer tenant", tier, cloud: "local", region: "local-1" },
});
if (created.error) throw new Error(`create tenant: ${created.error.status} ${created.error.title}`);
const tenant: Tenant = created.data;

// Each line below must be a type error. If the package's types degraded to `any` (a missing
// schema.d.ts under skipLibCheck did exactly that), the directives would be unused and tsc
// would fail with TS2578 instead.
// @ts-expect-error TenantOut has no such field
const noSuchField: unknown = tenant.no_such_field;
// @ts-expect-error a tenant's status is a union of literals, not any string
const badStatus: Tenant["status"] = "no-such-status";
async function neverCalled(): Promise<void> {
  // @ts-expect-error `name`, `tier`, `cloud` and `region` are required
  await api.POST("/v1/tenants", { body: { slug: "x" } });
  // @ts-expect-error no such path
  await api.GET("/v1/no-such-path");
}
void [noSuchField, badStatus, neverCalled];

const listed: string[] = [];
const tenants = paginate((cursor) =>
  api.GET("/v1/tenants", { params: { query: { tier, limit: 1, cursor } } }).then(({ data, error }) => {
    if (error) throw new Error(`list tenants: ${error.status} ${error.title}`);
    return data;
  }),
);
for await (const item of tenants) listed.push(item.slug);

const missing = await api.GET("/v1/tenants/{tenant_id}", {
  params: { path: { tenant_id: "00000000-0000-0000-0000-000000000000" } },
});
const problem: Problem | undefined = missing.error;

console.log(
  JSON.stringify({ created: tenant.slug, status: tenant.status, listed, problem: problem?.type }),
);
