// The README's example (type-checked by tsc --strict and run by tests/clients).
import { createPaybillClient } from "./index.js";

const api = createPaybillClient(process.env.PAYBILL_URL ?? "http://127.0.0.1:8000", process.env.PAYBILL_API_KEY ?? "");
const { data, error } = await api.GET("/v1/tenants", { params: { query: { limit: 20 } } });
if (error) throw new Error(`${error.status} ${error.title}: ${error.detail}`);
console.log(data.items.map((tenant) => tenant.slug), data.next_cursor);
