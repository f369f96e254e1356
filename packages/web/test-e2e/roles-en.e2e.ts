import { roleFlows } from "./role-flows.ts";

roleFlows("en");
