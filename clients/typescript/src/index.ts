// Typed access to the Paybill Control Plane API. `schema.d.ts` is generated (`make clients`);
// this file only names its types and configures openapi-fetch.
import createClient, { type Client } from "openapi-fetch";

import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };
export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];
export type Tier = Schemas["TierOut"];
export type Plan = Schemas["PlanOut"];
export type Tenant = Schemas["TenantOut"];
export type TenantStatus = Schemas["TenantStatus"];
export type PaybillClient = Client<paths>;

/** A client for `baseUrl` sending `apiKey` as `Authorization: Bearer <apiKey>`. */
export function createPaybillClient(baseUrl: string, apiKey: string): PaybillClient {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
}

/** Follow `next_cursor` until the last page, yielding every item of a cursor-paginated list. */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor?: string | null }>,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.items;
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
}
