export * from "./database.ts";
export * as tables from "./schema.ts";
