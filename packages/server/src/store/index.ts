export * from "./database.ts";
export * as tables from "./schema.ts";
export { scratchStore } from "./scratch.ts";
