import { defineConfig } from "drizzle-kit";

// Migrations are generated from src/store/schema.ts and are the same on PGlite and PostgreSQL.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/store/schema.ts",
  out: "./drizzle",
});
